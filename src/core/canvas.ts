// The canvas: token ids plus a per-position state saying who may change each position.

/**
 * context: conditioning text (traces) the decoder reads but never writes; masked out for the
 * unconditional pass of classifier-free guidance.
 * locked: prompt text that must not change. masked: to be filled. committed: filled by the decoder.
 */
export const PositionState = { context: 0, locked: 1, masked: 2, committed: 3 } as const;

export type PositionStateValue = (typeof PositionState)[keyof typeof PositionState];

export interface Canvas {
  ids: Int32Array;
  state: Uint8Array;
}

/** One run of positions: text with a fixed state, or `length` masked positions. */
export type CanvasSegment =
  | { state: Exclude<PositionStateValue, typeof PositionState.masked>; ids: ArrayLike<number> }
  | { state: typeof PositionState.masked; length: number };

/** Concatenate segments into one canvas; masked positions hold `maskId`. */
export function buildCanvas(segments: readonly CanvasSegment[], maskId: number): Canvas {
  let length = 0;
  for (const segment of segments) length += 'ids' in segment ? segment.ids.length : segment.length;
  const ids = new Int32Array(length);
  const state = new Uint8Array(length);
  let at = 0;
  for (const segment of segments) {
    if ('ids' in segment) {
      ids.set(segment.ids, at);
      state.fill(segment.state, at, at + segment.ids.length);
      at += segment.ids.length;
    } else {
      ids.fill(maskId, at, at + segment.length);
      state.fill(PositionState.masked, at, at + segment.length);
      at += segment.length;
    }
  }
  return { ids, state };
}

/** A canvas from tokenized text: every `maskId` becomes masked, every other token gets `textState`. */
export function canvasFromIds(
  ids: ArrayLike<number>,
  maskId: number,
  textState: Exclude<PositionStateValue, typeof PositionState.masked> = PositionState.locked,
): Canvas {
  const copy = Int32Array.from(ids);
  const state = new Uint8Array(copy.length);
  for (let i = 0; i < copy.length; i++) state[i] = copy[i] === maskId ? PositionState.masked : textState;
  return { ids: copy, state };
}

/** Positions whose state is `state`, in left-to-right order. */
export function positionsWithState(canvas: Canvas, state: PositionStateValue): Int32Array {
  let count = 0;
  for (let i = 0; i < canvas.state.length; i++) if (canvas.state[i] === state) count++;
  const out = new Int32Array(count);
  let at = 0;
  for (let i = 0; i < canvas.state.length; i++) if (canvas.state[i] === state) out[at++] = i;
  return out;
}
