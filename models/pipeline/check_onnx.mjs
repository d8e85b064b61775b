// Runs an ONNX model in onnxruntime-web (WASM backend, as the browser fallback does) and compares its
// logits with torch's. Called by export.py; prints one JSON line per model.
//   node models/pipeline/check_onnx.mjs <case.json> <model.onnx>...
// case.json: {"input_ids": [[..]], "attention_mask": [[..]], "dims": [B, S, V], "logits_file": "x.f32"}
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';

ort.env.wasm.numThreads = 1;
const [casePath, ...modelPaths] = process.argv.slice(2);
const c = JSON.parse(readFileSync(casePath, 'utf8'));
const [B, S, V] = c.dims;
const expected = new Float32Array(readFileSync(c.logits_file).buffer.slice(0));
const int64 = (rows) => new ort.Tensor('int64', BigInt64Array.from(rows.flat(), BigInt), [B, S]);

for (const path of modelPaths) {
  const session = await ort.InferenceSession.create(readFileSync(path), { executionProviders: ['wasm'] });
  const feeds = { input_ids: int64(c.input_ids), attention_mask: int64(c.attention_mask) };
  if (session.inputNames.includes('positions')) {
    // A decode graph (decode_graph.py): ask for the head at every position, with no token suppressed.
    feeds.positions = int64(c.input_ids.map((row) => row.map((_, i) => i)));
    feeds.logit_bias = new ort.Tensor('float32', new Float32Array(V), [V]);
  }
  const { logits } = await session.run(feeds, ['logits']);
  const got = logits.data;
  let maxDiff = 0, agree = 0;
  for (let row = 0; row < B * S; row++) {
    let a = 0, b = 0; // argmax of ours and torch's; ties go to the lower index
    for (let v = 0; v < V; v++) {
      const i = row * V + v;
      maxDiff = Math.max(maxDiff, Math.abs(got[i] - expected[i]));
      if (got[i] > got[row * V + a]) a = v;
      if (expected[i] > expected[row * V + b]) b = v;
    }
    if (a === b) agree++;
  }
  console.log(JSON.stringify({ model: path, dims: logits.dims, max_abs_diff: maxDiff, top1_agreement: agree / (B * S) }));
}
