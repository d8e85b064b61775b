// A model package: the Hugging Face / transformers.js folder layout (config.json, tokenizer files,
// onnx/*.onnx). Any BERT-family masked LM in that layout is a usable denoiser.
import { ModelFileError } from './errors';
import { packagePath, readPackageFile, readPackageJson, type ReadOptions } from './files';
import type { Quantization } from './options';

/** transformers.js file names for each weight format. */
const onnxFiles: Record<Quantization, string> = {
  fp32: 'onnx/model.onnx',
  int8: 'onnx/model_quantized.onnx',
  q4: 'onnx/model_q4.onnx',
};

export interface ModelConfig {
  vocab_size: number;
  max_position_embeddings: number;
  model_type?: string;
  [key: string]: unknown;
}

export interface ModelPackage {
  source: string;
  config: ModelConfig;
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
    readPackageFile(source, onnxFiles[quantization], options),
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
  return { source, config, tokenizerJson, tokenizerConfig, onnx, quantization };
}

export function onnxFileOf(quantization: Quantization): string {
  return onnxFiles[quantization];
}
