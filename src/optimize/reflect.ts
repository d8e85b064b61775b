// The hybrid proposer's first half (GEPA's reflection): the optimizer LLM reads the prompt and the
// traces it failed on and says, in a sentence or two, what the instructions should say. That text
// becomes the failing traces' feedback, and the DLM, which was trained to carry a Feedback line into the
// prompt it rewrites (models/pipeline/rows.py), edits spans with it in its context.
import type { Target } from '../targets/target';
import type { Trace } from './layout';

/** Failing traces the reflection reads: GEPA shows a few, so the reply stays about the common fault. */
const shownFailures = 4;
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

export function reflectionPrompt(prompt: string, failures: readonly Trace[]): string {
  const lines = [
    'You review the instructions given to a language model, and the queries it then got wrong.',
    '',
    `Instructions: ${clip(prompt.replace(/\s+/g, ' '), 1200)}`,
    '',
  ];
  for (const t of failures.slice(0, shownFailures)) {
    lines.push(`Query: ${clip(t.query, 200)}`, `Reply: ${clip(t.response, 120)}`, ...(t.feedback ? [`Problem: ${clip(t.feedback, 160)}`] : []), '');
  }
  lines.push('In one or two short sentences, say what the instructions should tell the model so that it gets such queries right. Reply with those sentences only.');
  return lines.join('\n');
}

/**
 * The traces with the optimizer LLM's reflection as the worst one's feedback (after its own feedback, if
 * any): once, as the DLM was trained to read one naming Feedback line among other traces. No failures:
 * the traces as they are, and no call made.
 */
export async function reflect(optimizer: Target, prompt: string, traces: readonly Trace[], signal?: AbortSignal): Promise<{ traces: Trace[]; reflection: string | null }> {
  const failures = traces.filter((t) => (t.score ?? 0) < 1);
  if (failures.length === 0) return { traces: [...traces], reflection: null };
  const { text } = await optimizer.complete({ system: reflectionPrompt(prompt, failures), user: 'What should the instructions say?', maxTokens: 96, signal });
  const reflection = text.trim().replace(/\s+/g, ' ');
  if (reflection === '') return { traces: [...traces], reflection: null };
  const worst = traces.indexOf(failures.reduce((a, b) => ((b.score ?? 0) < (a.score ?? 0) ? b : a)));
  return {
    traces: traces.map((t, i) => (i === worst ? { ...t, feedback: t.feedback ? `${t.feedback} ${reflection}` : reflection } : t)),
    reflection,
  };
}
