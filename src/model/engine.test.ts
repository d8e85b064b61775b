// The engine lays text out as a canvas the model was trained on and decodes it back.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PositionState } from '../core/canvas';
import { decode } from '../core/sampler';
import { Engine } from './engine';
import type { TraceStep } from './trace-step';

const fixture = fileURLToPath(new URL('../../test/fixtures/tiny-model', import.meta.url));
let engine: Engine;

beforeAll(async () => {
  engine = await Engine.load({ model: fixture, quantization: 'fp32', backend: 'wasm' });
});
afterAll(() => engine.dispose());

describe('loading', () => {
  it('reports the files, then what it does once they are in (compiling, warming up), then ready', async () => {
    const events: string[] = [];
    const loaded = await Engine.load(
      { model: fixture, quantization: 'fp32', backend: 'wasm' },
      {
        onProgress: (p) => {
          const event = p.status === 'stage' ? `stage:${p.stage}` : p.status;
          if (events.at(-1) !== event) events.push(event);
        },
      },
    );
    // The fixture's byte-level BPE carries a word's space in its token, as the Playground's canvas needs to know.
    expect(loaded.info.wordsCarrySpaces).toBe(true);
    await loaded.dispose();
    const stages = events.filter((e) => e.startsWith('stage') || e === 'ready');
    expect(stages).toEqual(['stage:compiling', 'stage:warming-up', 'ready']);
    expect(events.indexOf('stage:compiling')).toBeGreaterThan(events.lastIndexOf('done'));
  });
});

describe('the engine on the fixture model', () => {
  it('wraps the text in the tokenizer special tokens, locked, with one masked position per [MASK]', () => {
    const canvas = engine.codec.encodeInfill('You are a [MASK] assistant.');
    const states = Array.from(canvas.state);
    expect(canvas.ids[0]).toBe(2); // <s>
    expect(canvas.ids[canvas.ids.length - 1]).toBe(3); // </s>
    expect(states[0]).toBe(PositionState.locked);
    expect(states[states.length - 1]).toBe(PositionState.locked);
    expect(states.filter((s) => s === PositionState.masked)).toHaveLength(1);
    expect(canvas.ids[states.indexOf(PositionState.masked)]).toBe(engine.codec.maskId);
  });

  it('gives the space before a [MASK] to the token written there', () => {
    // Byte-level BPE keeps a word's leading space inside its token: "You are a" + " helpful".
    const canvas = engine.codec.encodeInfill('You are a [MASK] assistant.');
    const ids = Array.from(canvas.ids);
    const text = engine.codec.decodeText(Int32Array.from(ids.filter((id) => id !== engine.codec.maskId)));
    expect(text).toBe('You are a assistant.');
  });

  it('keeps every non-masked token of the text byte for byte', async () => {
    const result = await engine.infill('Keep this [MASK] exactly, please.', { steps: 1 });
    expect(result.text.startsWith('Keep this')).toBe(true);
    expect(result.text.endsWith(' exactly, please.')).toBe(true);
  });

  it("reports every step as columns: each candidate's position, token id, text and confidence, and what the step committed", async () => {
    const steps: TraceStep[] = [];
    const result = await engine.infill('The [MASK] sat on the [MASK] .', { steps: 2 }, { onStep: (step) => steps.push(step) });
    expect(steps.map((s) => s.step)).toEqual([0, 1]);
    const [first, second] = steps;
    expect(first.positions).toBeInstanceOf(Int32Array);
    expect(first.ids).toBeInstanceOf(Int32Array);
    expect(first.conf).toBeInstanceOf(Float32Array);
    expect(first.positions).toHaveLength(2);
    expect(first.texts).toEqual(Array.from(first.ids, (id) => engine.codec.tokenText(id)));
    expect(first.committed).toHaveLength(1);
    // The second step's candidates are the positions the first left masked, and it commits the last one.
    expect(Array.from(second.positions)).toEqual(Array.from(first.positions).filter((p) => !first.committed.includes(p)));
    expect(second.committed).toEqual(second.positions);
    expect(first.remasked).toHaveLength(0);
    expect(result.text).toContain(first.texts[first.positions.indexOf(first.committed[0])].trim());
  });

  it('gives onStep arrays of its own: the trace keeps its steps after those arrays are transferred away', async () => {
    const reported: TraceStep[] = [];
    const result = await engine.infill('a [MASK] [MASK] [MASK] end', { steps: 3, trace: true }, {
      onStep: (step) => {
        reported.push(structuredClone(step));
        // As the worker does: the buffers move to the page and are empty here.
        structuredClone(step, { transfer: [step.positions, step.ids, step.conf, step.committed, step.remasked].map((a) => a.buffer) });
      },
    });
    expect(reported).toHaveLength(3);
    expect(result.trace).toEqual(reported);
  });

  it('rejects a misspelt decoding setting instead of ignoring it', async () => {
    await expect(engine.infill('a [MASK]', { stepz: 3 } as object)).rejects.toThrow(/Unknown decoding setting "stepz"/);
  });

  it('stops when its signal aborts', async () => {
    const controller = new AbortController();
    controller.abort(new DOMException('Stopped.', 'AbortError'));
    await expect(engine.infill('a [MASK] [MASK]', {}, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});

/** A copy of the fixture package whose config.json carries this `remask_decoding`. */
function packageWith(decoding: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'remask-package-'));
  cpSync(fixture, dir, { recursive: true });
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, remask_decoding: decoding }));
  return dir;
}

describe("a package's default decoding", () => {
  it('is what the engine decodes with unless the caller names a commit rule or remasking', async () => {
    const dir = packageWith({ threshold: 0.3, keep_apart: true });
    const own = await Engine.load({ model: dir, quantization: 'fp32', backend: 'wasm' });
    try {
      expect(own.info.decoding).toEqual({ threshold: 0.3, keepApart: true, avoidRepeats: false });
      expect(own.decodeOptions({})).toMatchObject({ threshold: 0.3, keepApart: true, factor: null });
      expect(own.decodeOptions({ temperature: 0.5 })).toMatchObject({ threshold: 0.3 });
      expect(own.decodeOptions({ steps: 4 })).toMatchObject({ steps: 4, threshold: null, keepApart: false });
      expect(own.decodeOptions({ factor: 1 })).toMatchObject({ threshold: null, factor: 1, keepApart: false });
      expect(own.decodeOptions({ threshold: null })).toMatchObject({ threshold: null, steps: 16 });
      expect(own.decodeOptions({ remask: 1 })).toMatchObject({ threshold: null, remask: 1 });
      const result = await own.infill('a [MASK] [MASK] [MASK] end');
      expect(result.nfe).toBeGreaterThanOrEqual(1);
      expect(result.nfe).toBeLessThanOrEqual(3);
    } finally {
      await own.dispose();
      rmSync(dir, { recursive: true });
    }
    // Without one, the fixed step schedule.
    expect(engine.info.decoding).toBeNull();
    expect(engine.decodeOptions({})).toMatchObject({ threshold: null, steps: 16 });
  });

  it('carries its repeat guard under any commit rule, unless the caller sets it', async () => {
    const dir = packageWith({ threshold: 0.3, keep_apart: true, avoid_repeats: true });
    const own = await Engine.load({ model: dir, quantization: 'fp32', backend: 'wasm' });
    try {
      expect(own.info.decoding).toEqual({ threshold: 0.3, keepApart: true, avoidRepeats: true });
      expect(own.decodeOptions({})).toMatchObject({ threshold: 0.3, avoidRepeats: true });
      expect(own.decodeOptions({ steps: 4 })).toMatchObject({ steps: 4, threshold: null, avoidRepeats: true });
      expect(own.decodeOptions({ avoidRepeats: false })).toMatchObject({ threshold: 0.3, avoidRepeats: false });
      // The random-weight fixture stutters (newline after newline) unless guarded.
      const canvas = own.codec.encodeInfill('a [MASK] [MASK] [MASK] [MASK] [MASK] [MASK] end');
      const repeats = async (settings: { avoidRepeats?: boolean }) => {
        const { ids } = await decode(own.denoiser, canvas, own.decodeOptions(settings));
        return ids.slice(1).filter((id, i) => id === ids[i]).length;
      };
      expect(await repeats({ avoidRepeats: false })).toBeGreaterThan(0);
      expect(await repeats({})).toBe(0);
    } finally {
      await own.dispose();
      rmSync(dir, { recursive: true });
    }
    expect(engine.decodeOptions({})).toMatchObject({ avoidRepeats: false });
  });

  it('must be a threshold in [0, 1], keep_apart and avoid_repeats booleans: anything else names config.json', async () => {
    const bads = [{ threshold: 2 }, { threshold: '0.5' }, { threshold: 0.5, keep_apart: 'yes' }, { threshold: 0.5, avoid_repeats: 1 }, { threshold: 0.5, steps: 8 }, null];
    for (const bad of bads) {
      const dir = packageWith(bad);
      try {
        await expect(Engine.load({ model: dir, quantization: 'fp32', backend: 'wasm' })).rejects.toThrow(/config\.json has a "remask_decoding"/);
      } finally {
        rmSync(dir, { recursive: true });
      }
    }
  });
});
