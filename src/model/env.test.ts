import { describe, expect, it } from 'vitest';
import { describeAdapter } from './env';

describe('the WebGPU adapter, as the backend choice reads it', () => {
  it("takes Chromium's SwiftShader, Mesa's llvmpipe and a fallback adapter for software", () => {
    expect(describeAdapter({ vendor: 'google', architecture: 'swiftshader', description: 'Google SwiftShader' })).toEqual({ name: 'google swiftshader Google SwiftShader', software: true, shaderF16: false });
    expect(describeAdapter({ vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }).software).toBe(true);
    expect(describeAdapter({ vendor: 'intel', architecture: 'gen-12lp', isFallbackAdapter: true }).software).toBe(true);
    expect(describeAdapter({ vendor: 'intel' }, true).software).toBe(true);
  });

  it('takes a named GPU for hardware, and names an adapter that reports nothing', () => {
    expect(describeAdapter({ vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA GeForce RTX 3060' })).toEqual({ name: 'nvidia ampere NVIDIA GeForce RTX 3060', software: false, shaderF16: false });
    expect(describeAdapter({ vendor: 'apple', architecture: 'metal-3' }).software).toBe(false);
    expect(describeAdapter({})).toEqual({ name: 'unnamed adapter', software: false, shaderF16: false });
    expect(describeAdapter({ vendor: 'apple' }, false, new Set(['timestamp-query', 'shader-f16'])).shaderF16).toBe(true);
  });
});
