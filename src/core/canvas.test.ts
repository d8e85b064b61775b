import { describe, expect, it } from 'vitest';
import { buildCanvas, canvasFromIds, PositionState, positionsWithState } from './canvas';

describe('canvas', () => {
  it('concatenates text and masked segments', () => {
    const canvas = buildCanvas(
      [
        { state: PositionState.context, ids: [5, 6] },
        { state: PositionState.masked, length: 2 },
        { state: PositionState.locked, ids: [7] },
      ],
      1,
    );
    expect([...canvas.ids]).toEqual([5, 6, 1, 1, 7]);
    expect([...canvas.state]).toEqual([0, 0, 2, 2, 1]);
    expect([...positionsWithState(canvas, PositionState.masked)]).toEqual([2, 3]);
  });

  it('turns every mask id of tokenized text into a masked position', () => {
    const canvas = canvasFromIds([4, 1, 1, 9], 1);
    expect([...canvas.state]).toEqual([1, 2, 2, 1]);
    expect([...canvasFromIds([4, 1], 1, PositionState.context).state]).toEqual([0, 2]);
  });
});
