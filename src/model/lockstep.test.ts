// Decoding candidates in lockstep changes how many times the model runs, never what it writes.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decode } from '../core/sampler';
import { Engine } from './engine';
import { LockstepBatcher } from './lockstep';

const fixture = fileURLToPath(new URL('../../test/fixtures/tiny-model', import.meta.url));
let engine: Engine;

beforeAll(async () => {
  engine = await Engine.load({ model: fixture, quantization: 'fp32', backend: 'wasm' });
});
afterAll(() => engine.dispose());

// Different lengths and mask counts, so the batch needs padding on both axes.
const texts = ['The [MASK] sat on the [MASK].', 'A [MASK] [MASK] [MASK] day in the old town by the sea.', 'Why [MASK]?'];

describe('LockstepBatcher', () => {
  for (const [name, settings] of [
    ['greedy, rows summarized in the graph', { steps: 3 }],
    ['sampled, full logits', { steps: 3, temperature: 1, seed: 4 }],
    ['greedy with the repeat guard, full logits on some steps', { steps: 3, avoidRepeats: true }],
  ] as const) {
    it(`gives each canvas what a decode of its own gives (${name}), in fewer model runs`, async () => {
      const canvases = texts.map((t) => engine.codec.encodeInfill(t));
      const alone: Awaited<ReturnType<typeof decode>>[] = [];
      for (const canvas of canvases) alone.push(await decode(engine.denoiser, canvas, engine.decodeOptions(settings)));

      const summarize = vi.spyOn(engine.denoiser, 'summarizeBatch');
      const forward = vi.spyOn(engine.denoiser, 'forwardBatch');
      const batcher = new LockstepBatcher(engine.denoiser, canvases.length);
      const together = await Promise.all(
        canvases.map((canvas) => {
          const member = batcher.member();
          return decode(member, canvas, engine.decodeOptions(settings)).finally(() => member.done());
        }),
      );
      together.forEach((result, i) => expect(Array.from(result.ids)).toEqual(Array.from(alone[i].ids)));
      const runs = summarize.mock.calls.length + forward.mock.calls.length;
      const most = Math.max(...alone.map((r) => r.nfe));
      // A guarded decode's extra pass can put it a run out of step with the others: one run more per such pass.
      if ('avoidRepeats' in settings) {
        expect(forward.mock.calls.length).toBeGreaterThan(0);
        expect(runs).toBeLessThan(alone.reduce((sum, r) => sum + r.nfe, 0));
      } else expect(runs).toBe(most);
      summarize.mockRestore();
      forward.mockRestore();
    });
  }
});
