// The ONNX model in onnxruntime-web gives the logits the framework that produced it gave.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OnnxDenoiser } from './onnx-denoiser';
import type { Quantization } from './options';
import { loadModelPackage } from './package';

const fixtureDir = fileURLToPath(new URL('../../test/fixtures/tiny-model', import.meta.url));
const parity = JSON.parse(readFileSync(`${fixtureDir}/parity.json`, 'utf8')) as {
  input_ids: number[][];
  logits: number[];
  dims: [number, number, number];
};

async function logitsOf(quantization: Quantization): Promise<Float32Array> {
  const pkg = await loadModelPackage(fixtureDir, quantization);
  const denoiser = await OnnxDenoiser.create(pkg, 1, { backend: 'wasm' });
  try {
    return await denoiser.forwardAll(Int32Array.from(parity.input_ids[0]));
  } finally {
    await denoiser.release();
  }
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

function argmaxRows(logits: ArrayLike<number>, vocab: number): number[] {
  const rows: number[] = [];
  for (let r = 0; r * vocab < logits.length; r++) {
    let best = 0;
    for (let v = 1; v < vocab; v++) if (logits[r * vocab + v] > logits[r * vocab + best]) best = v;
    rows.push(best);
  }
  return rows;
}

describe('the fixture model in onnxruntime-web (WASM)', () => {
  const [, length, vocab] = parity.dims;

  it('matches the PyTorch logits in fp32 to 1e-5', async () => {
    const logits = await logitsOf('fp32');
    expect(logits.length).toBe(length * vocab);
    expect(maxAbsDiff(logits, parity.logits)).toBeLessThan(1e-5);
  });

  it('stays close to the PyTorch logits with int8 weights', async () => {
    const logits = await logitsOf('int8');
    expect(maxAbsDiff(logits, parity.logits)).toBeLessThan(2e-2);
    expect(argmaxRows(logits, vocab)).toEqual(argmaxRows(parity.logits, vocab));
  });

  it('stays close to the PyTorch logits with 4-bit weights', async () => {
    const logits = await logitsOf('q4');
    expect(maxAbsDiff(logits, parity.logits)).toBeLessThan(1e-1);
  });
});

describe('the decode graph of the fixture model', () => {
  it('computes the head at the positions asked for, as the full logits have them', async () => {
    const pkg = await loadModelPackage(fixtureDir, 'fp32');
    const denoiser = await OnnxDenoiser.create(pkg, 1, { backend: 'wasm' });
    try {
      expect(denoiser.headAtPositions).toBe(true);
      const ids = Int32Array.from(parity.input_ids[0]);
      const positions = Int32Array.of(7, 3, 0);
      const logits = await denoiser.forward(ids, positions);
      const vocab = parity.dims[2];
      positions.forEach((p, r) => expect(maxAbsDiff(logits.subarray(r * vocab, (r + 1) * vocab), parity.logits.slice(p * vocab, (p + 1) * vocab))).toBeLessThan(1e-5));
    } finally {
      await denoiser.release();
    }
  });

  it('summarizes each row in the graph: best token, log-probabilities and entropy, suppressed ids left out', async () => {
    const pkg = await loadModelPackage(fixtureDir, 'fp32');
    const denoiser = await OnnxDenoiser.create(pkg, 1, { backend: 'wasm' });
    try {
      const ids = Int32Array.from(parity.input_ids[0]);
      const positions = Int32Array.of(3, 7);
      const vocab = parity.dims[2];
      const suppress = new Uint8Array(vocab);
      const logits = await denoiser.forward(ids, positions);
      // Suppress each row's own best token, so the summary must find the next one.
      argmaxRows(logits, vocab).forEach((id) => (suppress[id] = 1));
      const summary = await denoiser.summarize!(ids, positions, suppress);
      positions.forEach((_, r) => {
        const row = Array.from(logits.subarray(r * vocab, (r + 1) * vocab)).map((l, v) => (suppress[v] ? -Infinity : l));
        const sorted = [...row].sort((a, b) => b - a);
        const lse = Math.log(row.reduce((s, l) => s + Math.exp(l), 0));
        expect(summary.token[r]).toBe(row.indexOf(sorted[0]));
        expect(summary.logProb[r]).toBeCloseTo(sorted[0] - lse, 4);
        expect(summary.secondLogProb[r]).toBeCloseTo(sorted[1] - lse, 4);
        expect(summary.entropy[r]).toBeCloseTo(-row.reduce((s, l) => (l === -Infinity ? s : s + Math.exp(l - lse) * (l - lse)), 0), 4);
      });
    } finally {
      await denoiser.release();
    }
  });
});
