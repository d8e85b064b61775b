// Character ranges of the prompt the user marked locked or to rewrite: adding, removing and keeping
// them in place while the text is edited around them.
import type { CharRange } from '../../optimize/prompt';

/** Sorted, with overlapping and touching ranges merged, and empty ones dropped. */
export function normalize(ranges: readonly CharRange[]): CharRange[] {
  const sorted = ranges.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: CharRange[] = [];
  for (const [s, e] of sorted) {
    const last = merged.at(-1);
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged;
}

export function addRange(ranges: readonly CharRange[], range: CharRange): CharRange[] {
  return normalize([...ranges.map((r) => [...r] as CharRange), range]);
}

/** The ranges with [start, end) cut out of them. */
export function subtractRange(ranges: readonly CharRange[], [start, end]: CharRange): CharRange[] {
  return normalize(ranges.flatMap(([s, e]): CharRange[] => (e <= start || s >= end ? [[s, e]] : [[s, Math.min(e, start)], [Math.max(s, end), e]])));
}

/**
 * Moves the ranges to where their text is after an edit from `before` to `after`. The edit is found as
 * the part between the common prefix and suffix; a range that contains the edit grows or shrinks
 * with it, one that lies inside removed text disappears.
 */
export function shiftRanges(before: string, after: string, ranges: readonly CharRange[]): CharRange[] {
  if (before === after) return ranges.map((r) => [...r] as CharRange);
  const limit = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < limit && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (suffix < limit - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  const oldEnd = before.length - suffix;
  const newEnd = after.length - suffix;
  const delta = after.length - before.length;
  const moveStart = (x: number) => (x <= prefix ? x : x >= oldEnd ? x + delta : newEnd);
  const moveEnd = (x: number) => (x <= prefix ? x : x >= oldEnd ? x + delta : newEnd);
  return normalize(ranges.map(([s, e]): CharRange => [moveStart(s), moveEnd(e)]));
}

export type Mark = 'locked' | 'marked' | null;

/** The text cut at every range boundary, each part with its mark, for showing the marks as text. */
export function markedParts(text: string, locked: readonly CharRange[], marked: readonly CharRange[]): { text: string; mark: Mark }[] {
  const cuts = new Set([0, text.length, ...[...locked, ...marked].flat().filter((x) => x >= 0 && x <= text.length)]);
  const points = [...cuts].sort((a, b) => a - b);
  const inside = (ranges: readonly CharRange[], x: number) => ranges.some(([s, e]) => x >= s && x < e);
  const parts: { text: string; mark: Mark }[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [s, e] = [points[i], points[i + 1]];
    const mark: Mark = inside(locked, s) ? 'locked' : inside(marked, s) ? 'marked' : null;
    const last = parts.at(-1);
    if (last && last.mark === mark) last.text += text.slice(s, e);
    else parts.push({ text: text.slice(s, e), mark });
  }
  return parts;
}
