// The optimize run's configuration: one schema, one set of defaults (each with its reason), checked
// before anything runs. Unknown fields are errors, so a misspelt setting never silently falls back.
import { z } from 'zod';
import { confidenceNames } from '../core/confidence';
import { scheduleNames } from '../core/schedule';
import { RemaskError } from '../core/errors';
import { defaultQuantization } from '../model/embedded';
import { quantizations } from '../model/options';
import { targetConfigSchema } from '../targets/target';
import { spanStrategies } from './spans';
import { retrievals } from './gpo';
import { metricConfigSchema } from './metrics';
import { defaultSplit } from './split';

export const proposers = ['dlm', 'dlm-blind', 'random', 'gpo', 'hybrid'] as const;
/** Proposers that call an optimizer LLM (config.optimizer, else the target). */
export const llmProposers: readonly Proposer[] = ['gpo', 'hybrid'];
export type Proposer = (typeof proposers)[number];

export class ConfigError extends RemaskError {
  constructor(message: string) {
    super('bad-config', message);
    this.name = 'ConfigError';
  }
}

const range = z.tuple([z.number().int().min(0), z.number().int().min(0)]);
const example = z.strictObject({ input: z.string(), expected: z.string(), split: z.string().optional() });
const share = z.number().gt(0).lt(1);
/** Shares of the rows for each part, or the name of the column that says each row's part. */
const split = z.union([z.strictObject({ train: share, validation: share, test: share }), z.string().min(1)]).default(defaultSplit);


const localTarget = z.strictObject({
  provider: z.literal('local-mlm'),
  labels: z.array(z.string().min(1)).min(2),
  model: z.string().min(1).optional(), // default: the DLM's own model
  quant: z.enum(quantizations).optional(),
});

const dlmSchema = z
  .strictObject({
    model: z.string().min(1).optional(), // default: the embedded model
    quant: z.enum(quantizations).default(defaultQuantization('wasm')), // the CPU's best size/accuracy trade
    steps: z.number().int().min(1).default(8), // a moderate step count: best quality/stability (DLM-PO paper)
    schedule: z.enum(scheduleNames).default('cosine'), // few tokens first, while the context matters most
    confidence: z.enum(confidenceNames).default('prob'), // LLaDA low-confidence remasking
    temperature: z.number().min(0).default(0.7), // candidates must differ from one another
  })
  .prefault({});

const searchSchema = z
  .strictObject({
    // Who proposes candidates. dlm: the DLM conditioned on traces and trajectory (the product).
    // dlm-blind: the same DLM with no traces and no trajectory; random: the same masks filled with
    // random vocabulary tokens (two baselines that tell whether the context and the model matter);
    // gpo: GPO's optimizer LLM (config.optimizer, else the target) rewriting within the edit budget;
    // hybrid: that LLM reads the failures and writes feedback (GEPA's reflection), the DLM edits with it.
    proposer: z.enum(proposers).default('dlm'),
    // GPO's update direction: which past prompts the trajectory holds, the best, the latest or the most alike.
    retrieval: z.enum(retrievals).default('importance'),
    iterations: z.number().int().min(1).default(5),
    candidates: z.number().int().min(1).default(4), // per iteration; GPO uses 8, halved for CPU decoding
    minibatch: z.number().int().min(1).default(16),
    editBudget: z
      .strictObject({ initial: z.number().gt(0).max(1).default(0.3), final: z.number().gt(0).max(1).default(0.1) })
      .prefault({}), // GPO's cosine-decayed learning rate, as a share of editable tokens
    trajectory: z.number().int().min(0).default(3), // GPO's k = 3 best past prompts as momentum
    lengthPenalty: z.number().min(0).default(0), // Promptomatix's lambda; 0.005 is theirs, off by default
    seed: z.number().int().min(0).default(0),
    patience: z.number().int().min(1).nullable().default(null), // stop after this many iterations without a better prompt
    spans: z.array(z.enum(spanStrategies)).min(1).optional(), // default: every strategy that applies
    // Few-shot demonstrations per candidate: train rows the target answered right (demos.ts). 0 = none,
    // as the prompt was given; DSPy's BootstrapFewShot uses up to 4.
    demos: z.number().int().min(0).max(16).default(0),
  })
  .prefault({});

/** The defaults of the DLM and search settings: the one source the CLI, the worker and the form read. */
export const dlmDefaults = dlmSchema.parse({});
export const searchDefaults = searchSchema.parse({});

/**
 * A config, draft or History record from before the marked ranges had one name: its `rewrite` key
 * renamed `marked` in place (so the key order, and the JSON a resume compares, stay the same). A value
 * that already has `marked`, or is no object, comes back as it is.
 */
export function renameRewriteToMarked<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !('rewrite' in value) || 'marked' in value) return value;
  return Object.fromEntries(Object.entries(value).map(([key, field]) => [key === 'rewrite' ? 'marked' : key, field])) as T;
}

const configFields = z.strictObject({
  prompt: z.string().refine((text) => text.trim() !== '', 'the prompt is empty: write one'),
  locked: z.array(range).default([]),
  /** Character ranges the user marked to rewrite: the 'marked' span strategy edits only these. */
  marked: z.array(range).default([]),
  dataset: z.union([
    z.strictObject({ path: z.string().min(1), input: z.string().min(1), expected: z.string().min(1), split }),
    // Inline rows name their part in their own `split` field: a column split must then be "split".
    z.strictObject({ rows: z.array(example).min(1), split }),
  ]),
  metric: metricConfigSchema,
  target: z.union([targetConfigSchema, localTarget]),
  /** GPO's optimizer LLM; by default the target itself (when the target is an LLM). */
  optimizer: targetConfigSchema.optional(),
  dlm: dlmSchema,
  search: searchSchema,
  /**
   * The user's feedback on the answer to a single row, by the row's index as loaded (from 0): it becomes
   * that row's trace feedback, which the proposers read (Promptomatix's feedback loop). None by default;
   * like the budget, it may change when a run is resumed.
   */
  feedback: z
    .record(z.string(), z.string())
    .refine((byRow) => Object.keys(byRow).every((row) => /^\d+$/.test(row)), 'each key is a row index (0, 1, 2, ...)')
    .default({}),
  budget: z
    .strictObject({
      maxTargetCalls: z.number().int().min(1).optional(),
      maxTokens: z.number().int().min(1).optional(),
      maxUSD: z.number().gt(0).optional(),
    })
    .prefault({}),
});

/** The run config; a config saved before `marked` was named so is read with its old key `rewrite`. */
export const optimizeConfigSchema = z.preprocess(renameRewriteToMarked, configFields);

export type OptimizeConfig = z.output<typeof configFields>;
export type ConfigInput = z.input<typeof configFields>;

/** Checks a config and fills in defaults; the error names the first wrong field and what is wrong. */
export function parseOptimizeConfig(value: unknown): OptimizeConfig {
  const parsed = optimizeConfigSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const unknown = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k].join('.')).join(', ') : null;
    const field = ['config', ...issue.path].join('.');
    throw new ConfigError(unknown ? `Unknown field config.${unknown}: remove it or check its spelling.` : `${field}: ${issue.message}.`);
  }
  const config = parsed.data;
  const ranges = (name: string, list: [number, number][]) =>
    list.forEach(([start, end], i) => {
      if (start >= end || end > config.prompt.length) {
        throw new ConfigError(`config.${name}[${i}] = [${start}, ${end}] must satisfy 0 <= start < end <= ${config.prompt.length} (the prompt's length).`);
      }
    });
  ranges('locked', config.locked);
  ranges('marked', config.marked);
  const parts = config.dataset.split;
  if (typeof parts === 'object' && Math.abs(parts.train + parts.validation + parts.test - 1) > 1e-6) {
    throw new ConfigError(`config.dataset.split's shares add up to ${parts.train + parts.validation + parts.test}: make train + validation + test = 1.`);
  }
  if (typeof parts === 'string' && 'rows' in config.dataset && parts !== 'split') {
    throw new ConfigError(`config.dataset.split is "${parts}", but inline rows carry their part in the field "split": write "split".`);
  }
  if (llmProposers.includes(config.search.proposer) && !config.optimizer && config.target.provider === 'local-mlm') {
    throw new ConfigError(`config.search.proposer "${config.search.proposer}" needs an optimizer LLM: set config.optimizer, or use an LLM target (the optimizer defaults to it).`);
  }
  if (config.search.editBudget.final > config.search.editBudget.initial) {
    throw new ConfigError('config.search.editBudget.final must not exceed initial: the edit budget decays.');
  }
  if (typeof config.metric === 'object' && 'judge' in config.metric && config.target.provider === 'local-mlm') {
    throw new ConfigError('config.metric.judge needs an LLM target to judge with: use exact, contains, numeric or regex with local-mlm.');
  }
  if (typeof config.metric === 'object' && 'regex' in config.metric) {
    try {
      new RegExp(config.metric.regex);
    } catch (error) {
      throw new ConfigError(`config.metric.regex is not a valid regular expression (${(error as Error).message}).`);
    }
  }
  return config;
}
