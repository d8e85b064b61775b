// The Optimize form as the user left it, kept in localStorage so a reload or a closed tab loses no
// typing. Never the API key (that has its own opt-in, api-key.svelte.ts).
import { renameRewriteToMarked } from '../../optimize/config';
import type { CharRange } from '../../optimize/prompt';
import { readStored, writeStored } from '../shared/stored';
import { draftSchema, fieldByField, type Draft } from './form-fields';

const storageKey = 'remask.optimizeDraft';
const version = 1;
/** Local storage holds about 5 MB per site; a dataset over this is not kept in the draft. */
export const maxDraftDataset = 1_000_000;

export function saveDraft(draft: Draft): void {
  writeStored(storageKey, { version, ...draft });
}

/**
 * The stored draft, field by field: a field that is missing or fails its check (an older or broken
 * draft) takes its default, and so does every field of a draft of another version. A draft saved
 * before the marks had one name keeps them under `rewrite`: they are read as `marked`.
 */
export function loadDraft(): Draft {
  const stored = readStored(storageKey);
  const draft = fieldByField(draftSchema, (stored as { version?: unknown } | null)?.version === version ? renameRewriteToMarked(stored) : {});
  // Marks must lie in the prompt they were made on.
  const fits = (ranges: CharRange[]) => ranges.filter(([start, end]) => start < end && end <= draft.prompt.length);
  return { ...draft, locked: fits(draft.locked), marked: fits(draft.marked) };
}
