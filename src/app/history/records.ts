// What History keeps: every optimize run (its request and its latest checkpoint, so a run cut off by a
// reload resumes), every playground session (its decodes and their per-step snapshots) and every set of
// suggested rewrites (the request and the rewrites). Records never hold an API key: the request keeps
// the config and dataset only.
import type { InfillResult, InfillSettings } from '../../model/engine';
import type { TraceStep } from '../../model/trace-step';
import type { ConfigInput } from '../../optimize/config';
import type { Rewrite } from '../../optimize/propose';
import type { CandidateRecord, OptimizeResult, ScoredPrompt } from '../../optimize/result';
import type { SuggestRequest } from '../../optimize/suggest';
import type { StepJson } from './steps';

export const historyFormat = 'remask-history';
/** 2: a decode's steps are columns (StepJson); version 1 files, one object per candidate, are read too. */
export const historyVersion = 2;

/** running: in progress, or cut off by a reload if found so at start; stopped: by the user; finished: ended by itself. */
export type RunStatus = 'running' | 'interrupted' | 'stopped' | 'finished' | 'failed';

export interface RunRecord {
  kind: 'optimize';
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  status: RunStatus;
  /** The config the run was started with (dataset rows inline); resuming sends the same one. */
  config: ConfigInput;
  /** The model package and weight format the DLM ran with. */
  model: string;
  /** The original prompt's score, known before the first checkpoint. */
  initial: ScoredPrompt | null;
  /** The latest checkpoint: finished iterations, every candidate, the spend so far. */
  result: OptimizeResult | null;
  /** Candidates of the iteration in progress (not yet in a checkpoint), shown live. */
  live: CandidateRecord[];
  error: string | null;
}

/** `Step`: TraceStep in the page and in IndexedDB, StepJson in an exported file. */
export interface DecodeRecord<Step = TraceStep> {
  input: string;
  settings: Partial<InfillSettings>;
  result: Omit<InfillResult, 'trace'>;
  steps: Step[];
  /** Which side of a comparison: "A" or "B". */
  side: 'A' | 'B';
}

export interface PlaygroundRecord<Step = TraceStep> {
  kind: 'playground';
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  model: string;
  decodes: DecodeRecord<Step>[];
}

/** Rewrites from the DLM alone (no target): what was asked and what came back. */
export interface SuggestRecord {
  kind: 'suggest';
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  model: string;
  request: SuggestRequest;
  rewrites: Rewrite[];
}

export type HistoryRecord = RunRecord | PlaygroundRecord | SuggestRecord;
export const recordKinds: readonly HistoryRecord['kind'][] = ['optimize', 'playground', 'suggest'];

/** A record as an exported file holds it: JSON, so a Playground session's steps have plain arrays. */
export type FileRecord = RunRecord | PlaygroundRecord<StepJson> | SuggestRecord;

/** The file History exports and imports. */
export interface HistoryFile {
  format: typeof historyFormat;
  version: typeof historyVersion;
  exportedAt: string;
  records: FileRecord[];
}

export function newId(): string {
  return `${Date.now().toString(36)}-${crypto.getRandomValues(new Uint32Array(1))[0].toString(36)}`;
}

/** A short title from the first words of a text. */
export function titleOf(text: string, words = 8): string {
  const all = text.trim().split(/\s+/);
  return all.slice(0, words).join(' ') + (all.length > words ? '…' : '');
}

/**
 * A run as a comparison names it: which target it ran against, how its best prompt scored on validation
 * and, where the run held rows out, on test. Two bare timestamps told a user nothing.
 */
export function compareLabel(record: RunRecord): string {
  const target = record.config.target;
  const against = target.provider === 'local-mlm' ? 'the page model' : `${target.model}`;
  const best = record.result?.best ?? record.initial;
  const validation = best ? `validation ${best.score.toFixed(3)}` : 'not scored yet';
  const test = record.result?.test ? `, test ${(100 * record.result.test.best.score).toFixed(1)}%` : '';
  const iterations = record.result?.iterations.length ?? 0;
  return `${record.title || '(untitled)'} · ${against} · ${iterations} ${iterations === 1 ? 'iteration' : 'iterations'} · best: ${validation}${test}`;
}
