// A model folder that cannot work says what is wrong with it and what to do, before any decoding:
// the ONNX files it lacks or holds, a tokenizer the runtime cannot read, a vocabulary that disagrees
// with the weights.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from './engine';
import { ModelFileError } from './errors';

const bert = fileURLToPath(new URL('../../test/fixtures/hub/bert', import.meta.url));
let dir: string;

/** A copy of the BERT fixture, changed by `change`. */
function brokenCopy(change: (dir: string) => void): string {
  dir = mkdtempSync(join(tmpdir(), 'remask-broken-'));
  cpSync(bert, dir, { recursive: true });
  change(dir);
  return dir;
}

const editJson = (path: string, edit: (value: Record<string, unknown>) => void) => {
  const value = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  edit(value);
  writeFileSync(path, JSON.stringify(value));
};

const load = (model: string, quantization: 'fp32' | 'int8' | 'q4' = 'fp32') => Engine.load({ model, quantization, backend: 'wasm' });

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a model folder that cannot work', () => {
  it('without the chosen weights, names the ONNX files it holds and the quantization that picks one', async () => {
    const model = brokenCopy(() => {});
    const error = await load(model, 'q4').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as Error).message).toMatch(/onnx\/model_q4\.onnx was not found \(onnx\/ holds model\.onnx, model_fp16\.onnx, model_quantized\.onnx\)/);
    expect((error as Error).message).toMatch(/quantization.* to fp32 or fp16 or int8/);
  });

  it('with no ONNX file Remask runs, lists what it has and what Remask runs', async () => {
    const model = brokenCopy((d) => {
      rmSync(join(d, 'onnx', 'model_quantized.onnx'));
      rmSync(join(d, 'onnx', 'model_fp16.onnx'));
      cpSync(join(d, 'onnx', 'model.onnx'), join(d, 'onnx', 'model_bnb4.onnx'));
      rmSync(join(d, 'onnx', 'model.onnx'));
    });
    await expect(load(model)).rejects.toThrow(/no ONNX file in onnx\/ \(model_bnb4\.onnx\) is one Remask runs\. Remask runs model\.onnx \(fp32\), model_fp16\.onnx \(fp16\), model_quantized\.onnx \(int8\), model_q4\.onnx \(q4\)/);
  });

  it('with a tokenizer the runtime cannot read, says so and names the part it could not read', async () => {
    const model = brokenCopy((d) => editJson(join(d, 'tokenizer.json'), (t) => (t.pre_tokenizer = { type: 'Whitespacy' })));
    await expect(load(model)).rejects.toThrow(/tokenizer\.json describes a tokenizer Remask cannot read \(.*Whitespacy.*\)\. Remask reads tokenizer\.json as transformers\.js does/);
  });

  it('with a config whose vocab_size is smaller than the tokenizer, says they come from different models', async () => {
    const model = brokenCopy((d) => editJson(join(d, 'config.json'), (c) => (c.vocab_size = 500)));
    await expect(load(model)).rejects.toThrow(/config\.json says vocab_size 500, but tokenizer\.json has token ids up to \d+\. The tokenizer and the weights come from different models/);
  });

  it("with a config whose vocab_size is larger than the model's logits, says so before any decoding", async () => {
    const model = brokenCopy((d) => editJson(join(d, 'config.json'), (c) => (c.vocab_size = (c.vocab_size as number) + 7)));
    await expect(load(model)).rejects.toThrow(/config\.json says vocab_size \d+, but the model's logits have \d+ columns/);
  });
});
