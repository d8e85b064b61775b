// The benchmark's browser side: `npm run bench` opens this page in headless Chromium and calls
// window.runBench once per backend. Same code as the Node run (bench/decode-bench.ts).
import { benchDecode, benchReadBack, benchWindows, maskedCanvas, type BenchRun, type ReadBackRun } from '../decode-bench';
import { Engine } from '../../src/model/engine';
import { defaultQuantization } from '../../src/model/embedded';
import type { Backend } from '../../src/model/progress';
import { loadPeer, peerSteps, type PeerRun } from './peer';

interface BenchRequest {
  backend: Backend;
  model: string;
  heldout: string;
  seqs: number[];
  windows: number;
}

declare global {
  interface Window {
    runBench(request: BenchRequest): Promise<BenchRun[]>;
    timeLoad(request: Pick<BenchRequest, 'backend' | 'model'>): Promise<number>;
    runReadBack(request: Omit<BenchRequest, 'seqs' | 'windows'> & { seq: number; steps: number }): Promise<ReadBackRun & { peer: PeerRun }>;
  }
}

const wasmPaths = new URL('ort/', location.href).href;
const load = ({ backend, model }: Pick<BenchRequest, 'backend' | 'model'>, quantization = defaultQuantization(backend)) =>
  Engine.load({ model, quantization, backend, wasmPaths });

/** Milliseconds to load a model package: from the network and into IndexedDB the first time, from IndexedDB after. */
window.timeLoad = async (request) => {
  const started = performance.now();
  const engine = await load(request);
  const ms = performance.now() - started;
  await engine.dispose();
  return ms;
};

window.runBench = async ({ backend, model, heldout, seqs, windows }) => {
  const engine = await load({ backend, model });
  const text = await (await fetch(heldout)).text();
  const runs: BenchRun[] = [];
  for (const seq of seqs) runs.push(await benchDecode(engine, `${backend}-browser`, benchWindows(engine, text, seq, windows), seq));
  await engine.dispose();
  return runs;
};

window.runReadBack = async ({ backend, model, heldout, seq, steps }) => {
  // fp32: a Hub-shaped benchmark model ships no quantized variant.
  const engine = await load({ backend, model }, 'fp32');
  const [sample] = benchWindows(engine, await (await fetch(heldout)).text(), seq, 1);
  const run = await benchReadBack(engine, `${backend}-browser`, sample, steps);
  const { ids } = maskedCanvas(engine, sample, 0);
  const { maskId, specialIds } = engine.codec;
  await engine.dispose();
  // The transformers.js way, on the same canvas, same backend, same ONNX Runtime.
  const peer = await loadPeer(model, backend, wasmPaths);
  try {
    return { ...run, peer: await peerSteps(peer, backend, ids, maskId, specialIds, steps) };
  } finally {
    await peer.dispose();
  }
};
