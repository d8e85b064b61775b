// From a task description to a run ready to optimize (Promptomatix's front half): read the intent, write
// a first prompt with a chosen strategy, make synthetic data for review, and choose the metric the data
// calls for. The LLM writes only what it is good at (the instruction, the examples); the structure around
// them is ours, so a weak model still yields a usable start.
import type { Target } from '../targets/target';
import type { ConfigInput } from './config';
import type { Example } from './dataset';
import { withDemos } from './demos';
import { synthesizeExamples } from './synthetic';

export const draftStrategies = ['plain', 'step-by-step', 'examples'] as const;
export type DraftStrategy = (typeof draftStrategies)[number];

export interface TaskDraft {
  /** The instruction the LLM read out of the task, or the task itself when its reply was unusable. */
  instruction: string;
  intentFrom: 'llm' | 'task';
  prompt: string;
  examples: Example[];
  metric: 'exact' | 'contains' | 'numeric';
  /** The answers the examples allow, when they are a few labels (classification). */
  labels: string[] | null;
}

const intentSystem = `You turn a task description into one instruction for a language model. Reply with the
instruction only: one or two imperative sentences, no preamble, no quotes.`;

const contentWords = (text: string) => new Set(text.toLowerCase().match(/[a-z]{4,}/g) ?? []);

/**
 * An instruction is usable when it is one or two sentences of words (not a list, code or an essay) and
 * about the task: it shares two content words with it. A small model's reply is often neither.
 */
export function usableInstruction(text: string, task: string): boolean {
  const words = text.split(/\s+/).filter(Boolean).length;
  const taskWords = contentWords(task);
  const shared = [...contentWords(text)].filter((w) => taskWords.has(w)).length;
  return words >= 3 && words <= 60 && !/[{}<>`]|^\s*[-*\d]/.test(text) && shared >= Math.min(2, taskWords.size);
}

const sentence = (text: string) => {
  const t = text.trim().replace(/\s+/g, ' ');
  return /[.!?]$/.test(t) ? `${t[0].toUpperCase()}${t.slice(1)}` : `${t[0].toUpperCase()}${t.slice(1)}.`;
};

/** 1. The intent: the task as one instruction to the model. */
export async function readIntent(target: Target, task: string, signal?: AbortSignal): Promise<{ instruction: string; from: 'llm' | 'task' }> {
  const { text } = await target.complete({ system: intentSystem, user: `Task: ${task.trim()}`, maxTokens: 96, signal });
  const reply = text.trim().replace(/^instruction\s*:\s*/i, '').replace(/^"(.*)"$/s, '$1').split('\n')[0].trim();
  return usableInstruction(reply, task) ? { instruction: sentence(reply), from: 'llm' } : { instruction: sentence(task), from: 'task' };
}

/** The metric the expected answers call for: numbers, a few labels, or free text. */
export function metricFor(examples: readonly Example[]): { metric: TaskDraft['metric']; labels: string[] | null } {
  const expected = examples.map((e) => e.expected.trim());
  if (expected.every((e) => e !== '' && Number.isFinite(Number(e.replace(/,/g, ''))))) return { metric: 'numeric', labels: null };
  const labels = [...new Set(expected.map((e) => e.toLowerCase()))];
  const short = labels.every((l) => l.split(/\s+/).length <= 3);
  if (short && labels.length <= Math.max(2, Math.floor(examples.length / 3))) return { metric: 'exact', labels: labels.sort() };
  return { metric: 'contains', labels: null };
}

/** Worked examples an 'examples' prompt shows; they are kept out of the dataset, so no split holds them. */
const shownExamples = 3;

/** 2. A first prompt with the chosen strategy, its answer format read from the data. */
export function firstPrompt(instruction: string, strategy: DraftStrategy, shown: readonly Example[], labels: string[] | null, metric: TaskDraft['metric']): string {
  const format = labels ? `Answer with one of: ${labels.join(', ')}. Reply with the answer only.` : metric === 'numeric' ? 'Reply with the number only.' : 'Reply with the answer only.';
  if (strategy === 'step-by-step') {
    const last = labels ? `one of: ${labels.join(', ')}` : metric === 'numeric' ? 'the number' : 'the answer';
    return `${instruction} Think it through step by step, then give ${last} alone on the last line.`;
  }
  const plain = `${instruction} ${format}`;
  if (strategy === 'plain') return plain;
  return withDemos(
    plain,
    shown.map((e, row) => ({ row, input: e.input, output: e.expected })),
  );
}

/** The first three steps and the metric: the intent, the data (less the rows the prompt shows), the prompt. */
export async function draftFromTask(target: Target, task: string, options: { strategy: DraftStrategy; count: number; signal?: AbortSignal }): Promise<TaskDraft> {
  const { instruction, from } = await readIntent(target, task, options.signal);
  const showing = options.strategy === 'examples' ? shownExamples : 0;
  const all = await synthesizeExamples(target, task, options.count + showing, options.signal);
  const [shown, examples] = [all.slice(0, Math.min(showing, all.length - 1)), all.slice(Math.min(showing, all.length - 1))];
  const { metric, labels } = metricFor(all);
  return { instruction, intentFrom: from, prompt: firstPrompt(instruction, options.strategy, shown, labels, metric), examples, metric, labels };
}

/** 4. The run config for `remask optimize`, reading the examples from `dataPath` (relative to the config). */
export function draftConfig(draft: TaskDraft, dataPath: string, target: ConfigInput['target']): ConfigInput {
  return {
    prompt: draft.prompt,
    dataset: { path: dataPath, input: 'input', expected: 'expected' },
    metric: draft.metric,
    target,
  };
}
