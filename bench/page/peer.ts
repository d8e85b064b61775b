// The peer in the read-back benchmark: the same masked LM run the way a transformers.js user runs it,
// `AutoModelForMaskedLM` and their own unmasking loop. Each step runs the model on the whole canvas, takes
// its full logits (read back to the CPU, as transformers.js returns them), and commits the masked position
// whose softmax is most sure. Browser only: the package's Node build needs onnxruntime-node, which the
// repository does not install (bench/unused-native).
import { AutoModelForMaskedLM, env, Tensor, type PreTrainedModel } from '@huggingface/transformers';
import type { Backend } from '../../src/model/progress';

export interface PeerRun {
  ms_per_step: number;
  /** Bytes of logits copied back from the GPU per step (0 on WASM, where they never leave the CPU). */
  bytes_per_step: number;
  /** The token each of the first `steps` steps committed, with its position. */
  committed: { position: number; token: number }[];
}

/** A Hub-layout folder at `modelUrl` (ending in '/'), from that server only, never the Hub. */
export async function loadPeer(modelUrl: string, backend: Backend, wasmPaths: string): Promise<PreTrainedModel> {
  const folder = new URL(modelUrl);
  const id = folder.pathname.split('/').filter(Boolean).at(-1)!;
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = new URL('..', folder).href;
  env.useBrowserCache = false;
  env.backends.onnx.wasm!.wasmPaths = wasmPaths;
  return AutoModelForMaskedLM.from_pretrained(id, { device: backend, dtype: 'fp32' });
}

/**
 * `steps` steps of the peer's loop on `ids` (mask tokens at the masked positions), after one warm-up
 * step on a copy. `never` lists token ids never to write (the special ids).
 */
export async function peerSteps(model: PreTrainedModel, backend: Backend, ids: Int32Array, maskId: number, never: Iterable<number>, steps: number): Promise<PeerRun> {
  const step = async (canvas: BigInt64Array) => {
    const shape = [1, canvas.length];
    const { logits } = await model({ input_ids: new Tensor('int64', canvas, shape), attention_mask: new Tensor('int64', new BigInt64Array(canvas.length).fill(1n), shape) });
    const data = logits.data as Float32Array;
    const vocab = data.length / canvas.length;
    let best = { position: -1, token: -1, prob: -1 };
    for (let p = 0; p < canvas.length; p++) {
      if (canvas[p] !== BigInt(maskId)) continue;
      const row = data.subarray(p * vocab, (p + 1) * vocab);
      for (const id of never) row[id] = -Infinity;
      let max = -Infinity;
      let token = -1;
      for (let v = 0; v < vocab; v++) if (row[v] > max) (max = row[v]), (token = v);
      let sum = 0;
      for (let v = 0; v < vocab; v++) sum += Math.exp(row[v] - max);
      if (1 / sum > best.prob) best = { position: p, token, prob: 1 / sum };
    }
    canvas[best.position] = BigInt(best.token);
    return { bytes: backend === 'webgpu' ? data.byteLength : 0, position: best.position, token: best.token };
  };
  const canvas = BigInt64Array.from(ids, BigInt);
  await step(canvas.slice());
  const committed: PeerRun['committed'] = [];
  let bytes = 0;
  const started = performance.now();
  for (let i = 0; i < steps; i++) {
    const done = await step(canvas);
    bytes += done.bytes;
    committed.push({ position: done.position, token: done.token });
  }
  return { ms_per_step: (performance.now() - started) / steps, bytes_per_step: bytes / steps, committed };
}
