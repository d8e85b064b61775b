// The bridge from a model package to the decoder: an onnxruntime-web session behind the core's
// Denoiser interface. The same code runs in the browser worker (WebGPU or WASM) and in Node (WASM).
import * as ort from 'onnxruntime-web';
import type { Denoiser } from '../core/sampler';
import { canUseThreads, hasWebGPU, isNode } from './env';
import { ModelFileError, OptionError } from './errors';
import type { BackendChoice } from './options';
import type { ModelPackage } from './package';
import type { Backend } from './progress';

let ortConfigured = false;

/** Points onnxruntime-web at its WASM files on our own origin (never a CDN) and sets threading. */
function configureOrt(wasmPaths: string | undefined): void {
  if (ortConfigured) return;
  ortConfigured = true;
  if (wasmPaths !== undefined && !isNode) ort.env.wasm.wasmPaths = wasmPaths;
  // Without cross-origin isolation there is no SharedArrayBuffer; asking for threads only warns.
  if (!canUseThreads) ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
}

export interface SessionOptions {
  backend: BackendChoice;
  /** URL prefix of the ort-wasm-simd-threaded.* files, in the browser. */
  wasmPaths?: string;
}

export class OnnxDenoiser implements Denoiser {
  readonly vocabSize: number;
  readonly maskId: number;
  readonly backend: Backend;
  readonly #session: ort.InferenceSession;
  readonly #needsTokenTypes: boolean;
  /** One run at a time: several callers (candidates, a local target) share one session. */
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(session: ort.InferenceSession, backend: Backend, vocabSize: number, maskId: number) {
    this.#session = session;
    this.backend = backend;
    this.vocabSize = vocabSize;
    this.maskId = maskId;
    // BERT exports take segment ids too; a single-segment canvas is all zeros.
    this.#needsTokenTypes = session.inputNames.includes('token_type_ids');
  }

  static async create(model: ModelPackage, maskId: number, options: SessionOptions): Promise<OnnxDenoiser> {
    configureOrt(options.wasmPaths);
    const wanted: Backend = options.backend === 'auto' ? ((await hasWebGPU()) ? 'webgpu' : 'wasm') : options.backend;
    if (wanted === 'webgpu' && !(await hasWebGPU())) {
      throw new OptionError('WebGPU is not available here (no adapter): choose the WASM backend.');
    }
    try {
      return new OnnxDenoiser(await createSession(model, wanted), wanted, model.config.vocab_size, maskId);
    } catch (error) {
      // A graph WebGPU cannot run may still run on the CPU; only an explicit request for WebGPU fails.
      if (wanted === 'webgpu' && options.backend === 'auto') {
        return new OnnxDenoiser(await createSession(model, 'wasm'), 'wasm', model.config.vocab_size, maskId);
      }
      throw error;
    }
  }

  forward(ids: Int32Array, positions: Int32Array): Promise<Float32Array> {
    // Copy now: the caller may reuse its buffers while this call waits its turn.
    const run = this.#queue.then(() => this.#run(ids.slice(), positions.slice()));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #run(ids: Int32Array, positions: Int32Array): Promise<Float32Array> {
    const length = ids.length;
    const inputIds = new BigInt64Array(length);
    for (let i = 0; i < length; i++) inputIds[i] = BigInt(ids[i]);
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', inputIds, [1, length]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(length).fill(1n), [1, length]),
    };
    if (this.#needsTokenTypes) feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(length), [1, length]);
    const outputs = await this.#session.run(feeds);
    const logitsTensor = outputs[this.#session.outputNames[0]];
    const all = (await logitsTensor.getData()) as Float32Array;
    const vocab = this.vocabSize;
    const out = new Float32Array(positions.length * vocab);
    for (let r = 0; r < positions.length; r++) {
      const start = positions[r] * vocab;
      out.set(all.subarray(start, start + vocab), r * vocab);
    }
    logitsTensor.dispose();
    return out;
  }

  /** Logits at every position of one canvas, row-major [length x vocab] (parity checks, evaluation). */
  async forwardAll(ids: Int32Array): Promise<Float32Array> {
    const positions = new Int32Array(ids.length);
    for (let i = 0; i < positions.length; i++) positions[i] = i;
    return this.forward(ids, positions);
  }

  async release(): Promise<void> {
    await this.#session.release();
  }
}

async function createSession(model: ModelPackage, backend: Backend): Promise<ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(model.onnx, {
      executionProviders: [backend],
      graphOptimizationLevel: 'all',
    });
  } catch (error) {
    throw new ModelFileError(
      `${model.source} (${model.quantization})`,
      `could not be loaded as an ONNX model on ${backend === 'webgpu' ? 'WebGPU' : 'WASM'} (${(error as Error).message})`,
      'The file may be damaged or use operators this runtime lacks: download or export it again, or try another --quant.',
    );
  }
}
