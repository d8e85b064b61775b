// GPO (RUCAIBox, AAAI): an LLM as the optimizer, read as a gradient method. The update direction is
// the trajectory (past prompts with their scores, retrieved by importance, recency or relevance); the
// update is a rewrite written by an optimizer LLM through a meta-prompt; the step size is an edit
// budget in words, decayed by a cosine over the run, and enforced: a rewrite that changes more words
// than the budget allows is drawn again, a few times, then dropped.
// The optimizer LLM rewrites one editable part of the prompt at a time (the marked parts first, as
// marks mean "rewrite this"); locked parts are shown to it as they are and copied back unchanged.
import { derivedSeed, Rng } from '../core/rng';
import type { Target } from '../targets/target';
import type { PastPrompt, Trace } from './layout';
import type { CharRange, EditablePrompt, PromptText } from './prompt';

export const retrievals = ['importance', 'recency', 'relevance'] as const;
export type Retrieval = (typeof retrievals)[number];

const words = (text: string): string[] => text.split(/\s+/).filter(Boolean);

/** Words in a text, as the edit budget and the length penalty count them: runs of non-space. */
export const wordCount = (text: string): number => words(text).length;

/** Word-level Levenshtein distance: how many words were replaced, inserted or deleted. */
export function wordEditDistance(a: string, b: string): number {
  const x = words(a);
  const y = words(b);
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[y.length];
}

/** Template placeholders, `{name}` and `{{name}}`: locked in every prompt, and never to be dropped. */
const placeholderPattern = /\{\{\s*[\w.-]+\s*\}\}|\{[\w.-]+\}/g;

export function placeholderRanges(text: string): CharRange[] {
  return Array.from(text.matchAll(placeholderPattern), (m) => [m.index, m.index + m[0].length] as CharRange);
}

/** The placeholders of `before` that `after` no longer has (each counted as often as it occurs). */
export function droppedPlaceholders(before: string, after: string): string[] {
  const left: string[] = after.match(placeholderPattern) ?? [];
  return (before.match(placeholderPattern) ?? []).filter((p) => {
    const at = left.indexOf(p);
    if (at < 0) return true;
    left.splice(at, 1);
    return false;
  });
}

export interface ScoredCandidate {
  id: number;
  prompt: string;
  validationScore: number | null;
}

/**
 * GPO's update direction: k earlier prompts with their validation scores, other than the current best.
 * importance: the best-scoring; recency: the latest scored; relevance: the most like the current best
 * (word overlap). Listed best first (the DLM's context keeps what fits, from the top).
 */
export function retrieveTrajectory(candidates: readonly ScoredCandidate[], bestId: number, k: number, how: Retrieval): PastPrompt[] {
  const scored = candidates.filter((c) => c.validationScore !== null && c.id !== bestId);
  const best = new Set(words(candidates.find((c) => c.id === bestId)?.prompt ?? ''));
  const overlap = (c: ScoredCandidate) => {
    const own = new Set(words(c.prompt));
    const shared = [...own].filter((w) => best.has(w)).length;
    return shared / Math.max(1, own.size + best.size - shared);
  };
  const key: Record<Retrieval, (c: ScoredCandidate) => number> = { importance: (c) => c.validationScore!, recency: (c) => c.id, relevance: overlap };
  return scored
    .sort((a, b) => key[how](b) - key[how](a) || a.id - b.id)
    .slice(0, k)
    .sort((a, b) => b.validationScore! - a.validationScore! || a.id - b.id)
    .map((c) => ({ prompt: c.prompt, score: c.validationScore! }));
}

export interface LlmRewriteRequest {
  prompt: EditablePrompt;
  traces: readonly Trace[];
  past: readonly PastPrompt[];
  candidates: number;
  /** The most words a rewrite may change (GPO's learning rate). */
  editWords: number;
  seed: number;
  seedPath: readonly number[];
  /** Prompts already seen: a rewrite equal to one is drawn again. Rewrites are added. */
  seen: Set<string>;
  signal?: AbortSignal;
}

export interface LlmRewrite {
  prompt: PromptText;
  maskedSpans: CharRange[];
  strategy: 'llm';
  editWords: number;
}

/** Draws per candidate before it is dropped: over the edit budget, a dropped placeholder, a repeat. */
const maxDraws = 3;
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

/** The meta-prompt: the trajectory, the failures, the rule; the part to rewrite goes as the user turn. */
export function metaPrompt(part: string, past: readonly PastPrompt[], traces: readonly Trace[], editWords: number): string {
  const lines = ['You improve one part of a prompt that instructs a language model.', ''];
  if (past.length > 0) {
    lines.push('Earlier versions of the whole prompt, with their scores (higher is better):', '');
    // Worst first, as OPRO and GPO list them: the best sits next to what the optimizer writes.
    for (const p of [...past].reverse()) lines.push(`Version scoring ${p.score.toFixed(2)}: ${clip(p.prompt.replace(/\s+/g, ' '), 400)}`, '');
  }
  const failures = traces.filter((t) => (t.score ?? 0) < 1).slice(0, 3);
  if (failures.length > 0) {
    lines.push('Queries the current prompt handled badly:', '');
    for (const t of failures) lines.push(`Query: ${clip(t.query, 200)}`, `Reply: ${clip(t.response, 120)}`, ...(t.feedback ? [`Problem: ${clip(t.feedback, 160)}`] : []), '');
  }
  lines.push(
    `Rewrite the part below so that the prompt scores higher. Change at most ${editWords} words. Keep every placeholder such as {name} exactly as it is. Reply with the rewritten part only.`,
  );
  return lines.join('\n');
}

/** The optimizer's reply as a part of the prompt: no quotes, fences or label around it. */
function cleanReply(text: string): string {
  return text
    .trim()
    .replace(/^```\w*\n?|\n?```$/g, '')
    .replace(/^(rewritten part|new part|part|instructions?)\s*:\s*/i, '')
    .replace(/^"(.*)"$/s, '$1')
    .trim();
}

/** N rewrites of the prompt by the optimizer LLM, each within the edit budget and keeping its placeholders. */
export async function proposeWithLlm(optimizer: Target, request: LlmRewriteRequest): Promise<LlmRewrite[]> {
  const { prompt } = request;
  const editable = prompt.units.flatMap((unit, i) => (unit.kind !== 'locked' && unit.text.trim() !== '' ? [i] : []));
  const marked = editable.filter((i) => prompt.units[i].kind === 'marked');
  const parts = marked.length > 0 ? marked : editable;
  if (parts.length === 0) return [];
  const made: LlmRewrite[] = [];
  for (let c = 0; c < request.candidates; c++) {
    const rng = new Rng(derivedSeed(request.seed, ...request.seedPath, c));
    const index = parts[rng.nextUint32() % parts.length];
    const original = prompt.units[index].text;
    const [lead, trail] = [original.match(/^\s*/)![0], original.match(/\s*$/)![0]];
    const system = metaPrompt(original.trim(), request.past, request.traces, request.editWords);
    for (let draw = 0; draw < maxDraws; draw++) {
      request.signal?.throwIfAborted();
      // GPO samples its rewrites: a fresh draw at temperature 1 differs from the last.
      const { text } = await optimizer.complete({ system, user: original.trim(), temperature: 1, maxTokens: Math.max(64, 2 * wordCount(original) + 32), signal: request.signal });
      const reply = cleanReply(text);
      if (reply === '' || reply === original.trim()) continue;
      const rewritten = prompt.withUnit(index, `${lead}${reply}${trail}`);
      const changed = wordEditDistance(prompt.text, rewritten.text);
      if (changed > request.editWords || droppedPlaceholders(prompt.text, rewritten.text).length > 0 || request.seen.has(rewritten.text)) continue;
      request.seen.add(rewritten.text);
      made.push({ prompt: rewritten, maskedSpans: [prompt.unitRange(index)], strategy: 'llm', editWords: changed });
      break;
    }
  }
  return made;
}
