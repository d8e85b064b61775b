// Real system prompts run to thousands of words, far past the DLM's 512-token window: the DLM rewrites
// a window around the spans it edits, with traces beside it, and every other word stays as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedModelPath } from '../cli/paths';
import { Engine } from '../model/engine';
import { diffWords } from 'diff';
import { suggestRewrites } from './suggest';

let engine: Engine;
beforeAll(async () => {
  engine = await Engine.load({ model: embeddedModelPath(), quantization: 'int8', backend: 'wasm' });
});
afterAll(() => engine.dispose());

const sentences = [
  'Always confirm the booking reference before you change a flight.',
  'Tell the customer what a change will cost, and wait for a yes.',
  'Never rebook a passenger on a flight that leaves within two hours.',
  'Refunds go back to the card the ticket was paid with.',
  'If the customer is upset, apologise once and then solve the problem.',
];
/** About 3,000 words of airline policy, in numbered sections. */
const policy = Array.from({ length: 50 }, (_, s) => `Section ${s + 1}. ${sentences.map((t, i) => sentences[(i + s) % sentences.length]).join(' ')}`).join('\n\n');
const closing = '\n\nAnswer in at most three sentences.';
const prompt = policy + closing;

describe('a prompt longer than the DLM window', () => {
  it('is rewritten in a window around the edited spans, the rest kept verbatim, the locked end intact', { timeout: 240_000 }, async () => {
    expect(prompt.split(/\s+/).length).toBeGreaterThan(3000);
    const rewrites = await suggestRewrites(engine, {
      prompt,
      locked: [[policy.length, prompt.length]],
      marked: [],
      traces: [{ query: 'Can I change my flight tomorrow?', response: 'Yes.', feedback: 'Say what it costs first.' }],
      candidates: 3,
      editFraction: 0.3,
      strategies: ['random', 'insert', 'low-confidence'],
      decoding: { steps: 8 },
      seed: 1,
    });
    expect(rewrites.length).toBe(3);
    for (const rewrite of rewrites) {
      const text = rewrite.prompt.text;
      expect(text).not.toBe(prompt);
      expect(text.endsWith(closing)).toBe(true);
      // Every change lies inside one window of the model's size: at most ~400 tokens, about 1,500 characters.
      const changes = diffWords(prompt, text);
      let at = 0;
      const changed: number[] = [];
      for (const part of changes) {
        if (part.added || part.removed) changed.push(at);
        if (!part.added) at += part.value.length;
      }
      expect(changed.length).toBeGreaterThan(0);
      expect(Math.max(...changed) - Math.min(...changed)).toBeLessThan(2000);
      // The untouched text is by far most of the prompt.
      const kept = changes.filter((p) => !p.added && !p.removed).reduce((n, p) => n + p.value.length, 0);
      expect(kept / prompt.length).toBeGreaterThan(0.9);
    }
  });
});
