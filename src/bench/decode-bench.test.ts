// The benchmark compares like with like: its naive loop decodes what our sampler decodes at one token
// a step, and it masks the share of each window it says it does.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PositionState } from '../core/canvas';
import { decode } from '../core/sampler';
import { Engine } from '../model/engine';
import { benchDecode, benchWindows, maskedCanvas, maskShare, naiveDecode, sweepDecode, sweepStrategies } from './decode-bench';

const fixture = fileURLToPath(new URL('../../test/fixtures/tiny-model', import.meta.url));
const heldout = readFileSync(fileURLToPath(new URL('../../models/heldout-sample.txt', import.meta.url)), 'utf8');
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

  it('has a naive loop that commits what our sampler commits at one token a step', async () => {
    const canvas = maskedCanvas(engine, benchWindows(engine, heldout, 48, 1)[0], 0);
    const masked = canvas.state.filter((s) => s === PositionState.masked).length;
    const naive = await naiveDecode(engine, canvas);
    const ours = await decode(engine.denoiser, canvas, engine.decodeOptions({ steps: masked }));
    expect(naive.nfe).toBe(masked);
    expect(Array.from(naive.ids)).toEqual(Array.from(ours.ids));
  });

  it('reads back 16 bytes a masked position through the decode graph', async () => {
    const run = await benchDecode(engine, 'wasm-node', benchWindows(engine, heldout, 48, 1), 48);
    expect(run.readback_bytes_per_masked_pos).toBe(16);
    expect(run.nfe).toBeLessThanOrEqual(16);
    expect(run.speedup).toBeGreaterThan(0);
  });

  it('sweeps every parallel rule on the same masked windows, one token per step first', async () => {
    const windows = benchWindows(engine, heldout, 48, 2);
    const masked = Math.round(maskShare * 46);
    const rows = await sweepDecode(engine, windows);
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
