// The app names the options an error names by the labels of their fields, not by CLI flags.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildCanvas, PositionState } from '../../core/canvas';
import { OptionError } from '../../core/errors';
import { decode, defaultDecodeOptions, type Denoiser } from '../../core/sampler';
import { readPackageFile } from '../../model/files';
import { flagName } from '../../cli/args';
import { BudgetExhausted } from '../../optimize/meter';
import { describeError } from './describe-error';

const denoiser: Denoiser = { vocabSize: 4, maskId: 3, forward: async () => new Float32Array(4) };
const canvas = buildCanvas([{ state: PositionState.masked, length: 1 }], 3);

describe('describeError', () => {
  it('names a cleared Temperature field by its label', async () => {
    const error = await decode(denoiser, canvas, { ...defaultDecodeOptions, temperature: null as never }).catch((e: unknown) => e);
    expect(describeError(error)).toBe('Temperature must be a number >= 0 (got null): set Temperature to 0 for greedy.');
  });

  it('names the quantization by the Weights field', async () => {
    const error = await readPackageFile(fileURLToPath(new URL('../../../test/fixtures/tiny-model', import.meta.url)), 'onnx/model_fp16.onnx').catch((e: unknown) => e);
    expect(describeError(error)).toMatch(/model_fp16\.onnx was not found\. .* \(set Weights to one of fp32, fp16, int8, q4\)\.$/);
  });

  it('words a spent budget for the app (the budget fields, Resume) where the CLI says config.budget and --resume', () => {
    const error = new BudgetExhausted('200 of 200 calls used');
    expect(describeError(error)).toBe('The budget is spent (200 of 200 calls used): raise the budget (most target calls, most US dollars) and press Resume to go on.');
    expect(error.worded(flagName)).toBe('The budget is spent (200 of 200 calls used): raise config.budget and --resume to go on.');
  });

  it('adds no advice to an error that says what to do', () => {
    expect(describeError(new OptionError('Unknown backend "tpu": use one of auto, webgpu, wasm.'))).toBe('Unknown backend "tpu": use one of auto, webgpu, wasm.');
  });

  it('tells a person what to do after an unexpected error', () => {
    expect(describeError(new Error('Out of memory'))).toBe('Out of memory. Try again; if it keeps failing, reload the page.');
  });
});
