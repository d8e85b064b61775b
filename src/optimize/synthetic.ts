// Synthetic examples from a task description, through the target (as Promptomatix does): the target
// writes input/expected pairs as JSON lines; we keep the well-formed, distinct ones. The caller saves
// them as JSONL so a person can review and edit them before an optimize run uses them.
import { RemaskError } from '../core/errors';
import type { Target } from '../targets/target';
import type { Example } from './dataset';

/** Examples asked for per call: small enough for any model to keep the format. */
const perCall = 10;
/** Calls that add nothing new before giving up, so a stubborn model cannot loop forever. */
const maxFruitlessCalls = 3;

export class SyntheticDataError extends RemaskError {
  constructor(message: string) {
    super('synthetic-data', message);
    this.name = 'SyntheticDataError';
  }
}

// Two worked lines of other tasks show the format, so a base (completion) model that only continues
// text writes it as well as a chat model that follows the instruction.
const system = `You write test data for a task. Reply with JSON lines only, one example per line, each exactly
{"input": "<what a user sends>", "expected": "<the correct answer>"}. Make the examples varied, realistic
and unambiguous, with short expected answers. No commentary, no code fences.

Input: Task: translate a greeting from English to French
Write 2 examples.
Output: {"input": "Good morning", "expected": "Bonjour"}
{"input": "Good night", "expected": "Bonne nuit"}

Input: Task: add two whole numbers
Write 1 examples.
Output: {"input": "What is 17 + 25?", "expected": "42"}`;

export async function synthesizeExamples(target: Target, task: string, count: number, signal?: AbortSignal): Promise<Example[]> {
  if (!task.trim()) throw new SyntheticDataError('The task description is empty: say what the task is, e.g. "classify a review as positive or negative".');
  const examples: Example[] = [];
  const seen = new Set<string>();
  let fruitless = 0;
  while (examples.length < count && fruitless < maxFruitlessCalls) {
    const want = Math.min(perCall, count - examples.length);
    const avoid = examples.length > 0 ? `\nDo not repeat these inputs:\n${examples.map((e) => `- ${e.input}`).join('\n')}` : '';
    // Sampled: each call must bring examples the last ones did not.
    const { text } = await target.complete({ system, user: `Task: ${task.trim()}\nWrite ${want} examples.${avoid}`, temperature: 0.9, signal });
    const before = examples.length;
    for (const example of parseExampleLines(text)) {
      if (examples.length >= count || seen.has(example.input)) continue;
      seen.add(example.input);
      examples.push(example);
    }
    fruitless = examples.length > before ? 0 : fruitless + 1;
  }
  if (examples.length === 0) throw new SyntheticDataError('The target wrote no usable examples: try a stronger model or a clearer task description.');
  return examples;
}

/** Every line that is a JSON object with string "input" and "expected"; anything else is skipped. */
export function parseExampleLines(text: string): Example[] {
  return text.split(/\r?\n/).flatMap((line) => {
    const trimmed = line.trim().replace(/,$/, '');
    if (!trimmed.startsWith('{')) return [];
    try {
      const value = JSON.parse(trimmed) as Record<string, unknown>;
      return typeof value.input === 'string' && typeof value.expected === 'string' && value.input.trim() ? [{ input: value.input, expected: value.expected }] : [];
    } catch {
      return [];
    }
  });
}
