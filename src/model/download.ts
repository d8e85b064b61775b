// Fetches a whole model package into the browser's model cache ahead of use (the Models view), with
// progress per file; loading it later reads the cached files.
import { readPackageFile, type ReadOptions } from './files';
import type { Quantization } from './options';
import { onnxFileOf } from './package';

export function packageFiles(quantization: Quantization): string[] {
  return ['config.json', 'tokenizer.json', 'tokenizer_config.json', onnxFileOf(quantization)];
}

/** Downloads (or finds cached) every file of the package; rejects with the first file that fails. */
export async function downloadPackage(source: string, quantization: Quantization, options: ReadOptions = {}): Promise<void> {
  // config.json first: when it is missing, the address is wrong, and that is the error to show.
  const [config, ...rest] = packageFiles(quantization);
  await readPackageFile(source, config, options);
  await Promise.all(rest.map((file) => readPackageFile(source, file, options)));
}
