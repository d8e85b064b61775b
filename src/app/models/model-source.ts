// What the user typed in Models, as a package folder URL: a Hugging Face Hub id ("owner/name") in the
// transformers.js layout (https://huggingface.co/<id>/resolve/main/<file>), or a URL of such a folder.
import { OptionError } from '../../core/errors';

const hubId = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

export function packageSource(input: string): string {
  const text = input.trim();
  const folder = (url: string) => (url.endsWith('/') ? url : `${url}/`);
  if (/^https?:\/\//i.test(text)) return folder(text.replace(/\/(config\.json|onnx\/[^/]*)$/, ''));
  if (text.startsWith('/')) return folder(text);
  if (hubId.test(text)) return `https://huggingface.co/${text}/resolve/main/`;
  throw new OptionError(
    `"${text}" is neither a Hub model id (like Xenova/bert-base-uncased) nor a URL: enter one of those. The model must have the transformers.js layout (config.json, tokenizer.json, onnx/).`,
  );
}
