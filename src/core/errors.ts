// Errors a user can act on (STYLE rule 6): each is a named class with a stable `code`, and its message
// says what to do. Across the worker they travel as {name, code, message} and are rebuilt there.

/** Base of every Remask error; `code` is stable and machine-readable, `message` is for people. */
export class RemaskError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'RemaskError';
    this.code = code;
  }
}

/** An option that is not known or has a value out of range (CLI flags, worker requests, configs). */
export class OptionError extends RemaskError {
  constructor(message: string) {
    super('bad-option', message);
    this.name = 'OptionError';
  }
}

/** A decode option is missing or out of range. */
export class DecodeOptionError extends RemaskError {
  readonly option: string;
  constructor(option: string, message: string) {
    super('decode-option', message);
    this.name = 'DecodeOptionError';
    this.option = option;
  }
}

/** The canvas has nothing for the decoder to write. */
export class NoMaskError extends RemaskError {
  constructor() {
    super('no-mask', 'The text has no [MASK]: add at least one [MASK] where the model should write.');
    this.name = 'NoMaskError';
  }
}

/** The canvas is malformed (sizes differ, unknown states, token ids outside the vocabulary). */
export class CanvasError extends RemaskError {
  constructor(message: string) {
    super('canvas-invalid', message);
    this.name = 'CanvasError';
  }
}

/** The denoiser returned logits of the wrong size: the model and its metadata disagree. */
export class DenoiserOutputError extends RemaskError {
  constructor(expected: number, got: number) {
    super(
      'denoiser-output',
      `The model returned ${got} logits where ${expected} were expected: check that the model's vocabulary size matches its config.json.`,
    );
    this.name = 'DenoiserOutputError';
  }
}
