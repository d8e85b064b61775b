import { describe, expect, it } from 'vitest';
import { addRange, markedParts, shiftRanges, subtractRange } from './ranges';

describe('prompt ranges', () => {
  it('merges overlapping and touching ranges when one is added', () => {
    expect(addRange([[0, 4], [10, 12]], [3, 10])).toEqual([[0, 12]]);
  });

  it('cuts a range out of the others', () => {
    expect(subtractRange([[0, 10]], [3, 5])).toEqual([[0, 3], [5, 10]]);
    expect(subtractRange([[0, 10]], [0, 10])).toEqual([]);
  });

  it('keeps ranges on their text when the user types before, inside or after them', () => {
    const text = 'Be brief. Answer in French.';
    const locked: [number, number][] = [[10, 27]]; // "Answer in French."
    expect(shiftRanges(text, `Please ${text}`, locked)).toEqual([[17, 34]]);
    expect(shiftRanges(text, text.replace('French', 'plain French'), locked)).toEqual([[10, 33]]);
    expect(shiftRanges(text, `${text} Thanks.`, locked)).toEqual([[10, 27]]);
  });

  it('drops a range whose text was deleted', () => {
    expect(shiftRanges('abc def ghi', 'abc ghi', [[4, 7]])).toEqual([]);
  });

  it('cuts the text into parts by mark', () => {
    expect(markedParts('Be brief. Be kind.', [[0, 9]], [[13, 17]])).toEqual([
      { text: 'Be brief.', mark: 'locked' },
      { text: ' Be ', mark: null },
      { text: 'kind', mark: 'marked' },
      { text: '.', mark: null },
    ]);
  });
});
