import { describe, expect, it } from 'vitest';
import { buildCanvas, PositionState, type Canvas } from './canvas';
import { DecodeOptionError, DenoiserOutputError, NoMaskError, CanvasError } from './errors';
import { decode, defaultDecodeOptions, type DecodeOptions, type Denoiser, type StepSnapshot } from './sampler';
import { MAX_GAP, MAX_PERIOD } from './repeats';
import { quotaFor } from './schedule';
import { selectFactor } from './select';

const VOCAB = 8;
const MASK = 7;

/** Fills one row of logits for position `p` of canvas `ids`. */
type RowFn = (ids: Int32Array, p: number, row: Float32Array) => void;

/** Each position p favours token 1 + p % 5 with a strength that differs by position, so confidences differ. */
const byPosition: RowFn = (_ids, p, row) => {
  row[1 + (p % 5)] = 1 + ((p * 7) % 11) / 2;
};

/** Every position is sure (p ~ 0.999) of token 2. */
const confident: RowFn = (_ids, _p, row) => {
  row[2] = 10;
};

/** A fake model that records every call (copies of ids and positions). */
function fake(rowFn: RowFn): Denoiser & { calls: { ids: Int32Array; positions: Int32Array }[] } {
  const calls: { ids: Int32Array; positions: Int32Array }[] = [];
  return {
    vocabSize: VOCAB,
    maskId: MASK,
    calls,
    async forward(ids, positions) {
      calls.push({ ids: ids.slice(), positions: positions.slice() });
      const out = new Float32Array(positions.length * VOCAB);
      positions.forEach((p, r) => rowFn(ids, p, out.subarray(r * VOCAB, (r + 1) * VOCAB)));
      return out;
    },
  };
}

/** context [3, 4], 12 masks, locked [5]. */
function canvas12(): Canvas {
  return buildCanvas(
    [
      { state: PositionState.context, ids: [3, 4] },
      { state: PositionState.masked, length: 12 },
      { state: PositionState.locked, ids: [5] },
    ],
    MASK,
  );
}
const MASKED = Array.from({ length: 12 }, (_, i) => i + 2);

async function run(
  rowFn: RowFn,
  options: Partial<DecodeOptions>,
  canvas = canvas12(),
): Promise<{ result: Awaited<ReturnType<typeof decode>>; steps: StepSnapshot[]; model: ReturnType<typeof fake> }> {
  const model = fake(rowFn);
  const steps: StepSnapshot[] = [];
  const result = await decode(model, canvas, { ...defaultDecodeOptions, onStep: (s) => steps.push(s), ...options });
  return { result, steps, model };
}

describe('decode', () => {
  it('commits each step exactly the quota of its schedule', async () => {
    for (const schedule of ['linear', 'alpha-linear', 'cosine', 'maskgit'] as const) {
      const { result, steps } = await run(byPosition, { steps: 5, schedule });
      const quota = [...quotaFor(schedule, 12, 5)].filter((k) => k > 0);
      expect(steps.map((s) => s.committed.length)).toEqual(quota);
      expect(result.steps).toBe(quota.length);
      expect(result.nfe).toBe(quota.length);
      expect(result.ids.includes(MASK)).toBe(false);
    }
  });

  it('commits the candidates with the highest confidence', async () => {
    const { steps } = await run(byPosition, { steps: 4 });
    for (const s of steps) {
      const committed = new Set(s.committed);
      const inConf = s.positions.map((p, i) => (committed.has(p) ? s.conf[i] : Infinity));
      const outConf = s.positions.map((p, i) => (committed.has(p) ? -Infinity : s.conf[i]));
      expect(Math.min(...inConf)).toBeGreaterThanOrEqual(Math.max(...outConf));
    }
  });

  it('writes the chosen tokens, greedy by default', async () => {
    const { result } = await run(byPosition, { steps: 3 });
    expect([...result.ids.subarray(2, 14)]).toEqual(MASKED.map((p) => 1 + (p % 5)));
  });

  it('never commits past the current block, and finishes each block before the next', async () => {
    const { steps, result } = await run(byPosition, { steps: 6, blockLength: 4 });
    expect(steps.map((s) => s.block)).toEqual([0, 0, 1, 1, 2, 2]);
    for (const s of steps) {
      const block = MASKED.slice(s.block * 4, s.block * 4 + 4);
      for (const p of s.committed) expect(block).toContain(p);
      // Candidates are every still-masked position; earlier blocks are already done.
      expect(Math.min(...s.positions)).toBeGreaterThanOrEqual(block[0]);
    }
    expect(result.ids.includes(MASK)).toBe(false);
  });

  it('splits steps across blocks, at least one and at most the block size each', async () => {
    // Blocks of 5, 5, 2 and 12 steps: 4 each, the last clamped to its 2 tokens.
    const { steps } = await run(byPosition, { steps: 12, blockLength: 5 });
    expect(steps.map((s) => s.block)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2]);
    // Two steps for three blocks: every block still gets one.
    const few = await run(byPosition, { steps: 2, blockLength: 5 });
    expect(few.steps.map((s) => s.committed.length)).toEqual([5, 5, 2]);
  });

  it('clamps steps to the number of masked positions', async () => {
    const { result } = await run(byPosition, { steps: 100 });
    expect(result.steps).toBe(12);
  });

  it('is deterministic under a seed, and different seeds sample differently', async () => {
    const flat: RowFn = (_ids, p, row) => {
      row[p % VOCAB] = 0.1;
    };
    const options = { steps: 4, temperature: 1 };
    const a = await run(flat, { ...options, seed: 1 });
    const b = await run(flat, { ...options, seed: 1 });
    const c = await run(flat, { ...options, seed: 2 });
    expect([...a.result.ids]).toEqual([...b.result.ids]);
    expect([...a.result.ids]).not.toEqual([...c.result.ids]);
  });

  it('never changes context or locked positions, nor the input canvas', async () => {
    const canvas = canvas12();
    const before = canvas.ids.slice();
    const { result, model } = await run(byPosition, { steps: 4, remask: 2, guidance: 1 }, canvas);
    expect([...canvas.ids]).toEqual([...before]);
    expect([result.ids[0], result.ids[1], result.ids[14]]).toEqual([3, 4, 5]);
    for (const call of model.calls) expect(call.ids[14]).toBe(5);
  });

  it('never produces suppressed ids or the mask id', async () => {
    const likesMaskAndSix: RowFn = (_ids, _p, row) => {
      row[MASK] = 9;
      row[6] = 8;
      row[4] = 1;
    };
    const { result } = await run(likesMaskAndSix, { steps: 3, suppress: Int32Array.from([6]) });
    expect([...result.ids.subarray(2, 14)]).toEqual(new Array(12).fill(4));
  });

  it('with a threshold commits at least one a step and takes fewer steps on confident logits', async () => {
    const quota = await run(confident, { steps: 4 });
    const parallel = await run(confident, { steps: 4, threshold: 0.9 });
    expect(quota.result.steps).toBe(4);
    expect(parallel.result.steps).toBe(1);
    expect(parallel.result.ids.subarray(2, 14).every((t) => t === 2)).toBe(true);
    // Unsure logits: nothing passes 0.9, so exactly one a step (the best).
    const unsure = await run(byPosition, { steps: 4, threshold: 0.99 });
    expect(unsure.steps.map((s) => s.committed.length)).toEqual(new Array(12).fill(1));
    expect(unsure.result.ids.includes(MASK)).toBe(false);
  });

  it('keeping neighbours apart, commits no two neighbours in one step: a run of masks takes two', async () => {
    const { steps, result } = await run(confident, { threshold: 0.9, keepApart: true });
    expect(steps.map((s) => s.committed.length)).toEqual([6, 6]);
    for (const s of steps) {
      const committed = [...s.committed].sort((a, b) => a - b);
      expect(committed.every((p, i) => i === 0 || p - committed[i - 1] > 1)).toBe(true);
    }
    expect(result.ids.includes(MASK)).toBe(false);
    // Only with a parallel rule: the schedule's quota would not hold.
    await expect(run(confident, { steps: 4, keepApart: true })).rejects.toMatchObject({ code: 'decode-option', option: 'keepApart' });
  });

  it('avoiding repeats, writes no token its neighbour holds, under any rule, sampled or guided', async () => {
    const adjacentRepeats = (ids: Int32Array) => ids.slice(1).filter((id, i) => id === ids[i]).length;
    // Every position is surest of token 2: without the guard the fill is one run of 2s.
    const { result: stutter } = await run(confident, { threshold: 0.5, keepApart: true });
    expect(adjacentRepeats(stutter.ids)).toBe(11);
    const rules: Partial<DecodeOptions>[] = [
      { threshold: 0.5, keepApart: true },
      { threshold: 0.5 }, // neighbours committed in one step
      { steps: 6 }, // two a step
      { steps: 3, blockLength: 4 },
      { factor: 1 },
      { steps: 4, temperature: 2, seed: 3 },
      { steps: 4, guidance: 1 },
      { steps: 4, confidence: 'margin' },
    ];
    for (const rule of rules) {
      const { result } = await run(confident, { ...rule, avoidRepeats: true });
      expect(adjacentRepeats(result.ids), JSON.stringify(rule)).toBe(0);
      expect(result.ids.includes(MASK)).toBe(false);
    }
  });

  it('avoiding repeats, writes no phrase twice in a row', async () => {
    // A copying model: each position is surest of the token two back ("3 4 3 4 3 4 ..."), then of the
    // token p % 7 (weaker), so a loop is its first choice everywhere once the text before is decided.
    const copying: RowFn = (ids, p, row) => {
      row.fill(-2);
      row[p % 7] = 1;
      if (p >= 2 && ids[p - 2] !== MASK) row[ids[p - 2]] = 4;
    };
    const canvas = buildCanvas([{ state: PositionState.context, ids: [3, 4] }, { state: PositionState.masked, length: 8 }], MASK);
    const fill = async (avoidRepeats: boolean) => Array.from((await run(copying, { steps: 8, avoidRepeats }, canvas)).result.ids);
    /** Phrases of k <= MAX_PERIOD tokens said twice, up to MAX_GAP tokens apart (a single token: at once). */
    const loops = (ids: number[]) => {
      let found = 0;
      for (let k = 1; k <= MAX_PERIOD; k++) {
        for (let gap = 0; gap <= (k === 1 ? 0 : MAX_GAP); gap++) {
          for (let s = 0; s + 2 * k + gap <= ids.length; s++) if (ids.slice(s, s + k).every((id, i) => id === ids[s + k + gap + i])) found++;
        }
      }
      return found;
    };
    // Left to right, one a step: without the guard the fill is the loop itself.
    const unguarded = await fill(false);
    expect(unguarded).toEqual([3, 4, 3, 4, 3, 4, 3, 4, 3, 4]);
    expect(loops(unguarded)).toBeGreaterThan(0);
    const guarded = await fill(true);
    expect(loops(guarded), String(guarded)).toBe(0);
    expect(guarded.includes(MASK)).toBe(false);
  });

  it('avoiding repeats, keeps the confidence of a token chosen again on the whole softmax', async () => {
    // Position 2 (beside context token 4) is surest of 4 (p ~ 0.88); its next choice, 1, has p ~ 0.12.
    const beside: RowFn = (_ids, p, row) => {
      row[1] = 2;
      if (p === 2) row[4] = 4;
    };
    const canvas = buildCanvas([{ state: PositionState.context, ids: [3, 4] }, { state: PositionState.masked, length: 1 }], MASK);
    const { steps } = await run(beside, { steps: 1, avoidRepeats: true }, canvas);
    expect(steps[0].tokens[0]).toBe(1);
    const logits = [0, 2, 0, 0, 4, 0, 0];
    const sum = logits.reduce((t, l) => t + Math.exp(l), 0);
    expect(steps[0].conf[0]).toBeCloseTo(Math.exp(2) / sum, 5);
  });

  it('avoiding repeats, keeps the first choice when nothing else may be written', async () => {
    // Every id but 2 and 4 suppressed: beside context 4, position 2 may only repeat or write 2.
    const suppress = Int32Array.of(0, 1, 3, 5, 6);
    const canvas = buildCanvas([{ state: PositionState.context, ids: [3, 4] }, { state: PositionState.masked, length: 1 }, { state: PositionState.locked, ids: [2] }], MASK);
    const { result } = await run(confident, { steps: 1, avoidRepeats: true, suppress }, canvas);
    expect(result.ids[2]).toBe(2);
  });

  it('with a threshold stays inside the current block', async () => {
    const { steps } = await run(confident, { threshold: 0.9, blockLength: 5 });
    expect(steps.map((s) => s.committed.length)).toEqual([5, 5, 2]);
  });

  it('with a factor commits what the factor rule accepts', async () => {
    const { steps, result } = await run(byPosition, { factor: 2 });
    const out = new Int32Array(12);
    for (const s of steps) {
      const n = selectFactor(s.conf, s.positions.length, 2, out);
      expect([...s.committed].sort((x, y) => x - y)).toEqual([...out.subarray(0, n)].map((i) => s.positions[i]).sort((x, y) => x - y));
    }
    expect(steps.length).toBeLessThan(12);
    expect(result.ids.includes(MASK)).toBe(false);
  });

  it('remasking reopens earlier low-confidence tokens and still ends fully unmasked in `steps` steps', async () => {
    const { steps, result } = await run(byPosition, { steps: 4, remask: 1 });
    expect(result.steps).toBe(4);
    expect(result.ids.includes(MASK)).toBe(false);
    // Step 0 has nothing earlier to reopen; steps 1 and 2 reopen one; the last step never does.
    expect(steps.map((s) => s.remasked.length)).toEqual([0, 1, 1, 0]);
    // A reopened token was committed in an earlier step, and its slot goes to the next step's quota.
    expect(steps[0].committed).toContain(steps[1].remasked[0]);
    expect(steps.map((s) => s.committed.length)).toEqual([3, 3, 4, 4]);
    expect(steps[2].positions).toContain(steps[1].remasked[0]);
  });

  it('remasks the lowest-confidence earlier token', async () => {
    const { steps } = await run(byPosition, { steps: 4, remask: 1 });
    const confOf = (s: StepSnapshot, p: number): number => s.conf[s.positions.indexOf(p)];
    const lowest = [...steps[0].committed].sort((x, y) => confOf(steps[0], x) - confOf(steps[0], y) || x - y)[0];
    expect(steps[1].remasked[0]).toBe(lowest);
  });

  it('guidance doubles the forward passes, masks only the context, and applies un + (w + 1)(cond - un)', async () => {
    // Conditional [0, 1.5, 1.4] favours token 1; unconditional [0, 2, 0]; guided w = 1: [0, 1, 2.8] -> token 2.
    const guided: RowFn = (ids, _p, row) => {
      if (ids[0] === MASK) row[1] = 2;
      else {
        row[1] = 1.5;
        row[2] = 1.4;
      }
    };
    const plain = await run(guided, { steps: 3 });
    expect(plain.result.nfe).toBe(3);
    expect(plain.result.ids.subarray(2, 14).every((t) => t === 1)).toBe(true);

    const { result, model, steps } = await run(guided, { steps: 3, guidance: 1 });
    expect(result.nfe).toBe(6);
    expect(result.ids.subarray(2, 14).every((t) => t === 2)).toBe(true);
    const [cond, uncond] = model.calls;
    expect([cond.ids[0], cond.ids[1], cond.ids[14]]).toEqual([3, 4, 5]);
    expect([uncond.ids[0], uncond.ids[1], uncond.ids[14]]).toEqual([MASK, MASK, 5]);
    // Confidence comes from softmax of the guided logits [0, 1, 2.8, 0, 0, 0, 0] (mask id suppressed).
    const z = 5 + Math.E + Math.exp(2.8);
    expect(steps[0].conf[0]).toBeCloseTo(Math.exp(2.8) / z, 5);
  });

  it('stops between steps on abort and throws the signal reason', async () => {
    const controller = new AbortController();
    const model = fake(byPosition);
    const promise = decode(model, canvas12(), {
      ...defaultDecodeOptions,
      steps: 4,
      signal: controller.signal,
      onStep: () => controller.abort(),
    });
    await expect(promise).rejects.toMatchObject({ name: 'AbortError' });
    expect(model.calls.length).toBe(1);
  });

  it('keeps snapshots only when tracing, but always calls onStep', async () => {
    const untraced = await run(byPosition, { steps: 4 });
    expect(untraced.result.trace).toEqual([]);
    expect(untraced.steps.length).toBe(4);
    const traced = await run(byPosition, { steps: 4, trace: true });
    expect(traced.result.trace).toEqual(traced.steps);
  });

  it('asks for logits at every still-masked position, left to right', async () => {
    const { model, steps } = await run(byPosition, { steps: 4 });
    expect([...model.calls[0].positions]).toEqual(MASKED);
    expect([...steps[1].positions]).toEqual(MASKED.filter((p) => !steps[0].committed.includes(p)));
  });

  it('rejects bad input with errors that say what to do', async () => {
    const model = fake(byPosition);
    const d = defaultDecodeOptions;
    const noMask = buildCanvas([{ state: PositionState.locked, ids: [1, 2] }], MASK);
    await expect(decode(model, noMask, d)).rejects.toBeInstanceOf(NoMaskError);
    await expect(decode(model, canvas12(), { ...d, steps: 0 })).rejects.toThrow(/steps must be an integer >= 1 \(got 0\)/);
    await expect(decode(model, canvas12(), { ...d, threshold: 0.9, factor: 1 })).rejects.toBeInstanceOf(DecodeOptionError);
    await expect(decode(model, canvas12(), { ...d, threshold: 0.9, remask: 1 })).rejects.toMatchObject({ code: 'decode-option', option: 'remask' });
    await expect(decode(model, canvas12(), { ...d, temperature: -1 })).rejects.toBeInstanceOf(DecodeOptionError);
    await expect(decode(model, canvas12(), { ...d, suppress: Int32Array.from([VOCAB]) })).rejects.toBeInstanceOf(DecodeOptionError);
    const mismatched = { ids: new Int32Array(3), state: new Uint8Array(2) };
    await expect(decode(model, mismatched, d)).rejects.toBeInstanceOf(CanvasError);
    const outOfVocab = buildCanvas([{ state: PositionState.locked, ids: [VOCAB] }, { state: PositionState.masked, length: 1 }], MASK);
    await expect(decode(model, outOfVocab, d)).rejects.toBeInstanceOf(CanvasError);
    const short: Denoiser = { vocabSize: VOCAB, maskId: MASK, forward: async () => new Float32Array(1) };
    await expect(decode(short, canvas12(), d)).rejects.toBeInstanceOf(DenoiserOutputError);
  });
});

/** The same fake model, but reducing each row on "the device": it returns only row summaries. */
function summarizing(rowFn: RowFn): Denoiser & { summaries: number; fullReads: { ids: Int32Array; positions: Int32Array }[] } {
  const base = fake(rowFn);
  const model = {
    ...base,
    summaries: 0,
    fullReads: [] as { ids: Int32Array; positions: Int32Array }[],
    async forward(ids: Int32Array, positions: Int32Array) {
      model.fullReads.push({ ids: ids.slice(), positions: positions.slice() });
      return base.forward(ids, positions);
    },
    async summarize(ids: Int32Array, positions: Int32Array, suppress: Uint8Array) {
      model.summaries++;
      const logits = await base.forward(ids, positions);
      const n = positions.length;
      const summary = { token: new Int32Array(n), logProb: new Float32Array(n), secondLogProb: new Float32Array(n), entropy: new Float32Array(n) };
      for (let r = 0; r < n; r++) {
        const row = Array.from(logits.subarray(r * VOCAB, (r + 1) * VOCAB)).map((l, v) => (suppress[v] ? -Infinity : l));
        const max = Math.max(...row);
        const lse = max + Math.log(row.reduce((s, l) => s + Math.exp(l - max), 0));
        const order = row.map((l, v) => [l, v]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
        summary.token[r] = order[0][1];
        summary.logProb[r] = order[0][0] - lse;
        summary.secondLogProb[r] = order[1][0] - lse;
        summary.entropy[r] = -row.reduce((s, l) => (l === -Infinity ? s : s + Math.exp(l - lse) * (l - lse)), 0);
      }
      return summary;
    },
  };
  return model;
}

describe('decode with a model that summarizes rows on the device', () => {
  for (const confidence of ['prob', 'margin', 'entropy', 'random'] as const) {
    it(`commits exactly what the full-logits path commits (${confidence})`, async () => {
      const options = { ...defaultDecodeOptions, steps: 5, confidence, suppress: Int32Array.of(3), trace: true };
      const full = await decode(fake(byPosition), canvas12(), options);
      const model = summarizing(byPosition);
      const fast = await decode(model, canvas12(), options);
      expect(model.summaries).toBe(5);
      expect(Array.from(fast.ids)).toEqual(Array.from(full.ids));
      expect(fast.trace.map((s) => Array.from(s.committed))).toEqual(full.trace.map((s) => Array.from(s.committed)));
      fast.trace.forEach((s, i) => s.conf.forEach((c, j) => expect(c).toBeCloseTo(full.trace[i].conf[j], 5)));
    });
  }

  for (const rule of [{ threshold: 0.5, keepApart: true }, { steps: 6 }, { steps: 5, confidence: 'margin' as const }, { steps: 4, confidence: 'random' as const }]) {
    it(`avoiding repeats, chooses what the full-logits path chooses, reading full logits only on steps that would repeat (${JSON.stringify(rule)})`, async () => {
      const options = { ...defaultDecodeOptions, ...rule, avoidRepeats: true, trace: true };
      const full = await decode(fake(confident), canvas12(), options);
      const model = summarizing(confident);
      const fast = await decode(model, canvas12(), options);
      expect(Array.from(fast.ids)).toEqual(Array.from(full.ids));
      expect(fast.trace.map((s) => Array.from(s.committed))).toEqual(full.trace.map((s) => Array.from(s.committed)));
      fast.trace.forEach((s, i) => s.conf.forEach((c, j) => expect(c).toBeCloseTo(full.trace[i].conf[j], 5)));
      expect(model.fullReads.length).toBeGreaterThan(0);
      expect(fast.nfe).toBe(model.summaries + model.fullReads.length);
    });
  }

  it('avoiding repeats, reads full logits only when a token it would write repeats, not for the ones it leaves masked', async () => {
    // Positions 1-3 are surest of 2, 3 and 3 (position 3 least sure, its next choice 4): the two 3s stand
    // side by side from the first step, but only the last step, writing position 3 beside a committed
    // 3, would write the repeat.
    const rows: RowFn = (_ids, p, row) => {
      if (p === 1) row[2] = 6;
      if (p === 2) row[3] = 5;
      if (p === 3) [row[3], row[4]] = [2, 1.5];
    };
    const canvas = buildCanvas([{ state: PositionState.context, ids: [0] }, { state: PositionState.masked, length: 3 }], MASK);
    const model = summarizing(rows);
    const result = await decode(model, canvas, { ...defaultDecodeOptions, steps: 3, avoidRepeats: true });
    expect(Array.from(result.ids)).toEqual([0, 2, 3, 4]);
    expect(model.summaries).toBe(3);
    expect(model.fullReads).toHaveLength(1);
    expect(Array.from(model.fullReads[0].positions)).toEqual([3]);
  });

  it('avoiding repeats, reads no full logits when no step would write a repeat', async () => {
    // Positions 1-4 favour tokens 2, 3, 4, 5 beside context 0: nothing repeats, whatever commits when.
    const canvas = buildCanvas([{ state: PositionState.context, ids: [0] }, { state: PositionState.masked, length: 4 }], MASK);
    for (const rule of [{ steps: 2 }, { threshold: 0.1 }]) {
      const model = summarizing(byPosition);
      const result = await decode(model, canvas, { ...defaultDecodeOptions, ...rule, avoidRepeats: true });
      expect(Array.from(result.ids)).toEqual([0, 2, 3, 4, 5]);
      expect(model.fullReads).toHaveLength(0);
      expect(result.nfe).toBe(model.summaries);
    }
  });

  it('falls back to full logits when sampling with a temperature', async () => {
    const model = summarizing(byPosition);
    await decode(model, canvas12(), { ...defaultDecodeOptions, steps: 3, temperature: 0.5 });
    expect(model.summaries).toBe(0);
  });
});
