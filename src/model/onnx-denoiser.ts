// The bridge from a model package to the decoder: an onnxruntime-web session behind the core's
// Denoiser interface. The same code runs in the browser worker (WebGPU or WASM) and in Node (WASM).
import * as ort from 'onnxruntime-web';
import type { RowSummary } from '../core/confidence';
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

/** Added to a suppressed token's logit in the graph: finite, so the graph's entropy has no NaN. */
const suppressedLogit = -1e9;

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
  /**
   * A decode graph (models/pipeline/decode_graph.py) takes the positions to compute the head at and
   * reduces each row in the graph; any other masked LM gives logits everywhere and we slice them.
   */
  readonly #decodeGraph: boolean;
  readonly summarize: Denoiser['summarize'];
  /** One run at a time: several callers (candidates, a local target) share one session. */
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(session: ort.InferenceSession, backend: Backend, vocabSize: number, maskId: number) {
    this.#session = session;
    this.backend = backend;
    this.vocabSize = vocabSize;
    this.maskId = maskId;
    // BERT exports take segment ids too; a single-segment canvas is all zeros.
    this.#needsTokenTypes = session.inputNames.includes('token_type_ids');
    this.#decodeGraph = session.inputNames.includes('positions') && session.outputNames.includes('top_id');
    this.summarize = this.#decodeGraph ? (ids, positions, suppress) => this.#summarize(ids, positions, suppress) : undefined;
  }

  /** Whether the graph computes the head only at the positions asked for (and can summarize rows). */
  get headAtPositions(): boolean {
    return this.#decodeGraph;
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
    // Feeds copy ids and positions now: the caller may reuse its buffers while this call waits its turn.
    const vocab = this.vocabSize;
    if (this.#decodeGraph) {
      const feeds = this.#feeds(ids, positions, new Float32Array(vocab));
      return this.#enqueue(async () => this.#take<Float32Array>((await this.#session.run(feeds, ['logits'])).logits));
    }
    const feeds = this.#feeds(ids);
    const rows = positions.slice();
    return this.#enqueue(() => this.#sliceRows(feeds, rows));
  }

  async #sliceRows(feeds: Record<string, ort.Tensor>, positions: Int32Array): Promise<Float32Array> {
    const vocab = this.vocabSize;
    const outputs = await this.#session.run(feeds);
    const all = await this.#take<Float32Array>(outputs[this.#session.outputNames[0]]);
    const out = new Float32Array(positions.length * vocab);
    for (let r = 0; r < positions.length; r++) {
      const start = positions[r] * vocab;
      out.set(all.subarray(start, start + vocab), r * vocab);
    }
    return out;
  }

  #summarize(ids: Int32Array, positions: Int32Array, suppress: Uint8Array): Promise<RowSummary> {
    const bias = new Float32Array(this.vocabSize);
    for (let v = 0; v < bias.length; v++) if (suppress[v]) bias[v] = suppressedLogit;
    const feeds = this.#feeds(ids, positions, bias);
    return this.#enqueue(async () => {
      const outputs = await this.#session.run(feeds, ['top_id', 'top_logprob', 'second_logprob', 'entropy']);
      return {
        token: await this.#take<Int32Array>(outputs.top_id),
        logProb: await this.#take<Float32Array>(outputs.top_logprob),
        secondLogProb: await this.#take<Float32Array>(outputs.second_logprob),
        entropy: await this.#take<Float32Array>(outputs.entropy),
      };
    });
  }

  /** One run at a time: several callers (candidates, a local target) share one session. */
  #enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #feeds(ids: Int32Array, positions?: Int32Array, logitBias?: Float32Array): Record<string, ort.Tensor> {
    const length = ids.length;
    const inputIds = new BigInt64Array(length);
    for (let i = 0; i < length; i++) inputIds[i] = BigInt(ids[i]);
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', inputIds, [1, length]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(length).fill(1n), [1, length]),
    };
    if (this.#needsTokenTypes) feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(length), [1, length]);
    if (positions && logitBias) {
      feeds.positions = new ort.Tensor('int64', BigInt64Array.from(positions, (p) => BigInt(p)), [1, positions.length]);
      feeds.logit_bias = new ort.Tensor('float32', logitBias, [logitBias.length]);
    }
    return feeds;
  }

  /** A tensor's data on the CPU, the tensor itself released (it may live on the GPU). */
  async #take<T extends Float32Array | Int32Array>(tensor: ort.Tensor): Promise<T> {
    const data = (await tensor.getData()) as T;
    tensor.dispose();
    return data;
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
