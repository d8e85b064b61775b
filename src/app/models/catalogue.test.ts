import { describe, expect, it } from 'vitest';
import { catalogue, recommendedVariant } from './catalogue';

const withFp16 = catalogue.find((m) => m.variants.some((v) => v.quantization === 'fp16'))!;
const withoutFp16 = catalogue.find((m) => !m.variants.some((v) => v.quantization === 'fp16'))!;
const gpu = (shaderF16: boolean, software = false) => ({ name: 'a GPU', software, shaderF16 });

describe('the catalogue', () => {
  it('recommends fp16 on a hardware GPU with shader-f16, and int8 everywhere else', () => {
    expect(recommendedVariant(withFp16, gpu(true)).quantization).toBe('fp16');
    expect(recommendedVariant(withFp16, gpu(false)).quantization).toBe('int8');
    expect(recommendedVariant(withFp16, gpu(true, true)).quantization).toBe('int8'); // SwiftShader: WASM runs it
    expect(recommendedVariant(withFp16, null).quantization).toBe('int8');
    expect(recommendedVariant(withoutFp16, gpu(true)).quantization).toBe('int8');
  });

  it('lists each model smallest variant first, every variant once', () => {
    for (const model of catalogue) {
      const bytes = model.variants.map((v) => v.bytes);
      expect(bytes).toEqual([...bytes].sort((a, b) => a - b));
      expect(new Set(model.variants.map((v) => v.quantization)).size).toBe(model.variants.length);
    }
  });
});
