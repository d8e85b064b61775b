// The bridge from a model package to the decoder: an onnxruntime-web session behind the core's
// Denoiser interface. The same code runs in the browser worker (WebGPU or WASM) and in Node (WASM);
// the browser build aliases this import to onnxruntime-web's native WebGPU build (browserResolve in
// scripts/local-assets.ts), Node gets the package's Node build.
import * as ort from 'onnxruntime-web';
import type { RowSummary } from '../core/confidence';
import type { Denoiser } from '../core/sampler';
import { canUseThreads, isNode, webGpuAdapter } from './env';
import { ModelFileError } from './errors';
import { OptionError, optionText } from '../core/errors';
import { quantizations, wasmFileLimit, type BackendChoice } from './options';
import type { ModelPackage } from './package';
import type { Backend, LoadStage } from './progress';
import { widenHalves } from './float16';
import { rowSummaryGraphBase64, rowSummaryGraphF16Base64 } from './row-summary-graph';

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

/** One canvas of a batch: its ids, and the positions whose rows are wanted. */
export interface CanvasRows {
  ids: Int32Array;
  positions: Int32Array;
}

export interface SessionOptions {
  backend: BackendChoice;
  /** URL prefix of the ort-wasm-simd-threaded.* files, in the browser. */
  wasmPaths?: string;
}

/**
 * Lets waiting messages run between forward passes. On WASM a run blocks the thread, and awaiting its
 * promise only queues microtasks, so without this a Stop (a worker message, Ctrl-C in Node) would wait
 * until the whole decode had ended.
 */
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

export interface BackendChoiceMade {
  backend: Backend;
  reason: string;
}

/**
 * The backend for a choice, and why. "auto" takes WebGPU only on a hardware adapter: a software one
 * (SwiftShader when the machine has no GPU) runs this model 25-50x slower than WASM.
 */
export async function chooseBackend(choice: BackendChoice): Promise<BackendChoiceMade> {
  if (isNode) return { backend: 'wasm', reason: 'Node runs WASM' };
  const adapter = await webGpuAdapter();
  if (choice === 'webgpu') {
    if (!adapter) throw new OptionError('WebGPU is not available here (no adapter): choose the WASM backend.');
    return { backend: 'webgpu', reason: `as asked, on ${adapter.name}${adapter.software ? ' (a software renderer: slow)' : ''}` };
  }
  if (choice === 'wasm') return { backend: 'wasm', reason: 'as asked' };
  if (!adapter) return { backend: 'wasm', reason: 'this browser offers no WebGPU' };
  if (adapter.software) return { backend: 'wasm', reason: `no hardware GPU found (only ${adapter.name}, a software renderer slower than WASM)` };
  return { backend: 'webgpu', reason: `GPU: ${adapter.name}` };
}

/** fp16 weights on WebGPU need an adapter that computes in float16; the error says what to do instead. */
async function needShaderF16(): Promise<void> {
  const adapter = await webGpuAdapter();
  if (adapter && !adapter.shaderF16) {
    throw new OptionError(optionText`fp16 weights need a GPU with the shader-f16 feature, and ${adapter.name} has none: set {quantization} to fp32 or int8, or run on WASM.`);
  }
}

export class OnnxDenoiser implements Denoiser {
  readonly vocabSize: number;
  readonly maskId: number;
  readonly backend: Backend;
  /** Why this backend: shown to the user beside it ("no hardware GPU found"). */
  readonly backendReason: string;
  readonly #session: ort.InferenceSession;
  readonly #needsTokenTypes: boolean;
  /**
   * A decode graph (models/pipeline/decode_graph.py) takes the positions to compute the head at and
   * reduces each row in the graph; any other masked LM (a Hub export) gives logits everywhere.
   */
  readonly #decodeGraph: boolean;
  /**
   * For the other masked LMs, the same reduction as a session of its own on the same device: it takes
   * the full logits where they are (on WebGPU, a GPU buffer) and only the row summaries are read back.
   */
  readonly #rowSummary: ort.InferenceSession | null;
  readonly summarize: Denoiser['summarize'];
  /** Bytes read back from the GPU so far (WebGPU only): what a step costs the bus, for the benchmark. */
  readBackBytes = 0;
  /** One run at a time: several callers (candidates, a local target) share one session. */
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(session: ort.InferenceSession, rowSummary: ort.InferenceSession | null, choice: BackendChoiceMade, vocabSize: number, maskId: number) {
    this.#session = session;
    this.#rowSummary = rowSummary;
    this.backend = choice.backend;
    this.backendReason = choice.reason;
    this.vocabSize = vocabSize;
    this.maskId = maskId;
    // BERT exports take segment ids too; a single-segment canvas is all zeros.
    this.#needsTokenTypes = session.inputNames.includes('token_type_ids');
    this.#decodeGraph = rowSummary === null;
    this.summarize = (ids, positions, suppress) => this.summarizeBatch([{ ids, positions }], suppress).then(([summary]) => summary);
  }

  /** Whether the graph computes the head only at the positions asked for (a decode graph). */
  get headAtPositions(): boolean {
    return this.#decodeGraph;
  }

  static async create(model: ModelPackage, maskId: number, options: SessionOptions, { onStage }: { onStage?: (stage: LoadStage) => void } = {}): Promise<OnnxDenoiser> {
    configureOrt(options.wasmPaths);
    const choice = await chooseBackend(options.backend);
    onStage?.('compiling');
    const open = async (made: BackendChoiceMade) => {
      if (made.backend === 'webgpu' && model.quantization === 'fp16') await needShaderF16();
      const session = await createSession(model, made.backend);
      const decodeGraph = session.inputNames.includes('positions') && session.outputNames.includes('top_id');
      const rowSummary = decodeGraph ? null : await ort.InferenceSession.create(rowSummaryGraph(logitsType(session)), sessionOptions(made.backend));
      return new OnnxDenoiser(session, rowSummary, made, model.config.vocab_size, maskId);
    };
    let denoiser: OnnxDenoiser;
    try {
      denoiser = await open(choice);
    } catch (error) {
      // A graph WebGPU cannot run may still run on the CPU; only an explicit request for WebGPU fails.
      if (choice.backend !== 'webgpu' || options.backend !== 'auto') throw error;
      denoiser = await open({ backend: 'wasm', reason: `WebGPU could not run this model (${(error as Error).message.slice(0, 120)})` });
    }
    onStage?.('warming-up');
    await denoiser.#warmUp(model.source);
    return denoiser;
  }

  /**
   * One small run of each kind the decoder makes, so the first real decode does not pay for shader
   * compilation (WebGPU) and first-run allocation.
   */
  async #warmUp(source: string): Promise<void> {
    const rows = [{ ids: Int32Array.of(this.maskId, this.maskId), positions: Int32Array.of(0) }];
    const name = this.#decodeGraph ? 'logits' : this.#session.outputNames[0];
    const logits = (await this.#session.run(this.#logitFeeds(rows), [name]))[name];
    const width = logits.dims.at(-1);
    logits.dispose();
    if (width !== this.vocabSize) {
      throw new ModelFileError(
        `${source}/config.json`,
        `says vocab_size ${this.vocabSize}, but the model's logits have ${width} columns`,
        'The config and the weights come from different models: use the config.json exported with these weights.',
      );
    }
    await this.summarizeBatch(rows, new Uint8Array(this.vocabSize));
    this.readBackBytes = 0;
  }

  forward(ids: Int32Array, positions: Int32Array): Promise<Float32Array> {
    return this.forwardBatch([{ ids, positions }]).then(([logits]) => logits);
  }

  /**
   * Logits for several canvases in one run (a batch padded to the longest): row-major
   * [positions.length x vocab] per canvas. Inputs are copied at once, so callers may reuse them.
   */
  forwardBatch(rows: readonly CanvasRows[]): Promise<Float32Array[]> {
    const vocab = this.vocabSize;
    const feeds = this.#logitFeeds(rows);
    if (this.#decodeGraph) {
      return this.#enqueue(async () => {
        const logits = await this.#take<Float32Array>((await this.#session.run(feeds, ['logits'])).logits);
        const stride = (logits.length / rows.length) | 0;
        return rows.map((row, b) => logits.slice(b * stride, b * stride + row.positions.length * vocab));
      });
    }
    const wanted = rows.map((row) => row.positions.slice());
    return this.#enqueue(async () => {
      // Any other masked LM gives logits everywhere: keep the rows asked for.
      const all = await this.#takeLogits((await this.#session.run(feeds))[this.#session.outputNames[0]]);
      const stride = (all.length / rows.length) | 0;
      return wanted.map((positions, b) => {
        const out = new Float32Array(positions.length * vocab);
        positions.forEach((p, r) => out.set(all.subarray(b * stride + p * vocab, b * stride + (p + 1) * vocab), r * vocab));
        return out;
      });
    });
  }

  /**
   * Row summaries for several canvases: one run of a decode graph, or of a full-logits graph followed
   * by the row-summary session on the logits where they lie.
   */
  summarizeBatch(rows: readonly CanvasRows[], suppress: Uint8Array): Promise<RowSummary[]> {
    const bias = new Float32Array(this.vocabSize);
    for (let v = 0; v < bias.length; v++) if (suppress[v]) bias[v] = suppressedLogit;
    const canvas = this.#canvasFeeds(rows);
    const positions = this.#positionFeeds(rows, bias);
    const summaryNames = ['top_id', 'top_logprob', 'second_logprob', 'entropy'];
    return this.#enqueue(async () => {
      let outputs: ort.InferenceSession.OnnxValueMapType;
      if (this.#rowSummary === null) outputs = await this.#session.run({ ...canvas, ...positions }, summaryNames);
      else {
        const logits = (await this.#session.run(canvas))[this.#session.outputNames[0]];
        try {
          outputs = await this.#rowSummary.run({ all_logits: logits, ...positions }, summaryNames);
        } finally {
          logits.dispose();
        }
      }
      const token = await this.#take<Int32Array>(outputs.top_id);
      const logProb = await this.#take<Float32Array>(outputs.top_logprob);
      const secondLogProb = await this.#take<Float32Array>(outputs.second_logprob);
      const entropy = await this.#take<Float32Array>(outputs.entropy);
      const stride = (token.length / rows.length) | 0;
      return rows.map((row, b) => {
        const [from, to] = [b * stride, b * stride + row.positions.length];
        return { token: token.slice(from, to), logProb: logProb.slice(from, to), secondLogProb: secondLogProb.slice(from, to), entropy: entropy.slice(from, to) };
      });
    });
  }

  /** One run at a time: several callers (candidates, a local target) share one session. */
  #enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work).then(async (result) => {
      await yieldToEvents();
      return result;
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** What a run that returns logits takes: the canvases, and for a decode graph the rows wanted with no bias. */
  #logitFeeds(rows: readonly CanvasRows[]): Record<string, ort.Tensor> {
    return this.#decodeGraph ? { ...this.#canvasFeeds(rows), ...this.#positionFeeds(rows, new Float32Array(this.vocabSize)) } : this.#canvasFeeds(rows);
  }

  /** The canvases of a batch, padded to the longest (attention_mask 0 there). */
  #canvasFeeds(rows: readonly CanvasRows[]): Record<string, ort.Tensor> {
    const batch = rows.length;
    const length = Math.max(...rows.map((r) => r.ids.length));
    const inputIds = new BigInt64Array(batch * length);
    const mask = new BigInt64Array(batch * length);
    rows.forEach(({ ids }, b) => {
      for (let i = 0; i < ids.length; i++) {
        inputIds[b * length + i] = BigInt(ids[i]);
        mask[b * length + i] = 1n;
      }
    });
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', inputIds, [batch, length]),
      attention_mask: new ort.Tensor('int64', mask, [batch, length]),
    };
    if (this.#needsTokenTypes) feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(batch * length), [batch, length]);
    return feeds;
  }

  /** The rows wanted, padded to the most positions (padding rows ask for position 0 and are dropped), and the logit bias. */
  #positionFeeds(rows: readonly CanvasRows[], logitBias: Float32Array): Record<string, ort.Tensor> {
    const count = Math.max(...rows.map((r) => r.positions.length));
    const positions = new BigInt64Array(rows.length * count);
    rows.forEach((row, b) => row.positions.forEach((p, i) => (positions[b * count + i] = BigInt(p))));
    return { positions: new ort.Tensor('int64', positions, [rows.length, count]), logit_bias: new ort.Tensor('float32', logitBias, [logitBias.length]) };
  }

  /** A tensor's data on the CPU, the tensor itself released (it may live on the GPU). */
  async #take<T extends Float32Array | Int32Array | Uint16Array>(tensor: ort.Tensor): Promise<T> {
    const data = (await tensor.getData()) as T;
    // On WebGPU every output was computed on the GPU: read here, or by the runtime before run() returned.
    if (this.backend === 'webgpu') this.readBackBytes += data.byteLength;
    tensor.dispose();
    return data;
  }

  /** A full-logits graph's logits on the CPU as float32 (an fp16 export's widened), the tensor released. */
  async #takeLogits(tensor: ort.Tensor): Promise<Float32Array> {
    if (tensor.type !== 'float16') return this.#take<Float32Array>(tensor);
    return widenHalves(await this.#take<Uint16Array>(tensor));
  }

  /** Logits at every position of one canvas, row-major [length x vocab] (parity checks, evaluation). */
  async forwardAll(ids: Int32Array): Promise<Float32Array> {
    const positions = new Int32Array(ids.length);
    for (let i = 0; i < positions.length; i++) positions[i] = i;
    return this.forward(ids, positions);
  }

  async release(): Promise<void> {
    await this.#session.release();
    await this.#rowSummary?.release();
  }
}

/** The element type of a full-logits graph's output: float32, or float16 for an fp16 export. */
function logitsType(session: ort.InferenceSession): 'float32' | 'float16' {
  const [logits] = session.outputMetadata;
  return logits?.isTensor && logits.type === 'float16' ? 'float16' : 'float32';
}

const rowSummaryBytes: Partial<Record<'float32' | 'float16', Uint8Array>> = {};

/** The row-summary graph's bytes for these logits (decoded once; each session gets its own copy, as sessions may take ownership). */
function rowSummaryGraph(logits: 'float32' | 'float16'): Uint8Array {
  rowSummaryBytes[logits] ??= Uint8Array.from(atob(logits === 'float16' ? rowSummaryGraphF16Base64 : rowSummaryGraphBase64), (c) => c.charCodeAt(0));
  return rowSummaryBytes[logits].slice();
}

/**
 * Every session's options. On WebGPU `logits` stay on the GPU (`gpu-buffer`): a full-logits graph's go
 * to the row-summary session there, and #take copies them back only when a caller needs them all. Other
 * outputs (the summaries) the runtime reads back as run() returns.
 */
function sessionOptions(backend: Backend): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [backend],
    graphOptimizationLevel: 'all',
    // Errors only: the runtime's warning that shape ops run on the CPU is expected, and browsers
    // print its warnings as console errors on every WebGPU load.
    logSeverityLevel: 3,
    ...(backend === 'webgpu' ? { preferredOutputLocation: { logits: 'gpu-buffer' as const } } : {}),
  };
}

async function createSession(model: ModelPackage, backend: Backend): Promise<ort.InferenceSession> {
  const file = `${model.source} (${model.quantization})`;
  const size = `${(model.onnx.byteLength / 2 ** 30).toFixed(1)} GB`;
  if (backend === 'wasm' && model.onnx.byteLength > wasmFileLimit) {
    throw new ModelFileError(file, `is ${size}, more than the WASM runtime can load (2 GB: its memory holds 4 GB, and loading takes twice the file)`, optionText`Set {quantization} to int8 or q4, or run it on WebGPU.`);
  }
  try {
    return await ort.InferenceSession.create(model.onnx, sessionOptions(backend));
  } catch (error) {
    const message = (error as Error).message;
    if (/out of memory|allocation failed|maxBufferSize|maxStorageBufferBindingSize|memory access out of bounds/i.test(message)) {
      throw new ModelFileError(
        file,
        `is ${size}, too large for ${backend === 'webgpu' ? "this GPU's buffers or memory" : 'the memory WASM has here'} (${message.slice(0, 160)})`,
        optionText`Set {quantization} to a smaller variant (int8 or q4), ${backend === 'webgpu' ? 'or choose the WASM backend' : 'or run it on WebGPU'}, or choose a smaller model.`,
      );
    }
    throw new ModelFileError(
      file,
      `could not be loaded as an ONNX model on ${backend === 'webgpu' ? 'WebGPU' : 'WASM'} (${message})`,
      optionText`The file may be damaged or use operators this runtime lacks: download or export it again, or set {quantization} to another of ${quantizations.join(', ')}.`,
    );
  }
}
