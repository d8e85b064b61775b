// The engine worker's request handling, run in Node without a Worker: with the tiny fixture model, and
// with a stand-in engine whose forward passes end when the test says, to pin down what waits for what.
import { fileURLToPath } from 'node:url';
import { expose, proxy, releaseProxy, wrap } from 'comlink';
import { describe, expect, it } from 'vitest';
import { OptionError } from '../src/core/errors';
import type { Engine, InfillResult, LoadRequest } from '../src/model/engine';
import { NoModelError } from '../src/model/errors';
import type { TraceStep } from '../src/model/trace-step';
import type { ConfigInput } from '../src/optimize/config';
import type { SuggestRequest } from '../src/optimize/suggest';
import { startTestServer } from '../test/support/openai-test-server';
import type { EngineApi } from './engine-api';
import { sampleStep } from '../test/support/trace-step';
import { createEngineApi } from './engine-host';

const fixture = fileURLToPath(new URL('../test/fixtures/tiny-model', import.meta.url));

/**
 * An engine whose infill is one forward pass that runs until `endPass()`: like ONNX Runtime's, a pass
 * cannot be interrupted, and an abort takes effect once it ends. `log` says what happened, in order.
 */
class StandIn {
  readonly info;
  readonly codec = { encode: (text: string) => text.split(' ') };
  readonly #passes: (() => void)[] = [];
  constructor(
    readonly name: string,
    readonly log: string[],
  ) {
    this.info = { model: name };
  }

  async infill(text: string, _settings: unknown, { signal }: { signal?: AbortSignal } = {}): Promise<InfillResult> {
    this.log.push(`${this.name}: pass of "${text}" starts`);
    await new Promise<void>((resolve) => this.#passes.push(resolve));
    this.log.push(`${this.name}: pass of "${text}" ends`);
    signal?.throwIfAborted();
    return { text, steps: 1, nfe: 1, ms: 0 };
  }

  /** Ends the forward passes running now. */
  endPass(): void {
    for (const end of this.#passes.splice(0)) end();
  }

  async dispose(): Promise<void> {
    this.log.push(`${this.name}: released`);
  }
}

/** A worker's handler whose loads give stand-ins, named after the requested model. */
function standInHost() {
  const log: string[] = [];
  const engines = new Map<string, StandIn>();
  let files = Promise.resolve();
  const api = createEngineApi(async (request: LoadRequest) => {
    await files;
    const engine = new StandIn(request.model, log);
    engines.set(request.model, engine);
    return engine as unknown as Engine;
  });
  const load = (model: string) => api.load({ model, quantization: 'fp32', backend: 'wasm' });
  /** Holds the loads that start from now on until the returned function is called. */
  const holdLoads = () => {
    let done!: () => void;
    files = new Promise((resolve) => (done = resolve));
    return done;
  };
  return { api, load, holdLoads, log, engine: (model: string) => engines.get(model)! };
}

/** Lets every pending promise callback run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

const suggestion: SuggestRequest = { prompt: 'Be brief.', locked: [], marked: [], traces: [], candidates: 1, editFraction: 0.5, decoding: {}, seed: 0 };
const config = (target: ConfigInput['target'], dataset: ConfigInput['dataset'] = { rows: [{ input: 'a', expected: 'yes' }] }): ConfigInput => ({
  prompt: 'Answer yes or no.',
  dataset,
  metric: 'exact',
  target,
});

describe('the engine worker with no model', () => {
  it('answers every request that needs a model with NoModelError', async () => {
    const { api } = standInHost();
    await expect(api.infill('a [MASK]', {})).rejects.toBeInstanceOf(NoModelError);
    await expect(api.suggest(suggestion)).rejects.toBeInstanceOf(NoModelError);
    await expect(api.optimize({ config: config({ provider: 'local-mlm', labels: ['yes', 'no'] }) })).rejects.toBeInstanceOf(NoModelError);
    await expect(api.countTokens('a b')).rejects.toBeInstanceOf(NoModelError);
  });

  it('drafts from a task description through the target alone, with the key it was given', async () => {
    const server = await startTestServer(({ system }) =>
      system.startsWith('You turn a task description')
        ? 'Classify the review as positive or negative.'
        : ['{"input": "Loved it", "expected": "positive"}', '{"input": "Hated it", "expected": "negative"}', '{"input": "Great fun", "expected": "positive"}'].join('\n'),
    );
    try {
      const { api } = standInHost();
      const target = { provider: 'openai-compatible' as const, model: 'scripted', baseURL: server.baseURL };
      const draft = await api.draftTask({ task: 'classify a review as positive or negative', strategy: 'plain', count: 3, target, apiKey: 'sk-test' });
      expect(draft).toMatchObject({ intentFrom: 'llm', metric: 'exact', labels: ['negative', 'positive'] });
      expect(draft.examples).toHaveLength(3);
      expect(server.requests.every((r) => r.authorization === 'Bearer sk-test')).toBe(true);
      await expect(api.draftTask({ task: 'classify a review', strategy: 'plain', count: 3, target: { ...target, model: '' } })).rejects.toBeInstanceOf(OptionError);
    } finally {
      await server.close();
    }
  });
});

describe('the engine worker on the fixture model', () => {
  it('loads it, infills every [MASK] and counts tokens', async () => {
    const api = createEngineApi();
    const info = await api.load({ model: fixture, quantization: 'fp32', backend: 'wasm' });
    expect(info.backend).toBe('wasm');
    const steps: TraceStep[] = [];
    const result = await api.infill('The [MASK] sat on the [MASK] .', { steps: 2 }, (step) => steps.push(step));
    expect(result.text).not.toContain('[MASK]');
    expect(steps.map((s) => s.step)).toEqual([0, 1]);
    expect(steps[0].positions).toBeInstanceOf(Int32Array);
    expect(steps[0].texts).toHaveLength(steps[0].positions.length);
    expect(await api.countTokens('The cat sat.')).toBeGreaterThan(0);
  });
});

describe('the engine worker', () => {
  it('releases the model a load replaces', async () => {
    const { load, log } = standInHost();
    await load('A');
    expect((await load('B')).model).toBe('B');
    expect(log).toEqual(['A: released']);
  });

  it('aborts the running request when a newer one comes, and starts the newer once the older has stopped', async () => {
    const { api, load, log, engine } = standInHost();
    await load('A');
    const older = api.infill('first', {});
    await settle();
    const newer = api.infill('second', {});
    await settle();
    expect(log).toEqual(['A: pass of "first" starts']);
    engine('A').endPass();
    await expect(older).rejects.toMatchObject({ name: 'AbortError', message: 'Replaced by a newer request.' });
    await settle();
    expect(log.at(-1)).toBe('A: pass of "second" starts');
    engine('A').endPass();
    await expect(newer).resolves.toMatchObject({ text: 'second' });
  });

  it('never starts a request that a newer one replaced while it waited', async () => {
    const { api, load, log, engine } = standInHost();
    await load('A');
    const first = api.infill('first', {}).catch((error: unknown) => error);
    await settle();
    const second = api.infill('second', {}).catch((error: unknown) => error);
    const third = api.infill('third', {});
    engine('A').endPass();
    expect(await first).toMatchObject({ name: 'AbortError' });
    expect(await second).toMatchObject({ name: 'AbortError' });
    await settle();
    engine('A').endPass();
    await expect(third).resolves.toMatchObject({ text: 'third' });
    expect(log.filter((line) => line.includes('starts'))).toEqual(['A: pass of "first" starts', 'A: pass of "third" starts']);
  });

  it('stops the running request on cancel, with an AbortError', async () => {
    const { api, load, engine } = standInHost();
    await load('A');
    const running = api.infill('first', {});
    await settle();
    api.cancel();
    engine('A').endPass();
    await expect(running).rejects.toMatchObject({ name: 'AbortError', message: 'Stopped.' });
  });

  it('releases the model only once the request that a load aborted has stopped', async () => {
    const { api, load, log, engine } = standInHost();
    await load('A');
    const running = api.infill('first', {}).catch((error: unknown) => error);
    await settle();
    const loading = load('B');
    await settle();
    expect(log).toEqual(['A: pass of "first" starts']);
    engine('A').endPass();
    expect(await running).toMatchObject({ name: 'AbortError', message: 'A new model is loading.' });
    expect((await loading).model).toBe('B');
    expect(log).toEqual(['A: pass of "first" starts', 'A: pass of "first" ends', 'A: released']);
  });

  it('releases what a load brought in when a newer load replaced it meanwhile', async () => {
    const { api, load, holdLoads, log } = standInHost();
    const openFiles = holdLoads();
    const older = load('A').catch((error: unknown) => error);
    await settle();
    const newer = load('B');
    openFiles();
    expect(await older).toMatchObject({ name: 'AbortError' });
    expect((await newer).model).toBe('B');
    expect(log).toEqual(['A: released']);
    expect(await api.countTokens('one two')).toBe(2);
  });

  it('refuses an optimize run a browser cannot do: a dataset by path, or a second local model', async () => {
    const { api, load } = standInHost();
    await load('A');
    const local = { provider: 'local-mlm' as const, labels: ['yes', 'no'] };
    const byPath = config(local, { path: 'data.jsonl', input: 'q', expected: 'a' });
    await expect(api.optimize({ config: byPath })).rejects.toThrow(new OptionError('A browser reads no file paths: give the dataset rows.'));
    await expect(api.optimize({ config: config({ ...local, model: 'other' }) })).rejects.toThrow(/remove target\.model/);
  });

  it('downloads a package beside the running request, which goes on, with progress per file', async () => {
    const { api, load, log, engine } = standInHost();
    await load('A');
    const running = api.infill('first', {});
    await settle();
    const done: string[] = [];
    await api.download(fixture, 'fp32', (p) => p.status === 'done' && done.push(p.file));
    expect(done.sort()).toEqual(['config.json', 'onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json']);
    engine('A').endPass();
    expect((await running).text).toBe('first');
    expect(log).toEqual(['A: pass of "first" starts', 'A: pass of "first" ends']);
  });

  it('stops a download on cancelDownload with an AbortError, and a download does not stop the running request', async () => {
    const { api, load, engine } = standInHost();
    await load('A');
    const running = api.infill('first', {});
    const download = api.download(fixture, 'fp32');
    api.cancelDownload();
    await expect(download).rejects.toMatchObject({ name: 'AbortError' });
    engine('A').endPass();
    expect((await running).text).toBe('first');
    await expect(api.download(`${fixture}-missing`, 'fp32')).rejects.toThrow(/config\.json/);
  });
});

describe('the engine worker through comlink', () => {
  it("sends each step and the trace to the page by transfer: the page gets the typed arrays, the worker's are left empty", async () => {
    const made: TraceStep[] = [];
    const stepping = {
      info: { model: 'steps' },
      async infill(_text: string, _settings: unknown, { onStep }: { onStep?: (step: TraceStep) => unknown } = {}): Promise<InfillResult> {
        const step = sampleStep();
        made.push(step);
        await onStep?.(step);
        const traced = sampleStep();
        made.push(traced);
        return { text: 'The cat sat on the mat.', steps: 1, nfe: 1, ms: 0, trace: [traced] };
      },
      async dispose() {},
    };
    const { port1, port2 } = new MessageChannel();
    expose(createEngineApi(async () => stepping as unknown as Engine), port1);
    const page = wrap<EngineApi>(port2);
    try {
      await page.load({ model: 'steps', quantization: 'fp32', backend: 'wasm' });
      const received: TraceStep[] = [];
      const result = await page.infill('The [MASK] sat on the [MASK].', { trace: true }, proxy((step: TraceStep) => void received.push(step)));
      expect(received).toEqual([sampleStep()]);
      expect(result.trace).toEqual([sampleStep()]);
      for (const s of made) {
        for (const array of [s.positions, s.ids, s.conf, s.committed, s.remasked]) expect(array.byteLength).toBe(0);
      }
    } finally {
      page[releaseProxy]();
      port1.close();
      port2.close();
    }
  });
});
