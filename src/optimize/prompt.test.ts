// Locked text survives every rewrite byte for byte, and ranges follow the text they belong to.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../core/rng';
import { loadModelPackage } from '../model/package';
import { TextCodec } from '../model/tokenizer';
import { decodedEnds, EditablePrompt, type MaskPlan } from './prompt';
import { planSpans, spanStrategies } from './spans';

const fixture = fileURLToPath(new URL('../../test/fixtures/tiny-model', import.meta.url));
let codec: TextCodec;

beforeAll(async () => {
  codec = new TextCodec(await loadModelPackage(fixture, 'fp32'));
});

const text = 'You are a support agent. Answer in JSON: {"label": "..."}. Be brief and kind.';
const lockedStart = text.indexOf('Answer');
const lockedEnd = text.indexOf(' Be brief');

/** Replaces every masked position (and inserted slot) with the id of "x" and rebuilds the text. */
function rewriteWithX(prompt: EditablePrompt, plan: MaskPlan) {
  const x = codec.encode('x')[0];
  const ids = prompt.segments(plan).flatMap((s) => ('ids' in s ? Array.from(s.ids) : Array(s.length).fill(x)));
  return prompt.rebuild(plan, ids, codec);
}

describe('EditablePrompt', () => {
  it('rebuilds the exact text when nothing is masked', () => {
    const prompt = new EditablePrompt({ text, locked: [[lockedStart, lockedEnd]], marked: [] }, codec);
    const out = rewriteWithX(prompt, { masked: new Set(), inserts: new Map() });
    expect(out).toEqual({ text, locked: [[lockedStart, lockedEnd]], marked: [] });
  });

  it('never offers a locked token for masking, with any strategy', () => {
    const prompt = new EditablePrompt({ text, locked: [[lockedStart, lockedEnd]], marked: [[0, 8]] }, codec);
    const surprisal = Float32Array.from(prompt.tokens, (_, i) => i);
    for (const strategy of spanStrategies) {
      for (let seed = 0; seed < 20; seed++) {
        const plan = planSpans(strategy, prompt, 6, { rng: new Rng(seed), surprisal, marked: [[0, 8]] });
        for (const t of plan.masked) expect(prompt.isEditable(t)).toBe(true);
      }
    }
  });

  it('keeps locked text byte for byte through masks and insertions, and reports where it moved', () => {
    const prompt = new EditablePrompt({ text, locked: [[lockedStart, lockedEnd]], marked: [] }, codec);
    const editable = prompt.editableTokens();
    const plan: MaskPlan = { masked: new Set(editable), inserts: new Map([[0, 3], [prompt.tokens.length, 2]]) };
    const out = rewriteWithX(prompt, plan);
    expect(out.locked).toHaveLength(1);
    const [start, end] = out.locked[0];
    expect(out.text.slice(start, end)).toBe(text.slice(lockedStart, lockedEnd));
    expect(out.text).not.toBe(text);
  });

  it('reports masked character spans, an insertion as an empty range', () => {
    const prompt = new EditablePrompt({ text, locked: [], marked: [] }, codec);
    const plan: MaskPlan = { masked: new Set([0, 1]), inserts: new Map([[prompt.tokens.length, 4]]) };
    const spans = prompt.maskedSpans(plan);
    expect(spans[0][0]).toBe(0);
    expect(text.slice(spans[0][0], spans[0][1]).startsWith('You')).toBe(true);
    expect(spans[spans.length - 1]).toEqual([text.length, text.length]);
  });

  it('keeps the marked range marked after its text is rewritten', () => {
    const prompt = new EditablePrompt({ text, locked: [], marked: [[0, 23]] }, codec);
    const markedTokens = prompt.editableTokens().filter((t) => prompt.isMarked(t));
    const out = rewriteWithX(prompt, { masked: new Set(markedTokens), inserts: new Map() });
    expect(out.marked).toHaveLength(1);
    expect(out.text.slice(out.marked[0][1])).toBe(text.slice(23));
  });

  it('refuses a locked range outside the prompt', () => {
    expect(() => new EditablePrompt({ text, locked: [[5, 500]], marked: [] }, codec)).toThrow(/locked\[0\].*not a range/);
  });
});

describe('token ends in linear time', () => {
  const texts = [
    'You are a support agent. Answer in JSON: {"label": "..."}. Be brief and kind.',
    "Don't rebook a passenger's flight (e.g. AA-123) unless they ask; refunds go to the card — always.",
    'Ünïcödé, émojis 🙂🙂 and CJK 日本語 mixed with words, numbers 3.14 and spaces   in   a row.',
    Array.from({ length: 40 }, (_, i) => `Rule ${i}: check the booking, then answer politely.`).join(' '),
  ];
  for (const model of ['tiny-model (WordPiece fixture)', 'remask-mini (embedded)']) {
    it(`match decoding every growing prefix, for ${model}`, async () => {
      const dir = model.startsWith('tiny') ? fixture : fileURLToPath(new URL('../../models/remask-mini', import.meta.url));
      const own = new TextCodec(await loadModelPackage(dir, 'fp32'));
      for (const text of texts) {
        const ids = own.encode(text);
        const full = ids.map((_, i) => own.decodeText(Int32Array.from(ids.slice(0, i + 1))).length);
        expect(decodedEnds(ids, own)).toEqual(full);
      }
    });
  }
});
