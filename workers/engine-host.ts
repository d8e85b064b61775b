// The engine worker's request handling, apart from `expose` so that tests run it in Node: the only
// place in the browser that owns ONNX Runtime sessions. One request runs at a time, and the newest
// wins: it aborts the one running.
import { OptionError } from '../src/core/errors';
import { listCachedPackages, removeCachedPackage } from '../src/model/cache';
import { downloadPackage } from '../src/model/download';
import { Engine } from '../src/model/engine';
import { NoModelError } from '../src/model/errors';
import type { TraceStep } from '../src/model/trace-step';
import { parseOptimizeConfig } from '../src/optimize/config';
import { optimize } from '../src/optimize/loop';
import { suggestRewrites } from '../src/optimize/suggest';
import { draftFromTask } from '../src/optimize/task-draft';
import { createTarget } from '../src/targets/create-target';
import { LocalMlmTarget } from '../src/targets/local-mlm';
import type { EngineApi } from './engine-api';
import { withSteps } from './step-transfer';

/** The worker's side of EngineApi; `load` loads a model package (tests pass a stand-in). */
export function createEngineApi(load: typeof Engine.load = Engine.load): EngineApi {
  let engine: Engine | undefined;
  /** The newest request: a newer one aborts it and waits until it has stopped. */
  let running: { controller: AbortController; stopped: Promise<unknown> } | undefined;
  /** The download in progress: apart from `running`, as it shares no session with the requests. */
  let downloading: AbortController | undefined;

  function loaded(): Engine {
    if (!engine) throw new NoModelError();
    return engine;
  }

  /**
   * Runs `work` as the newest request (svelte.dev's `Bundler`): the one running is aborted, and `work`
   * starts once it has stopped, so that two requests never share a session. A request that is itself
   * replaced while it waits never starts.
   */
  async function newest<T>(work: (signal: AbortSignal) => Promise<T>, reason = 'Replaced by a newer request.'): Promise<T> {
    const previous = running;
    previous?.controller.abort(new DOMException(reason, 'AbortError'));
    const controller = new AbortController();
    const reply = (async () => {
      await previous?.stopped;
      controller.signal.throwIfAborted();
      return work(controller.signal);
    })();
    const request = { controller, stopped: reply.catch(() => {}) };
    running = request;
    try {
      return await reply;
    } finally {
      if (running === request) running = undefined;
    }
  }

  return {
    async load(request, onProgress) {
      // From now on requests find no model, until this one is in.
      const previous = engine;
      engine = undefined;
      // The request it aborts may be inside a forward pass: the session is released once that has ended.
      return newest(async (signal) => {
        await previous?.dispose();
        const next = await load(request, { onProgress, signal });
        if (signal.aborted) {
          // Replaced once the files were in: a newer load brings its own model.
          await next.dispose();
          signal.throwIfAborted();
        }
        engine = next;
        return next.info;
      }, 'A new model is loading.');
    },

    async infill(text, settings, onStep) {
      const dlm = loaded();
      // Each step's arrays are its own (see Engine.infill): they go to the page by transfer, as does the trace.
      const post = onStep && ((step: TraceStep) => onStep(withSteps(step, [step])));
      const result = await newest((signal) => dlm.infill(text, settings, { onStep: post, signal }));
      return withSteps(result, result.trace ?? []);
    },

    async suggest(request, onProgress) {
      const dlm = loaded();
      return newest((signal) => suggestRewrites(dlm, request, { signal, onProgress }));
    },

    async optimize({ config: input, examples, apiKey, previous }, onEvent) {
      const dlm = loaded();
      const config = parseOptimizeConfig(input);
      const rows = examples ?? ('rows' in config.dataset ? config.dataset.rows : null);
      if (!rows) throw new OptionError('A browser reads no file paths: give the dataset rows.');
      // The local target scores with the loaded model; a different one would need a second session.
      if (config.target.provider === 'local-mlm' && config.target.model) {
        throw new OptionError('In the browser the local target classifies with the loaded model: remove target.model.');
      }
      const target = config.target.provider === 'local-mlm' ? new LocalMlmTarget(dlm, config.target.labels) : createTarget(config.target, apiKey);
      // The optimizer LLM takes the same key: the page asks for one key per run.
      const optimizer = config.optimizer ? createTarget(config.optimizer, apiKey) : undefined;
      return newest((signal) => optimize({ config, examples: rows, engine: dlm, target, optimizer, previous, signal, onEvent }));
    },

    async draftTask({ task, strategy, count, target: config, apiKey }) {
      const target = createTarget(config, apiKey);
      return newest((signal) => draftFromTask(target, task, { strategy, count, signal }));
    },

    cancel() {
      running?.controller.abort(new DOMException('Stopped.', 'AbortError'));
    },

    async download(source, quantization, onProgress) {
      downloading?.abort(new DOMException('Replaced by a newer download.', 'AbortError'));
      const controller = new AbortController();
      downloading = controller;
      try {
        await downloadPackage(source, quantization, { keep: true, signal: controller.signal, onProgress });
      } finally {
        if (downloading === controller) downloading = undefined;
      }
    },

    cancelDownload() {
      downloading?.abort(new DOMException('Cancelled.', 'AbortError'));
    },

    cachedPackages: listCachedPackages,
    removeCachedPackage,

    async countTokens(text) {
      return loaded().codec.encode(text).length;
    },
  };
}
