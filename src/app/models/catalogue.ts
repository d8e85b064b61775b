// Masked LMs from the Hugging Face Hub that have ONNX exports in the transformers.js layout, offered in
// the Models view by size. Sizes are the int8 downloads the Hub lists where known (issue 16's table),
// else 4 bytes (fp32) or 1 byte (int8) per parameter, and said to be approximate.
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
  { id: 'onnx-community/ettin-encoder-32m-ONNX', parameters: 32 * M, about: 'Ettin, twice the size', variants: [{ quantization: 'int8', bytes: 32 * M }, { quantization: 'fp32', bytes: 128 * M }] },
  { id: 'Xenova/bert-base-uncased', parameters: 110 * M, about: 'BERT base, lowercased (2018)', variants: [{ quantization: 'int8', bytes: 111 * M }, { quantization: 'fp32', bytes: 440 * M }] },
  { id: 'answerdotai/ModernBERT-base', parameters: 149 * M, about: 'ModernBERT base: 8k context, code and text', variants: [{ quantization: 'int8', bytes: 151 * M }, { quantization: 'fp32', bytes: 598 * M }] },
  { id: 'onnx-community/ModernBERT-Large-Instruct-ONNX', parameters: 395 * M, about: 'ModernBERT large, instruction-tuned to answer through its mask', variants: [{ quantization: 'int8', bytes: 398 * M }, { quantization: 'fp32', bytes: 1580 * M }] },
];

/** A download above this asks first: on a metered or slow line it is a real cost. */
export const largeDownloadBytes = 100 * M;

/** Memory while loading: the file's bytes and the weights made from them, about twice the file. */
export const memoryNeeded = (variant: CatalogueVariant): number => 2 * variant.bytes;

/** The backends that can run a variant: WebGPU always, WASM up to the file size its memory can load. */
export const backendsFor = (variant: CatalogueVariant): Backend[] => (variant.bytes <= wasmFileLimit ? ['wasm', 'webgpu'] : ['webgpu']);
