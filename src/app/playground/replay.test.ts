import { describe, expect, it } from 'vitest';
import type { TraceStep } from '../../model/trace-step';
import { canvasAt, committedPerStep, maskCount, maskSelection } from './replay';

/** A step as the engine reports it, from one row per candidate: [position, id, text, confidence]. */
function step(n: number, candidates: [number, number, string, number][], committed: number[], remasked: number[] = []): TraceStep {
  return {
    step: n,
    positions: Int32Array.from(candidates, ([pos]) => pos),
    ids: Int32Array.from(candidates, ([, id]) => id),
    texts: candidates.map(([, , text]) => text),
    conf: Float32Array.from(candidates, ([, , , conf]) => conf),
    committed: Int32Array.from(committed),
    remasked: Int32Array.from(remasked),
  };
}
/** A confidence as a step holds it: a float32. */
const f32 = Math.fround;

// Canvas positions 5 and 9 hold the two masks of "The [MASK] sat on the [MASK]."
const steps: TraceStep[] = [
  step(
    0,
    [
      [9, 11, ' mat', 0.4],
      [5, 10, ' cat', 0.9],
    ],
    [5],
  ),
  step(1, [[9, 12, ' rug', 0.7]], [9]),
];
const input = 'The [MASK] sat on the [MASK].';

describe('canvasAt', () => {
  it('shows every mask with the next step\'s guess before the first step', () => {
    expect(canvasAt(input, steps, 0)).toEqual([
      { kind: 'text', text: 'The ' },
      { kind: 'mask', slot: 0, guess: ' cat', conf: f32(0.9) },
      { kind: 'text', text: ' sat on the ' },
      { kind: 'mask', slot: 1, guess: ' mat', conf: f32(0.4) },
      { kind: 'text', text: '.' },
    ]);
  });

  it('fills a slot with the token committed there, its confidence and step, and drops the space the token carries', () => {
    const pieces = canvasAt(input, steps, 1);
    expect(pieces[0]).toEqual({ kind: 'text', text: 'The' });
    expect(pieces[1]).toEqual({ kind: 'token', slot: 0, text: ' cat', conf: f32(0.9), step: 1, fresh: true });
    expect(pieces[3]).toEqual({ kind: 'mask', slot: 1, guess: ' rug', conf: f32(0.7) });
  });

  it('reads back the final text after the last step', () => {
    const text = canvasAt(input, steps, 2)
      .map((p) => (p.kind === 'mask' ? '[MASK]' : p.text))
      .join('');
    expect(text).toBe('The cat sat on the rug.');
  });

  it('joins a sub-word piece to the word before it, as the final text reads, for both kinds of vocabulary', () => {
    const pair = (first: string, second: string): TraceStep[] => [
      step(
        0,
        [
          [3, 1, first, 0.9],
          [4, 2, second, 0.8],
        ],
        [3, 4],
      ),
    ];
    const read = (pieces: ReturnType<typeof canvasAt>) => pieces.map((p) => (p.kind === 'mask' ? '[MASK]' : p.text)).join('');
    // Byte-level BPE: the word start carries its space, the continuation none.
    expect(read(canvasAt('He was [MASK] [MASK] to help.', pair(' dispos', 'ed'), 1))).toBe('He was disposed to help.');
    // WordPiece: no spaces in tokens; a "##" piece continues the word before it.
    expect(read(canvasAt('He was [MASK] [MASK] to help.', pair('dispos', '##ed'), 1, false))).toBe('He was disposed to help.');
    expect(read(canvasAt('He was [MASK] [MASK] to help.', pair('quite', 'ready'), 1, false))).toBe('He was quite ready to help.');
  });

  it('re-opens remasked positions', () => {
    const remasking: TraceStep[] = [steps[0], { ...steps[1], committed: Int32Array.of(9), remasked: Int32Array.of(5) }];
    expect(canvasAt(input, remasking, 2)[1]).toMatchObject({ kind: 'mask', slot: 0 });
  });
});

describe('the playground helpers', () => {
  it('counts committed tokens per step and masks in a text', () => {
    expect(committedPerStep(steps)).toEqual([1, 1]);
    expect(maskCount(input)).toBe(2);
  });

  it('paints one mask per selected word, keeping the spaces around the selection', () => {
    expect(maskSelection('The black cat sat.', 3, 14)).toEqual({ text: 'The [MASK] [MASK] sat.', caret: 18 });
    expect(maskSelection('Hello', 5, 5)).toEqual({ text: 'Hello[MASK]', caret: 11 });
  });
});
