// A step's arrays are handed to comlink as transferables, each buffer once.
import { describe, expect, it } from 'vitest';
import { sampleStep as step } from '../test/support/trace-step';
import { stepBuffers, withSteps } from './step-transfer';

describe('a step posted to the page', () => {
  it("lists the buffer of each of its arrays, for comlink to transfer, and leaves the texts to be cloned", () => {
    const s = step();
    expect(stepBuffers([s])).toEqual([s.positions.buffer, s.ids.buffer, s.conf.buffer, s.committed.buffer, s.remasked.buffer]);
    expect(stepBuffers([s])).toHaveLength(5);
    expect(stepBuffers([s]).every((b) => b instanceof ArrayBuffer)).toBe(true);
  });

  it('lists a buffer two arrays share once, as a transfer list must', () => {
    const shared = new Int32Array(4);
    const s = { ...step(), committed: shared.subarray(0, 2), remasked: shared.subarray(2) };
    expect(stepBuffers([s, step()])).toHaveLength(4 + 5);
    expect(stepBuffers([s]).filter((b) => b === shared.buffer)).toHaveLength(1);
  });

  it('is the same object, so that it can be posted as it is', () => {
    const s = step();
    expect(withSteps(s, [s])).toBe(s);
  });
});
