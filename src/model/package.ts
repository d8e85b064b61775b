// A model package: the Hugging Face / transformers.js folder layout (config.json, tokenizer files,
// onnx/*.onnx). Any BERT-family masked LM in that layout is a usable denoiser.
import { optionText } from '../core/errors';
import { ModelFileError } from './errors';
import { localFolderFiles, packagePath, readPackageFile, readPackageJson, type ReadOptions } from './files';
import { quantizations, type Quantization } from './options';

/** transformers.js file names for each weight format. */
const onnxFiles: Record<Quantization, string> = {
  fp32: 'onnx/model.onnx',
  fp16: 'onnx/model_fp16.onnx',
  int8: 'onnx/model_quantized.onnx',
  q4: 'onnx/model_q4.onnx',
};

export interface ModelConfig {
  vocab_size: number;
  max_position_embeddings: number;
  model_type?: string;
  [key: string]: unknown;
}

/**
 * A threshold only means something against the model's calibration (Fast-dLLM's 0.9 is for an 8B
 * model; a small one is rarely that sure), so a package may carry its own: config.json
 * `"remask_decoding": {"threshold": t, "keep_apart": true, "avoid_repeats": true}`. The embedded
 * model's threshold is chosen by `npm run bench -- --sweep --set-default`, its repeat guard by
 * `npm run eval:infill`.
 */
export interface PackageDecoding {
  threshold: number;
  /** Commit no two neighbouring positions in one step (DecodeOptions.keepApart). */
  keepApart: boolean;
  /** Never write a phrase twice in a row (DecodeOptions.avoidRepeats): the model's own stutter guard. */
  avoidRepeats: boolean;
}

/** The part of a package's decoding that decides how many tokens a step commits (what the sweep chooses). */
export type PackageCommitRule = Pick<PackageDecoding, 'threshold' | 'keepApart'>;

export interface ModelPackage {
  source: string;
  config: ModelConfig;
  /** The package's own default decoding (config.json `remask_decoding`), or null for none. */
  decoding: PackageDecoding | null;
  tokenizerJson: unknown;
  tokenizerConfig: Record<string, unknown>;
  onnx: Uint8Array;
  quantization: Quantization;
}

export async function loadModelPackage(
  source: string,
  quantization: Quantization,
  options: ReadOptions = {},
): Promise<ModelPackage> {
  // config.json first: when it is missing, the path itself is wrong, and that is the error to show.
  const config = await readPackageJson<ModelConfig>(source, 'config.json', options);
  const [tokenizerJson, tokenizerConfig, onnx] = await Promise.all([
    readPackageJson<unknown>(source, 'tokenizer.json', options),
    readPackageJson<Record<string, unknown>>(source, 'tokenizer_config.json', options),
    readOnnx(source, quantization, options),
  ]);
  for (const field of ['vocab_size', 'max_position_embeddings'] as const) {
    if (!Number.isInteger(config[field]) || config[field] <= 0) {
      throw new ModelFileError(
        packagePath(source, 'config.json'),
        `has no valid "${field}"`,
        'A masked-LM config.json names its vocab_size and max_position_embeddings: re-export the model.',
      );
    }
  }
  return { source, config, decoding: decodingOf(config, source), tokenizerJson, tokenizerConfig, onnx, quantization };
}

/**
 * The weights for a quantization. When a local folder lacks them, the error names the ONNX files it
 * does hold and the setting that picks a usable one, or says that none of them is one Remask runs.
 */
async function readOnnx(source: string, quantization: Quantization, options: ReadOptions): Promise<Uint8Array> {
  try {
    return await readPackageFile(source, onnxFiles[quantization], options);
  } catch (error) {
    const held = (await localFolderFiles(source, 'onnx'))?.filter((name) => name.endsWith('.onnx'));
    if (!(error instanceof ModelFileError) || held === undefined) throw error;
    const usable = quantizations.filter((q) => held.includes(onnxFiles[q].slice('onnx/'.length)));
    const where = packagePath(source, onnxFiles[quantization]);
    if (usable.length > 0) {
      throw new ModelFileError(where, `was not found (onnx/ holds ${held.join(', ')})`, optionText`Set {quantization} to ${usable.join(' or ')}.`);
    }
    const runs = quantizations.map((q) => `${onnxFiles[q].slice('onnx/'.length)} (${q})`).join(', ');
    throw new ModelFileError(
      where,
      held.length > 0 ? `was not found, and no ONNX file in onnx/ (${held.join(', ')}) is one Remask runs` : 'was not found, and the folder has no onnx/*.onnx',
      `Remask runs ${runs}: convert the model's Hugging Face checkpoint with models/pipeline/convert.py, or download a folder that has one.`,
    );
  }
}

function decodingOf(config: ModelConfig, source: string): PackageDecoding | null {
  const decoding = config.remask_decoding;
  if (decoding === undefined) return null;
  const { threshold, keep_apart: keepApart = false, avoid_repeats: avoidRepeats = false, ...rest } = (decoding ?? {}) as Record<string, unknown>;
  if (
    typeof threshold !== 'number' ||
    !(threshold >= 0 && threshold <= 1) ||
    typeof keepApart !== 'boolean' ||
    typeof avoidRepeats !== 'boolean' ||
    Object.keys(rest).length > 0
  ) {
    throw new ModelFileError(
      packagePath(source, 'config.json'),
      'has a "remask_decoding" that is not {"threshold": t, "keep_apart": true or false, "avoid_repeats": true or false} with 0 <= t <= 1',
      'Fix or remove it: without it the model decodes with the fixed step schedule.',
    );
  }
  return { threshold, keepApart, avoidRepeats };
}

export function onnxFileOf(quantization: Quantization): string {
  return onnxFiles[quantization];
}
