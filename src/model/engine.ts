// The engine: a loaded model package (tokenizer + ONNX session) that infills text with the core
// sampler. The CLI uses it directly in Node; the browser worker wraps the same class.
import { decode, defaultDecodeOptions, type DecodeOptions } from '../core/sampler';
import { OptionError } from '../core/errors';
import { OnnxDenoiser } from './onnx-denoiser';
import type { BackendChoice, Quantization } from './options';
import { loadModelPackage, type PackageDecoding } from './package';
import type { Backend, ProgressCallback } from './progress';
import { TextCodec } from './tokenizer';
import { traceStep, type TraceStep } from './trace-step';

export interface LoadRequest {
  model: string;
  quantization: Quantization;
  backend: BackendChoice;
  wasmPaths?: string;
}

export interface ModelInfo {
  model: string;
  quantization: Quantization;
  backend: Backend;
  /** Why that backend, in words for the user: "no hardware GPU found (...)". */
  backendReason: string;
  /** How tokens join into text (see TextCodec.wordsCarrySpaces): the Playground's canvas joins them alike. */
  wordsCarrySpaces: boolean;
  vocabSize: number;
  maxLength: number;
  /** The package's default decoding (see PackageDecoding), null for the step schedule. */
  decoding: PackageDecoding | null;
}

/** Decoding settings a caller may set; the rest (suppressed ids, callbacks) the engine fills in. */
export type InfillSettings = Omit<DecodeOptions, 'suppress' | 'signal' | 'onStep'>;

export interface InfillResult {
  text: string;
  steps: number;
  nfe: number;
  ms: number;
  trace?: TraceStep[];
}

export class Engine {
  readonly info: ModelInfo;
  readonly codec: TextCodec;
  readonly denoiser: OnnxDenoiser;

  private constructor(info: ModelInfo, codec: TextCodec, denoiser: OnnxDenoiser) {
    this.info = info;
    this.codec = codec;
    this.denoiser = denoiser;
  }

  static async load(request: LoadRequest, { onProgress, signal }: { onProgress?: ProgressCallback; signal?: AbortSignal } = {}): Promise<Engine> {
    const pkg = await loadModelPackage(request.model, request.quantization, { onProgress, signal });
    const codec = new TextCodec(pkg);
    const denoiser = await OnnxDenoiser.create(pkg, codec.maskId, request, { onStage: (stage) => onProgress?.({ status: 'stage', stage }) });
    onProgress?.({ status: 'ready', backend: denoiser.backend });
    const info: ModelInfo = {
      model: request.model,
      quantization: request.quantization,
      backend: denoiser.backend,
      backendReason: denoiser.backendReason,
      wordsCarrySpaces: codec.wordsCarrySpaces,
      vocabSize: pkg.config.vocab_size,
      maxLength: codec.maxLength,
      decoding: pkg.decoding,
    };
    return new Engine(info, codec, denoiser);
  }

  /**
   * Infills the [MASK]s of `text`. Each step handed to `onStep` is the caller's: its arrays are used
   * nowhere else, so the worker may transfer them to the page (with `trace`, which keeps the sampler's
   * snapshots, onStep gets copies).
   */
  async infill(
    text: string,
    settings: Partial<InfillSettings> = {},
    { onStep, signal }: { onStep?: (step: TraceStep) => void; signal?: AbortSignal } = {},
  ): Promise<InfillResult> {
    const started = performance.now();
    const tokenText = (id: number) => this.codec.tokenText(id);
    const resolved = this.decodeOptions(settings);
    const options: DecodeOptions = {
      ...resolved,
      signal,
      onStep: onStep && ((snapshot) => onStep(traceStep(snapshot, tokenText, { copy: resolved.trace }))),
    };
    const canvas = this.codec.encodeInfill(text);
    const result = await decode(this.denoiser, canvas, options);
    const ms = performance.now() - started;
    return {
      text: this.codec.decodeText(result.ids),
      steps: result.steps,
      nfe: result.nfe,
      ms,
      ...(resolved.trace ? { trace: result.trace.map((s) => traceStep(s, tokenText)) } : {}),
    };
  }

  /**
   * The sampler's options for these settings: defaults filled in, the model's special ids suppressed.
   * A caller who names no commit rule (steps, threshold or factor) and no remasking (which needs the
   * schedule) gets the package's default decoding where it has one. The package's repeat guard belongs
   * to the model, not to a rule: it holds under any rule unless the caller sets avoidRepeats.
   */
  decodeOptions(settings: Partial<InfillSettings>): DecodeOptions {
    checkSettingNames(settings);
    const { decoding } = this.info;
    const namesRule = settings.steps !== undefined || settings.threshold !== undefined || settings.factor !== undefined;
    const modelRule = decoding !== null && !namesRule && !settings.remask ? decoding : {};
    const guard = decoding !== null ? { avoidRepeats: decoding.avoidRepeats } : {};
    return { ...defaultDecodeOptions, ...guard, ...modelRule, ...settings, suppress: this.codec.specialIds };
  }

  async dispose(): Promise<void> {
    await this.denoiser.release();
  }
}

const settingNames = Object.keys(defaultDecodeOptions).filter((name) => name !== 'suppress');

/** A misspelt setting would otherwise be ignored silently and the decode run with a default. */
function checkSettingNames(settings: object): void {
  for (const name of Object.keys(settings)) {
    if (!settingNames.includes(name)) {
      throw new OptionError(`Unknown decoding setting "${name}": use ${settingNames.join(', ')}.`);
    }
  }
}
