// The benchmark compares like with like: its naive loop decodes what our sampler decodes at one token
// a step, and it masks the share of each window it says it does.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PositionState } from '../src/core/canvas';
import { decode } from '../src/core/sampler';
import { Engine } from '../src/model/engine';
import { benchDecode, benchReadBack, benchWindows, chooseDecoding, maskedCanvas, maskShare, naiveDecode, sweepDecode, sweepStrategies, type SweepRow } from './decode-bench';

const fixture = fileURLToPath(new URL('../test/fixtures/tiny-model', import.meta.url));
const heldout = readFileSync(fileURLToPath(new URL('../models/heldout-sample.txt', import.meta.url)), 'utf8');
let engine: Engine;

beforeAll(async () => {
  engine = await Engine.load({ model: fixture, quantization: 'fp32', backend: 'wasm' });
});
afterAll(() => engine.dispose());

describe('the decoding benchmark', () => {
  it('cuts held-out text into windows of exactly the sequence length and masks a quarter of each', () => {
    const windows = benchWindows(engine, heldout, 64, 3);
    expect(windows).toHaveLength(3);
    for (const [i, window] of windows.entries()) {
      expect(window.length).toBe(64);
      const canvas = maskedCanvas(engine, window, i);
      const masked = canvas.state.filter((s) => s === PositionState.masked).length;
      expect(masked).toBe(Math.round(maskShare * 62));
    }
  });

  it('times a Hub graph\'s step both ways on one window, and on WASM nothing is read back from a GPU', async () => {
    const hub = await Engine.load({ model: fileURLToPath(new URL('../test/fixtures/hub/modernbert', import.meta.url)), quantization: 'fp32', backend: 'wasm' });
    try {
      const window = benchWindows(hub, heldout, 64, 1)[0];
      const run = await benchReadBack(hub, 'wasm-node', window, 2);
      expect(run.masked).toBe(Math.round(maskShare * 62));
      expect([run.full_bytes_per_step, run.summary_bytes_per_step]).toEqual([0, 0]);
      // Its commits (what the transformers.js peer is checked against) are one-token-per-step decoding's.
      const ours = await decode(hub.denoiser, maskedCanvas(hub, window, 0), hub.decodeOptions({ steps: run.masked, threshold: null, trace: true }));
      const first = ours.trace.slice(0, 2).map((s) => {
        const c = Array.from(s.positions).indexOf(s.committed[0]);
        return { position: s.positions[c], token: s.tokens[c] };
      });
      expect(run.committed).toEqual(first);
    } finally {
      await hub.dispose();
    }
  });

  it('has a naive loop that commits what our sampler commits at one token a step', async () => {
    const canvas = maskedCanvas(engine, benchWindows(engine, heldout, 48, 1)[0], 0);
    const masked = canvas.state.filter((s) => s === PositionState.masked).length;
    const naive = await naiveDecode(engine, canvas);
    const ours = await decode(engine.denoiser, canvas, engine.decodeOptions({ steps: masked }));
    expect(naive.nfe).toBe(masked);
    expect(Array.from(naive.ids)).toEqual(Array.from(ours.ids));
  });

  it('masks spans of neighbours, a quarter of the text, when asked for spans', () => {
    const window = benchWindows(engine, heldout, 256, 1)[0];
    const canvas = maskedCanvas(engine, window, 0, 'spans');
    const masked = canvas.state.filter((s) => s === PositionState.masked).length;
    expect(Math.abs(masked / 254 - maskShare)).toBeLessThan(0.03);
    // Runs, not single positions: on average well over one masked neighbour per masked token.
    let runs = 0;
    canvas.state.forEach((s, p) => s === PositionState.masked && canvas.state[p - 1] !== PositionState.masked && runs++);
    expect(masked / runs).toBeGreaterThan(2);
    expect(canvas.state[0]).toBe(PositionState.locked);
    expect(canvas.state[255]).toBe(PositionState.locked);
  });

  it('reads back 16 bytes a masked position and compares threshold decoding with one token per step', async () => {
    const run = await benchDecode(engine, 'wasm-node', benchWindows(engine, heldout, 48, 1), 48);
    expect(run.readback_bytes_per_masked_pos).toBe(16);
    expect(run.nfe).toBe(Math.round(maskShare * 46));
    expect(run.nfe_threshold).toBeGreaterThanOrEqual(1);
    expect(run.nfe_threshold).toBeLessThanOrEqual(run.nfe);
    expect(run.speedup).toBeCloseTo(run.naive_ms_per_token / run.ms_per_token, 10); // a ratio within one run
  });

  it('sweeps every parallel rule on the same masked windows, one token per step first', async () => {
    const windows = benchWindows(engine, heldout, 48, 2);
    const masked = Math.round(maskShare * 46);
    const rows = await sweepDecode(engine, windows, 'scattered');
    expect(rows.map((r) => r.strategy)).toEqual(sweepStrategies.map((s) => s.name));
    expect(rows[0].nfe).toBe(masked);
    expect(rows.find((r) => r.strategy === '8 steps')!.nfe).toBe(8);
    for (const r of rows) {
      expect(r.nfe).toBeGreaterThanOrEqual(1);
      expect(r.nfe).toBeLessThanOrEqual(masked);
      expect(r.top1).toBeGreaterThanOrEqual(0);
      expect(r.top1).toBeLessThanOrEqual(1);
    }
  });
});

describe('choosing the default decoding from a sweep', () => {
  const row = (strategy: string, masking: 'scattered' | 'spans', nfe: number, top1: number, repeats = 0): SweepRow => ({
    strategy,
    options: sweepStrategies.find((s) => s.name === strategy)!.options,
    seq: 256,
    masking,
    nfe,
    top1,
    repeats,
  });
  const reference = [row('one token per step', 'scattered', 64, 0.4), row('one token per step', 'spans', 64, 0.3, 0.002)];

  it('takes the fewest passes among thresholds within a point of one token per step under every masking', () => {
    const rows = [
      ...reference,
      row('threshold 0.3', 'scattered', 30, 0.4),
      row('threshold 0.3', 'spans', 34, 0.3),
      row('threshold 0.2', 'scattered', 20, 0.395),
      row('threshold 0.2', 'spans', 24, 0.291, 0.01),
      row('threshold 0.1', 'scattered', 10, 0.4), // fine on scattered masks, too lossy on spans
      row('threshold 0.1', 'spans', 12, 0.28),
      row('threshold 0.05', 'scattered', 4, 0.4), // as accurate, but it stutters on spans
      row('threshold 0.05', 'spans', 5, 0.3, 0.25),
      row('8 steps', 'scattered', 8, 0.4), // not a threshold rule
      row('8 steps', 'spans', 8, 0.3),
    ];
    expect(chooseDecoding(rows)).toEqual({ threshold: 0.2, keepApart: false });
    expect(chooseDecoding(rows, 0.005)).toEqual({ threshold: 0.3, keepApart: false });
    rows.push(row('threshold 0.1, neighbours apart', 'scattered', 11, 0.4), row('threshold 0.1, neighbours apart', 'spans', 14, 0.3, 0.005));
    expect(chooseDecoding(rows)).toEqual({ threshold: 0.1, keepApart: true });
  });

  it('chooses none when every threshold loses more than the tolerance', () => {
    expect(chooseDecoding([...reference, row('threshold 0.5', 'scattered', 40, 0.3), row('threshold 0.5', 'spans', 40, 0.2)])).toBeNull();
  });
});
