// The engine worker: the only place in the browser that owns ONNX Runtime sessions.
import { expose } from 'comlink';
import { Engine } from '../src/model/engine';
import type { EngineApi } from './engine-api';
import { installErrorTransfer } from './error-transfer';

installErrorTransfer();

let engine: Engine | undefined;
let running: AbortController | undefined;

const api: EngineApi = {
  async load(request, onProgress) {
    running?.abort();
    const previous = engine;
    engine = undefined;
    await previous?.dispose();
    engine = await Engine.load(request, onProgress);
    return engine.info;
  },

  async infill(text, settings, onStep) {
    if (!engine) throw new DOMException('No model is loaded yet: load one first.', 'InvalidStateError');
    running?.abort(new DOMException('Replaced by a newer request.', 'AbortError'));
    const controller = new AbortController();
    running = controller;
    try {
      return await engine.infill(text, settings, onStep, controller.signal);
    } finally {
      if (running === controller) running = undefined;
    }
  },

  cancel() {
    running?.abort(new DOMException('Stopped.', 'AbortError'));
  },
};

expose(api);
