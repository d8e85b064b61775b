// Masked LMs from the Hugging Face Hub that have ONNX exports in the transformers.js layout, offered in
// the Models view by size. Sizes are the int8 downloads the Hub lists where known (issue 16's table),
// else 4 bytes (fp32), 2 (fp16) or 1 (int8) per parameter, and said to be approximate. fp16 is listed
// for the onnx-community exports, whose conversion script writes model_fp16.onnx.
import type { WebGpuAdapter } from '../../model/env';
import { wasmFileLimit, type Quantization } from '../../model/options';
import type { Backend } from '../../model/progress';

export interface CatalogueVariant {
  quantization: Quantization;
  /** The ONNX file's size in bytes (the tokenizer and config add well under 5 MB). */
  bytes: number;
}

export interface CatalogueModel {
  id: string;
  parameters: number;
  about: string;
  variants: CatalogueVariant[];
}

const M = 1e6;

export const catalogue: CatalogueModel[] = [
  { id: 'jhu-clsp/ettin-encoder-17m', parameters: 17 * M, about: 'Ettin, the smallest: ModernBERT recipe, 2025', variants: [{ quantization: 'int8', bytes: 17 * M }, { quantization: 'fp32', bytes: 68 * M }] },
  { id: 'onnx-community/ettin-encoder-32m-ONNX', parameters: 32 * M, about: 'Ettin, twice the size', variants: [{ quantization: 'int8', bytes: 32 * M }, { quantization: 'fp16', bytes: 64 * M }, { quantization: 'fp32', bytes: 128 * M }] },
  { id: 'Xenova/bert-base-uncased', parameters: 110 * M, about: 'BERT base, lowercased (2018)', variants: [{ quantization: 'int8', bytes: 111 * M }, { quantization: 'fp32', bytes: 440 * M }] },
  { id: 'answerdotai/ModernBERT-base', parameters: 149 * M, about: 'ModernBERT base: 8k context, code and text', variants: [{ quantization: 'int8', bytes: 151 * M }, { quantization: 'fp32', bytes: 598 * M }] },
  { id: 'onnx-community/ModernBERT-Large-Instruct-ONNX', parameters: 395 * M, about: 'ModernBERT large, instruction-tuned to answer through its mask', variants: [{ quantization: 'int8', bytes: 398 * M }, { quantization: 'fp16', bytes: 790 * M }, { quantization: 'fp32', bytes: 1580 * M }] },
];

/** A download above this asks first: on a metered or slow line it is a real cost. */
export const largeDownloadBytes = 100 * M;

/** Memory while loading: the file's bytes and the weights made from them, about twice the file. */
export const memoryNeeded = (variant: CatalogueVariant): number => 2 * variant.bytes;

/**
 * The backends that can run a variant: WebGPU (fp16 only on an adapter with shader-f16), and WASM up to
 * the file size its memory can load.
 */
export const backendsFor = (variant: CatalogueVariant): Backend[] => (variant.bytes <= wasmFileLimit ? ['wasm', 'webgpu'] : ['webgpu']);

/**
 * The variant to take on this device: fp16 on a hardware GPU that computes in float16 (half the
 * download of fp32, at GPU speed), else int8, the smallest that keeps fp32's choices.
 */
export function recommendedVariant(model: CatalogueModel, gpu: WebGpuAdapter | null): CatalogueVariant {
  const fp16 = model.variants.find((v) => v.quantization === 'fp16');
  if (fp16 && gpu !== null && !gpu.software && gpu.shaderF16) return fp16;
  return model.variants.find((v) => v.quantization === 'int8') ?? model.variants[0];
}
