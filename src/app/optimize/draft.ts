// The Optimize form as the user left it, kept in localStorage so a reload or a closed tab loses no
// typing. Never the API key (that has its own opt-in, api-key.svelte.ts).
import type { ConfidenceName } from '../../core/confidence';
import type { ScheduleName } from '../../core/schedule';
import type { CharRange } from '../../optimize/prompt';
import type { MetricKind, TargetChoice, TraceRow } from './optimize-form.svelte';
import { readStored, writeStored } from '../shared/stored';

export interface Draft {
  version: 1;
  prompt: string;
  locked: CharRange[];
  rewrite: CharRange[];
  traces: TraceRow[];
  /** Left out when the file is too big for local storage; the user uploads it again. */
  dataset: { name: string; text: string; input: string; expected: string } | null;
  metric: MetricKind;
  regex: string;
  rubric: string;
  provider: TargetChoice;
  /** The local classifier's labels (drafts from before it existed have none). */
  labels?: string;
  model: string;
  baseURL: string;
  steps: number;
  schedule: ScheduleName;
  confidence: ConfidenceName;
  temperature: number;
  seed: number;
  iterations: number;
  candidates: number;
  minibatch: number;
  maxCalls: number | null;
  maxUSD: number | null;
}

const storageKey = 'remask.optimizeDraft';
/** Local storage holds about 5 MB per site; a dataset over this is not kept in the draft. */
export const maxDraftDataset = 1_000_000;

export function saveDraft(draft: Draft): void {
  writeStored(storageKey, draft);
}

export function loadDraft(): Draft | null {
  const draft = readStored(storageKey) as Draft | null;
  return draft?.version === 1 && typeof draft.prompt === 'string' && Array.isArray(draft.traces) ? draft : null;
}
