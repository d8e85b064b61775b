// Checks that @huggingface/tokenizers (what the browser runs) encodes exactly like bpe.py's Encoder.
//   node models/pipeline/check_tokenizer.mjs <model-dir> <cases.json>
// cases.json: [{"text": "...", "ids": [...]}] with ids from Encoder.encode(text, add_special=True).
import { readFileSync } from 'node:fs';
import { Tokenizer } from '@huggingface/tokenizers';

const [dir, casesPath] = process.argv.slice(2);
const read = (p) => JSON.parse(readFileSync(p, 'utf8'));
const tokenizer = new Tokenizer(read(`${dir}/tokenizer.json`), read(`${dir}/tokenizer_config.json`));
let failures = 0;
for (const { text, ids } of read(casesPath)) {
  const got = tokenizer.encode(text).ids;
  const decoded = tokenizer.decode(got, { skip_special_tokens: true });
  const idsOk = got.length === ids.length && got.every((id, i) => id === ids[i]);
  if (!idsOk || decoded !== text) {
    failures++;
    console.log(`MISMATCH ${JSON.stringify(text)}\n  python ${ids}\n  js     ${got}\n  decoded ${JSON.stringify(decoded)}`);
  }
}
console.log(`tokenizer check: ${failures} mismatches`);
process.exit(failures ? 1 : 0);
