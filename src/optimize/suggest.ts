// The no-target mode (the paper's Figure 1): paste traces with feedback, get rewritten prompts from the
// DLM alone, offline, no key needed. Nothing is scored; the user judges the candidates.
import type { Engine, InfillSettings } from '../model/engine';
import type { Trace } from './layout';
import { placeholderRanges } from './gpo';
import { strategiesFor } from './spans';
import { EditablePrompt, type CharRange, type PromptText } from './prompt';
import { proposeRewrites, type Rewrite } from './propose';
import { editTokens } from './edit-budget';
import type { SpanStrategy } from './spans';

export interface SuggestRequest {
  prompt: string;
  locked: CharRange[];
  marked: CharRange[];
  traces: Trace[];
  /** How many rewrites, and the share of editable tokens each may rewrite. */
  candidates: number;
  editFraction: number;
  strategies?: SpanStrategy[];
  decoding: Partial<InfillSettings>;
  seed: number;
}

export async function suggestRewrites(
  engine: Engine,
  request: SuggestRequest,
  { signal, onProgress }: { signal?: AbortSignal; onProgress?: (fraction: number) => void } = {},
): Promise<Rewrite[]> {
  // Template placeholders ({name}, {{name}}) are locked whatever the user locked.
  const text: PromptText = { text: request.prompt, locked: [...request.locked, ...placeholderRanges(request.prompt)], marked: request.marked };
  const prompt = new EditablePrompt(text, engine.codec);
  return proposeRewrites(engine, {
    prompt,
    traces: request.traces,
    past: [],
    candidates: request.candidates,
    editTokens: editTokens(request.editFraction, prompt.editableTokens().length),
    strategies: strategiesFor(request.strategies, prompt, request.marked.length > 0),
    marked: request.marked,
    decoding: request.decoding,
    seed: request.seed,
    seedPath: [],
    seen: new Set([request.prompt]),
    signal,
    onProgress,
  });
}
