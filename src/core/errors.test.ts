// Errors keep the options they name apart from their words, so the CLI and the app can each name them.
import { describe, expect, it } from 'vitest';
import { DecodeOptionError, optionText } from './errors';

describe('optionText', () => {
  it('keeps each {option} apart from the words around it', () => {
    expect(optionText`{steps} must be >= 1: set {steps} to 8.`).toEqual([{ option: 'steps' }, ' must be >= 1: set ', { option: 'steps' }, ' to 8.']);
  });

  it('leaves interpolated values as words, braces and all', () => {
    expect(optionText`got ${'{seed}'} for {seed}`).toEqual(['got ', '{seed}', ' for ', { option: 'seed' }]);
  });
});

describe('an error that names options', () => {
  const error = new DecodeOptionError('keepApart', optionText`{keepApart} applies to the {threshold} rule.`);

  it('names them as the code does in its message', () => {
    expect(error.message).toBe('keepApart applies to the threshold rule.');
  });

  it('names them as the caller words them', () => {
    expect(error.worded((option) => option.toUpperCase())).toBe('KEEPAPART applies to the THRESHOLD rule.');
  });
});
