// Scores ONNX model files on a masked evaluation set in onnxruntime-web (WASM, one thread), the
// runtime the browser falls back to. Called by eval_model.py; prints one JSON line per model.
//   node models/pipeline/eval_onnx.mjs <evalset.json> <model.onnx>...
// evalset.json: {"dims": [N, S], "vocab": V, "input_ids": flat masked inputs, "targets": [[row, pos, token], ...]}
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';

ort.env.wasm.numThreads = 1;
const BATCH = 8;
const [setPath, ...modelPaths] = process.argv.slice(2);
const set = JSON.parse(readFileSync(setPath, 'utf8'));
const [N, S] = set.dims;
const byRow = Array.from({ length: N }, () => []);
for (const [row, pos, token] of set.targets) byRow[row].push([pos, token]);

for (const path of modelPaths) {
  const session = await ort.InferenceSession.create(readFileSync(path), { executionProviders: ['wasm'] });
  let top1 = 0, top5 = 0, nll = 0, n = 0;
  const start = performance.now();
  for (let r0 = 0; r0 < N; r0 += BATCH) {
    const rows = Math.min(BATCH, N - r0);
    const ids = BigInt64Array.from(set.input_ids.slice(r0 * S, (r0 + rows) * S), BigInt);
    const feeds = {
      input_ids: new ort.Tensor('int64', ids, [rows, S]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(rows * S).fill(1n), [rows, S]),
    };
    // A decode graph (decode_graph.py) computes the head only at `positions`: ask for each row's masked
    // positions (rows padded by repeating their last one) and no logit bias. A plain graph gives all.
    const decode = session.inputNames.includes('positions');
    const P = decode ? Math.max(...byRow.slice(r0, r0 + rows).map((t) => t.length)) : S;
    if (decode) {
      const pos = new BigInt64Array(rows * P);
      for (let r = 0; r < rows; r++) {
        const t = byRow[r0 + r];
        for (let p = 0; p < P; p++) pos[r * P + p] = t.length ? BigInt(t[Math.min(p, t.length - 1)][0]) : 0n;
      }
      feeds.positions = new ort.Tensor('int64', pos, [rows, P]);
      feeds.logit_bias = new ort.Tensor('float32', new Float32Array(set.vocab), [set.vocab]);
    }
    const { logits } = await session.run(feeds, ['logits']);
    const V = logits.dims[2];
    for (let r = 0; r < rows; r++) {
      for (const [k, [pos, token]] of byRow[r0 + r].entries()) {
        const at = decode ? k : pos;
        const l = logits.data.subarray(((r * P) + at) * V, ((r * P) + at + 1) * V);
        let max = -Infinity;
        for (let v = 0; v < V; v++) max = Math.max(max, l[v]);
        let sum = 0, above = 0; // above = tokens scoring strictly higher than the target: its rank
        for (let v = 0; v < V; v++) {
          sum += Math.exp(l[v] - max);
          if (l[v] > l[token]) above++;
        }
        nll += Math.log(sum) + max - l[token];
        if (above === 0) top1++;
        if (above < 5) top5++;
        n++;
      }
    }
  }
  const seconds = (performance.now() - start) / 1000;
  console.log(JSON.stringify({ model: path, top1: top1 / n, top5: top5 / n, nll: nll / n, n,
    tokens_per_s: (N * S) / seconds }));
}
