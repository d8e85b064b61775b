// The Optimize form's fields as one schema: their types, their defaults, and the check of a draft read
// back from storage. The DLM and search fields are the run config's own (the same checks and defaults);
// the rest are the form's.
import { z } from 'zod';
import { optimizeConfigSchema } from '../../optimize/config';
import type { Provider } from '../../targets/target';
import example from './example.json';

export const metricKinds = ['exact', 'contains', 'numeric', 'regex', 'judge'] as const;
export type MetricKind = (typeof metricKinds)[number];

/** An LLM provider, or the loaded model itself as an offline classifier (no network, no key). */
export type TargetChoice = Provider | 'local-mlm';

/** Where each provider answers by default; openai-compatible defaults to Remask's own `npm run local-llm`. */
export const providerDefaults: Record<TargetChoice, { baseURL: string; model: string; needsKey: boolean }> = {
  openai: { baseURL: 'https://api.openai.com/v1', model: 'gpt-4o-mini', needsKey: true },
  anthropic: { baseURL: 'https://api.anthropic.com/v1', model: 'claude-3-5-haiku-latest', needsKey: true },
  'openai-compatible': { baseURL: 'http://127.0.0.1:8090/v1', model: 'gemma-3-270m', needsKey: false },
  'local-mlm': { baseURL: '', model: '', needsKey: false },
};
const targetChoices = Object.keys(providerDefaults) as [TargetChoice, ...TargetChoice[]];
const defaultTarget: TargetChoice = 'openai-compatible'; // Remask's own local LLM: no key, no cost

const { dlm, search } = optimizeConfigSchema.out.shape;
/** The DLM's decoding settings, as config.dlm takes them. */
export const decodingFields = dlm.unwrap().pick({ steps: true, schedule: true, confidence: true, temperature: true });
/** The search settings the form offers, as config.search takes them. */
export const searchFields = search.unwrap().pick({ proposer: true, iterations: true, candidates: true, minibatch: true, seed: true, demos: true });

/** The fields the page binds as they are. */
export const settingsSchema = z.object({
  metric: z.enum(metricKinds).default('exact'),
  regex: z.string().default(''),
  rubric: z.string().default(''),
  labels: z.string().default('positive, negative'), // the local classifier's labels, comma-separated as typed
  model: z.string().default(providerDefaults[defaultTarget].model),
  baseURL: z.string().default(providerDefaults[defaultTarget].baseURL),
  ...decodingFields.shape,
  ...searchFields.shape,
  // The budget (empty: no limit). A first run stops before it spends much.
  maxCalls: z.number().min(0).nullable().default(200),
  maxUSD: z.number().min(0).nullable().default(1),
});
export type Settings = z.output<typeof settingsSchema>;

const range = z.tuple([z.number().int().min(0), z.number().int().min(0)]);
const traceRow = z.object({ query: z.string(), response: z.string(), feedback: z.string() });
export type TraceRow = z.output<typeof traceRow>;

/** Everything the user typed; never the API key. */
export const draftSchema = settingsSchema.extend({
  prompt: z.string().default(example.prompt),
  locked: z.array(range).default([]),
  marked: z.array(range).default([]),
  traces: z.array(traceRow).default(() => example.traces.map((t) => ({ ...t }))),
  /** Left out when the file is too big for local storage; the user uploads it again. */
  dataset: z
    .object({ name: z.string(), text: z.string(), input: z.string(), expected: z.string(), feedback: z.record(z.string(), z.string()).default({}) })
    .nullable()
    .default(null),
  provider: z.enum(targetChoices).default(defaultTarget),
});
export type Draft = z.output<typeof draftSchema>;

/** Each field of `value` that passes its check, and the default for every other: a bad field loses only itself. */
export function fieldByField<S extends z.ZodObject>(schema: S, value: unknown): z.output<S> {
  const given = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const fields = Object.entries(schema.shape).map(([key, field]) => {
    const parsed = z.safeParse(field, given[key]);
    return [key, parsed.success ? parsed.data : z.parse(field, undefined)];
  });
  return Object.fromEntries(fields) as z.output<S>;
}

/** The named fields of an object, and no others. */
export function pick<T extends object, K extends keyof T>(from: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((key) => [key, from[key]])) as Pick<T, K>;
}
