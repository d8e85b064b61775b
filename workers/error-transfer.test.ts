// Errors cross the worker boundary as themselves: the same class, message and fields, through comlink
// over a real MessageChannel.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expose, wrap } from 'comlink';
import { afterAll, describe, expect, it } from 'vitest';
import { describeError } from '../src/app/shared/describe-error';
import { CanvasError, DecodeOptionError, DenoiserOutputError, NoMaskError, OptionError, optionText, RemaskError } from '../src/core/errors';
import { ModelFileError, NoModelError, TextTooLongError } from '../src/model/errors';
import { ConfigError } from '../src/optimize/config';
import { DatasetError } from '../src/optimize/dataset';
import { BudgetExhausted } from '../src/optimize/meter';
import { JudgeAnswerError } from '../src/optimize/metrics';
import { SyntheticDataError } from '../src/optimize/synthetic';
import { TargetAuthError, TargetRequestError, TargetResponseError, TargetUnavailableError } from '../src/targets/errors';
import { errorClasses, installErrorTransfer } from './error-transfer';

installErrorTransfer();
const { port1, port2 } = new MessageChannel();
let thrown: unknown;
expose({ fail: () => Promise.reject(thrown) }, port1);
const remote = wrap<{ fail(): Promise<void> }>(port2);
afterAll(() => {
  port1.close();
  port2.close();
});

/** `error` as the other side of the boundary receives it. */
async function across(error: unknown): Promise<unknown> {
  thrown = error;
  return remote.fail().catch((received: unknown) => received);
}

const samples: RemaskError[] = [
  new RemaskError('some-code', 'Something went wrong: do this.'),
  new OptionError('Unknown backend "tpu": use one of auto, webgpu, wasm.'),
  new DecodeOptionError('temperature', optionText`{temperature} must be a number >= 0 (got null): set {temperature} to 0 for greedy.`),
  new NoMaskError(),
  new CanvasError('The canvas has 3 token ids but 2 states: build it with buildCanvas.'),
  new DenoiserOutputError(40, 39),
  new ModelFileError('onnx/model_q4.onnx', 'was not found', optionText`Set {quantization} to one of fp32, int8, q4.`),
  new NoModelError(),
  new TextTooLongError(200, 128),
  new TargetAuthError('OpenAI', 401, 'invalid key'),
  new TargetRequestError('OpenAI', 404, 'no such model', 'check the model name.'),
  new TargetUnavailableError('Ollama', 3, undefined, 'connection refused'),
  new TargetResponseError('OpenAI', 200, 'it has no choices'),
  new ConfigError('iterations must be >= 1.'),
  new DatasetError('Row 3 has no "expected" field.'),
  new JudgeAnswerError('Looks fine to me.'),
  new SyntheticDataError('The task description is empty.'),
  new BudgetExhausted('10 target calls'),
];

describe('errors across the worker boundary', () => {
  it.each(samples.map((error) => [error.name, error]))('%s arrives as itself, with its message and fields', async (_, error) => {
    const received = await across(error);
    expect(received).toBeInstanceOf(error.constructor);
    expect((received as Error).constructor).toBe(error.constructor);
    expect((received as Error).message).toBe(error.message);
    expect({ ...(received as Error) }).toEqual({ ...error });
  });

  it('keeps a target error its provider and status', async () => {
    expect(await across(new TargetAuthError('OpenAI', 403, ''))).toMatchObject({ provider: 'OpenAI', status: 403, code: 'target-auth' });
  });

  it('keeps the options an error names, for the app to word by its fields', async () => {
    const received = await across(samples.find((error) => error instanceof DecodeOptionError));
    expect(received).toMatchObject({ option: 'temperature' });
    expect(describeError(received)).toBe('Temperature must be a number >= 0 (got null): set Temperature to 0 for greedy.');
  });

  it('keeps an abort a DOMException named AbortError, which the app does not tell to reload', async () => {
    const received = await across(new DOMException('Replaced by a newer request.', 'AbortError'));
    expect(received).toBeInstanceOf(DOMException);
    expect(received).toMatchObject({ name: 'AbortError', message: 'Replaced by a newer request.' });
    expect(describeError(received)).toBe('Replaced by a newer request.');
  });

  it('keeps any other DOMException its name', async () => {
    expect(await across(new DOMException('The quota is full.', 'QuotaExceededError'))).toMatchObject({ name: 'QuotaExceededError' });
  });

  it('sends an unnamed error, or a thrown value that is no error, as a plain Error', async () => {
    const received = await across(new TypeError('x is undefined'));
    expect(received).toBeInstanceOf(Error);
    expect(received).toMatchObject({ name: 'TypeError', message: 'x is undefined' });
    expect(await across('a string')).toMatchObject({ name: 'Error', message: 'a string' });
  });
});

describe('the registry of named errors', () => {
  it('lists each class under the name its instances carry, with one sample each above', () => {
    expect(samples.map((error) => error.name).sort()).toEqual(Object.keys(errorClasses).sort());
    for (const error of samples) expect(errorClasses[error.name]).toBe(error.constructor);
  });

  it('has every named error outside the app (which the worker never throws)', () => {
    const src = fileURLToPath(new URL('../src/', import.meta.url));
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('app/'));
    const named = new Set(['RemaskError']);
    const bases = files.flatMap((f) => [...readFileSync(`${src}${f}`, 'utf8').matchAll(/class (\w+) extends (\w+)/g)].map(([, name, base]) => [name, base]));
    // Subclasses of subclasses count too: repeat until no new name joins.
    for (let size = 0; size !== named.size; ) {
      size = named.size;
      for (const [name, base] of bases) if (named.has(base)) named.add(name);
    }
    expect([...named].sort()).toEqual(Object.keys(errorClasses).sort());
  });
});
