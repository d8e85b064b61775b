// How well one target output answers one example: a score in [0, 1] and, where there is something to
// say, one sentence of feedback. The feedback is part of the trace the DLM later conditions on.
import { z } from 'zod';
import { OptionError, RemaskError } from '../core/errors';
import type { Target } from '../targets/target';

const judgeConfigSchema = z.strictObject({
  /** What a good answer does, in the user's words; the judge grades against it. */
  rubric: z.string().min(1),
  /** 0 (the default) so the same answer gets the same grade; reasoning models that only take 1 need it set. */
  temperature: z.number().min(0).max(2).optional(),
});

/** How a run scores an answer, as its config names it. */
export const metricConfigSchema = z.union([
  z.enum(['exact', 'contains', 'numeric']),
  z.strictObject({ regex: z.string().min(1) }),
  z.strictObject({ judge: judgeConfigSchema }),
]);
export type MetricConfig = z.infer<typeof metricConfigSchema>;
type JudgeConfig = z.infer<typeof judgeConfigSchema>;

export interface MetricScore {
  /** In [0, 1]. */
  score: number;
  feedback?: string;
}

export interface Metric {
  readonly name: string;
  score(output: string, expected: string, input: string, signal?: AbortSignal): Promise<MetricScore>;
}

/** The judge answered, but not with a score we can read. */
export class JudgeAnswerError extends RemaskError {
  constructor(answer: string) {
    super(
      'judge-answer',
      `The judge answered without a "SCORE: n" line ("${clip(answer, 120)}"): use a stronger judge model, or ask in the rubric for a score from 0 to 10.`,
    );
    this.name = 'JudgeAnswerError';
  }
}

/** Case, surrounding and repeated whitespace do not change an answer. */
export const normalize = (text: string): string => text.trim().replace(/\s+/g, ' ').toLowerCase();

const clip = (text: string, max = 200): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}...` : flat;
};

const pass: MetricScore = { score: 1 };
const fail = (feedback: string): MetricScore => ({ score: 0, feedback });

function exactMetric(): Metric {
  return {
    name: 'exact',
    score: async (output, expected) =>
      normalize(output) === normalize(expected) ? pass : fail(`The answer "${clip(output)}" is not the expected "${clip(expected)}".`),
  };
}

function containsMetric(): Metric {
  return {
    name: 'contains',
    score: async (output, expected) =>
      normalize(output).includes(normalize(expected)) ? pass : fail(`The answer does not contain the expected "${clip(expected)}".`),
  };
}

function regexMetric(pattern: string): Metric {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch (error) {
    throw new OptionError(`metric.regex "${pattern}" is not a valid regular expression (${(error as Error).message}): fix the pattern.`);
  }
  // Appending "|" makes the pattern match the empty string, so the match array reveals the group count.
  const hasGroup = new RegExp(`${pattern}|`).exec('')!.length > 1;
  return {
    name: 'regex',
    async score(output, expected) {
      const match = regex.exec(output);
      if (!match) return fail(`The answer does not match /${pattern}/.`);
      if (!hasGroup) return pass;
      const captured = match[1] ?? '';
      return normalize(captured) === normalize(expected) ? pass : fail(`The answer gives "${clip(captured)}" where "${clip(expected)}" was expected.`);
    },
  };
}

/**
 * Decimals with optional thousands commas and exponent: "1,234.5", "3e8", ".5". A sign counts only where
 * it cannot be a hyphen or a minus between terms: "-4" is negative, "pages 10-20" ends in 20.
 */
const numberPattern = /(?:(?<![\w.])[-+])?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?/g;

/** The last number in `text` (answers state the result at the end: "... so the total is 42."). */
export function lastNumber(text: string): number | undefined {
  const found = text.match(numberPattern);
  return found ? Number(found[found.length - 1].replace(/,/g, '')) : undefined;
}

/** Equal within a relative 1e-6, so 0.1 + 0.2 and 0.3 agree but 1000 and 1001 do not. */
const relativeTolerance = 1e-6;

function numericMetric(): Metric {
  return {
    name: 'numeric',
    async score(output, expected) {
      const want = lastNumber(expected);
      if (want === undefined) {
        throw new OptionError(`metric "numeric" needs a number as the expected answer, got "${clip(expected)}": fix the dataset or choose another metric.`);
      }
      const got = lastNumber(output);
      if (got === undefined) return fail(`The answer has no number; ${want} was expected.`);
      const close = Math.abs(got - want) <= relativeTolerance * Math.max(Math.abs(got), Math.abs(want));
      return close ? pass : fail(`The answer's last number is ${got}; ${want} was expected.`);
    },
  };
}

/** Room for a score line and a sentence, with slack for models that think aloud first. */
const judgeMaxTokens = 1024;
/** The judge's scale; a fraction on another scale ("4/5") is converted to it. */
const judgeScale = 10;

const judgeSystem = `You grade one answer of an AI assistant against a rubric. Read the task input, the reference answer and the answer to grade, then reply with exactly two lines:
SCORE: <an integer from 0 (useless) to ${judgeScale} (fully meets the rubric)>
FEEDBACK: <one sentence on what the answer does wrong, or what it does right if nothing is wrong>`;

const judgeUser = (rubric: string, input: string, expected: string, output: string): string =>
  `<rubric>\n${rubric}\n</rubric>\n\n<input>\n${input}\n</input>\n\n<reference_answer>\n${expected}\n</reference_answer>\n\n<answer_to_grade>\n${output}\n</answer_to_grade>`;

/**
 * Reads the judge's reply: the last "SCORE: n" (also "**Score:** 8/10", "score = 7.5"), else the last
 * "n/10"; the FEEDBACK line, else the first sentence that is not the score. Returns a score in [0, 1].
 */
export function parseJudgeAnswer(answer: string): MetricScore {
  const labelled = [...answer.matchAll(/score\W{0,4}?[:=]\W{0,3}?(\d+(?:\.\d+)?)(?:\s*\/\s*(\d+))?/gi)].at(-1);
  const fraction = labelled ? undefined : [...answer.matchAll(/(\d+(?:\.\d+)?)\s*\/\s*(\d+)/g)].at(-1);
  const found = labelled ?? fraction;
  if (!found) throw new JudgeAnswerError(answer);
  const outOf = found[2] ? Number(found[2]) : judgeScale;
  if (!(outOf > 0)) throw new JudgeAnswerError(answer);
  const score = Math.min(1, Math.max(0, Number(found[1]) / outOf));

  const line = /feedback\W{0,4}?[:=]\**\s*(.+)/i.exec(answer)?.[1];
  const sentences = answer.split(/(?<=[.!?])\s+|\n+/).map((s) => s.replace(/^[\s*#>-]+|\*+$/g, '').trim());
  const sentence = line ?? sentences.find((s) => /[a-z]/i.test(s) && !s.includes(found[0]) && !/^score\b/i.test(s));
  const feedback = sentence ? clip(sentence.replace(/\*+$/, ''), 300) : undefined;
  return feedback ? { score, feedback } : { score };
}

function judgeMetric({ rubric, temperature = 0 }: JudgeConfig, judge: Target | undefined): Metric {
  if (typeof rubric !== 'string' || rubric.trim() === '') {
    throw new OptionError('metric.judge.rubric is empty: say what a good answer does, e.g. "cites the source and is under 50 words".');
  }
  if (!judge) throw new OptionError('metric "judge" needs a judge target: configure the judge model (provider, model, key).');
  return {
    name: 'judge',
    async score(output, expected, input, signal) {
      const answer = await judge.complete({
        system: judgeSystem,
        user: judgeUser(rubric, input, expected, output),
        maxTokens: judgeMaxTokens,
        temperature,
        signal,
      });
      return parseJudgeAnswer(answer.text);
    },
  };
}

/** A Metric for `config`; a judge metric grades with `judgeTarget`. Bad settings throw OptionError now, not mid-run. */
export function createMetric(config: MetricConfig, judgeTarget?: Target): Metric {
  if (config === 'exact') return exactMetric();
  if (config === 'contains') return containsMetric();
  if (config === 'numeric') return numericMetric();
  if (typeof config === 'object' && config !== null) {
    if ('regex' in config && typeof config.regex === 'string') return regexMetric(config.regex);
    if ('judge' in config && typeof config.judge === 'object' && config.judge !== null) return judgeMetric(config.judge, judgeTarget);
  }
  throw new OptionError(
    `Unknown metric ${JSON.stringify(config)}: use "exact", "contains", "numeric", {"regex": "..."} or {"judge": {"rubric": "..."}}.`,
  );
}
