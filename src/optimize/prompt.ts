// A system prompt as the optimizer edits it: cut into units at the user's locked and marked ranges,
// tokenized, with each token's character range. Locked units are never masked and are copied back
// verbatim, so locked text survives every rewrite byte for byte; a rewrite reports where the locked
// and marked units landed, so the next rewrite of the new prompt honours them too.
import { PositionState, type CanvasSegment } from '../core/canvas';
import { OptionError } from '../core/errors';
import type { TextCodec } from '../model/tokenizer';

export type CharRange = [start: number, end: number];

/** free: the optimizer may edit; marked: the user asked for a rewrite here; locked: never edited. */
export type UnitKind = 'free' | 'marked' | 'locked';

interface Unit {
  kind: UnitKind;
  text: string;
}

/** A prompt's text with the character ranges of its locked and marked parts. */
export interface PromptText {
  text: string;
  locked: CharRange[];
  marked: CharRange[];
}

export interface PromptToken {
  id: number;
  unit: number;
  /** Character range of this token in the prompt text. */
  start: number;
  end: number;
}

/** Which tokens to mask, and where to insert how many new masked tokens (before token index `at`). */
export interface MaskPlan {
  masked: ReadonlySet<number>;
  inserts: ReadonlyMap<number, number>;
}

export class EditablePrompt {
  readonly text: string;
  readonly units: readonly Unit[];
  readonly tokens: readonly PromptToken[];

  constructor({ text, locked, marked }: PromptText, codec: TextCodec) {
    this.text = text;
    this.units = cutUnits(text, locked, marked);
    const tokens: PromptToken[] = [];
    let offset = 0;
    this.units.forEach((unit, u) => {
      const ids = codec.encode(unit.text);
      const ends = decodedEnds(ids, codec);
      let previous = 0;
      for (let i = 0; i < ids.length; i++) {
        const end = i === ids.length - 1 ? unit.text.length : Math.min(unit.text.length, ends[i]);
        tokens.push({ id: ids[i], unit: u, start: offset + previous, end: offset + Math.max(previous, end) });
        previous = Math.max(previous, end);
      }
      offset += unit.text.length;
    });
    this.tokens = tokens;
  }

  isEditable(token: number): boolean {
    return this.units[this.tokens[token].unit].kind !== 'locked';
  }

  /** Whether a token's characters overlap any of the ranges (the user's marks, say). */
  overlaps(token: number, ranges: readonly CharRange[]): boolean {
    const { start, end } = this.tokens[token];
    return ranges.some(([from, to]) => start < to && end > from);
  }

  isMarked(token: number): boolean {
    return this.units[this.tokens[token].unit].kind === 'marked';
  }

  /** Indices of tokens the optimizer may mask. */
  editableTokens(): number[] {
    return this.tokens.flatMap((_, i) => (this.isEditable(i) ? [i] : []));
  }

  /** Runs of consecutive editable tokens (one per editable unit). */
  editableRuns(): number[][] {
    const runs: number[][] = [];
    this.tokens.forEach((token, i) => {
      if (!this.isEditable(i)) return;
      const run = runs[runs.length - 1];
      if (run && this.tokens[run[run.length - 1]].unit === token.unit) run.push(i);
      else runs.push([i]);
    });
    return runs;
  }

  /**
   * Where new text may be inserted: after a sentence or line ends, and at the end of the prompt; never
   * inside a locked unit. A slot `at` inserts before token `at`.
   */
  insertionSlots(): number[] {
    const slots: number[] = [];
    for (let at = 1; at < this.tokens.length; at++) {
      const before = this.tokens[at - 1];
      const insideLocked = before.unit === this.tokens[at].unit && this.units[before.unit].kind === 'locked';
      if (!insideLocked && /[.!?:\n]\s*$/.test(this.text.slice(before.start, before.end))) slots.push(at);
    }
    slots.push(this.tokens.length);
    return slots;
  }

  /** The prompt's part of a canvas: kept tokens locked (in decoding terms), planned positions masked. */
  segments(plan: MaskPlan): CanvasSegment[] {
    const segments: CanvasSegment[] = [];
    const keep = (id: number) => {
      const last = segments[segments.length - 1];
      if (last && 'ids' in last) (last.ids as number[]).push(id);
      else segments.push({ state: PositionState.locked, ids: [id] });
    };
    const mask = (length: number) => segments.push({ state: PositionState.masked, length });
    for (let i = 0; i <= this.tokens.length; i++) {
      const inserted = plan.inserts.get(i);
      if (inserted) mask(inserted);
      if (i === this.tokens.length) break;
      if (plan.masked.has(i)) mask(1);
      else keep(this.tokens[i].id);
    }
    return segments;
  }

  /**
   * The prompt after decoding: `ids` are the decoded ids of the prompt's part of the canvas, as
   * `segments(plan)` laid it out. Locked units are copied from the original text; new text inserted
   * after an editable unit joins it, elsewhere it is free text.
   */
  rebuild(plan: MaskPlan, ids: ArrayLike<number>, codec: TextCodec): PromptText {
    const pieces: Unit[] = [];
    let group: number[] = [];
    let groupUnit: number | null = null; // -1: inserted text with no editable neighbour
    let groupKind: UnitKind = 'free';
    let lastLocked = -1;
    const flush = () => {
      if (group.length > 0) pieces.push({ kind: groupKind, text: codec.decodeText(Int32Array.from(group)) });
      group = [];
      groupUnit = null;
    };
    const emit = (unit: number, kind: UnitKind, id: number) => {
      if (unit !== groupUnit) flush();
      groupUnit = unit;
      groupKind = kind;
      group.push(id);
    };
    let at = 0;
    for (let i = 0; i <= this.tokens.length; i++) {
      const inserted = plan.inserts.get(i) ?? 0;
      if (inserted > 0) {
        const host = [i - 1, i].find((t) => t >= 0 && t < this.tokens.length && this.isEditable(t));
        const unit = host === undefined ? -1 : this.tokens[host].unit;
        for (let k = 0; k < inserted; k++) emit(unit, unit === -1 ? 'free' : this.units[unit].kind, ids[at++]);
      }
      if (i === this.tokens.length) break;
      const u = this.tokens[i].unit;
      if (this.units[u].kind === 'locked') {
        if (u !== lastLocked) {
          flush();
          pieces.push(this.units[u]);
          lastLocked = u;
        }
        at++;
      } else {
        emit(u, this.units[u].kind, ids[at++]);
      }
    }
    flush();
    return joinPieces(pieces);
  }

  /** Character range of unit `index` in the text. */
  unitRange(index: number): CharRange {
    const start = this.units.slice(0, index).reduce((n, u) => n + u.text.length, 0);
    return [start, start + this.units[index].text.length];
  }

  /** This prompt with unit `index` written anew (an LLM's rewrite of that part), the rest as it is. */
  withUnit(index: number, text: string): PromptText {
    return joinPieces(this.units.map((unit, i) => (i === index ? { kind: unit.kind, text } : unit)));
  }

  /** Character ranges of this prompt that a plan rewrites; an insertion is an empty range. */
  maskedSpans(plan: MaskPlan): CharRange[] {
    const spans: CharRange[] = [];
    for (let i = 0; i <= this.tokens.length; i++) {
      const at = i < this.tokens.length ? this.tokens[i].start : this.text.length;
      if (plan.inserts.get(i)) spans.push([at, at]);
      if (i < this.tokens.length && plan.masked.has(i)) {
        const last = spans[spans.length - 1];
        if (last && last[1] === this.tokens[i].start && last[0] !== last[1]) last[1] = this.tokens[i].end;
        else spans.push([this.tokens[i].start, this.tokens[i].end]);
      }
    }
    return spans;
  }
}

/** Tokens of context before a token that decide how its text joins the text before it. */
const decodeContext = 8;

/**
 * Per token, the length of the decoded text up to and including it: what decoding each growing prefix
 * gives (exact for byte-level BPE, whose tokens may split a multi-byte character: the partial decode is
 * then shorter, never longer), computed in linear time. What a token adds to the decoded text depends
 * only on the few tokens before it (WordPiece's "##" joins, BPE's byte pieces, the spaces a decoder
 * drops before punctuation), so each step decodes a short window instead of the whole prefix.
 */
export function decodedEnds(ids: readonly number[], codec: TextCodec): number[] {
  const ends: number[] = [];
  const length = (from: number, to: number) => (to <= from ? 0 : codec.decodeText(Int32Array.from(ids.slice(from, to))).length);
  for (let i = 0; i < ids.length; i++) {
    // Decoding [from, i] and [from, i) and taking the difference gives what token i adds.
    const from = Math.max(0, i - decodeContext);
    ends.push((i === 0 ? 0 : ends[i - 1]) + length(from, i + 1) - length(from, i));
  }
  return ends;
}

const kindRank: Record<UnitKind, number> = { free: 0, marked: 1, locked: 2 };
const kinds: UnitKind[] = ['free', 'marked', 'locked'];

/** Splits the text into runs of one kind; where a locked and a marked range overlap, locked wins. */
function cutUnits(text: string, locked: readonly CharRange[], marked: readonly CharRange[]): Unit[] {
  const rank = new Uint8Array(text.length);
  const paint = (name: string, ranges: readonly CharRange[], kind: UnitKind) =>
    ranges.forEach(([start, end], i) => {
      if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > text.length || start >= end) {
        throw new OptionError(
          `${name}[${i}] = [${start}, ${end}] is not a range of the prompt: use [start, end) character offsets with 0 <= start < end <= ${text.length}.`,
        );
      }
      for (let c = start; c < end; c++) rank[c] = Math.max(rank[c], kindRank[kind]);
    });
  paint('locked', locked, 'locked');
  paint('marked', marked, 'marked');
  const units: Unit[] = [];
  for (let c = 0; c < text.length; c++) {
    const last = units[units.length - 1];
    if (last && kindRank[last.kind] === rank[c]) last.text += text[c];
    else units.push({ kind: kinds[rank[c]], text: text[c] });
  }
  return units;
}

/** Concatenates pieces, reporting the character ranges of the locked and marked ones. */
function joinPieces(pieces: readonly Unit[]): PromptText {
  const result: PromptText = { text: '', locked: [], marked: [] };
  for (const piece of pieces) {
    const start = result.text.length;
    result.text += piece.text;
    if (piece.kind === 'free' || piece.text.length === 0) continue;
    const ranges = piece.kind === 'locked' ? result.locked : result.marked;
    const last = ranges[ranges.length - 1];
    if (last && last[1] === start) last[1] = result.text.length;
    else ranges.push([start, result.text.length]);
  }
  return result;
}
