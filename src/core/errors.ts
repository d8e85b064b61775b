// Errors a user can act on (STYLE rule 6): each is a named class with a stable `code`, and its message
// says what to do. Across the worker they keep their class and fields (workers/error-transfer.ts).

/** A message with the options it names kept apart from its words, so that each front end can word them. */
export type OptionText = readonly (string | { option: string })[];

/** How a front end names an option: the CLI as its flag (--block-length), the app as its field's label. */
export type OptionNamer = (option: string) => string;

/**
 * Tags a message that names options: `{steps}` in the written words is the option `steps`; interpolated
 * values stay words, whatever they contain.
 */
export function optionText(words: TemplateStringsArray, ...values: unknown[]): OptionText {
  return words.flatMap((written, i) => [
    ...written.split(/\{(\w+)\}/).map((piece, j) => (j % 2 === 1 ? { option: piece } : piece)),
    ...(i < values.length ? [String(values[i])] : []),
  ]).filter((part) => part !== '');
}

/** Base of every Remask error; `code` is stable and machine-readable, `message` is for people. */
export class RemaskError extends Error {
  readonly code: string;
  /** The message with the options it names kept apart; `message` names each as the code does. */
  readonly text: OptionText;
  constructor(code: string, message: string | OptionText) {
    const text = typeof message === 'string' ? [message] : message;
    super(wordOptions(text, (option) => option));
    this.name = 'RemaskError';
    this.code = code;
    this.text = text;
  }

  /** The message with each option it names worded by `name`. */
  worded(name: OptionNamer): string {
    return wordOptions(this.text, name);
  }
}

function wordOptions(text: OptionText, name: OptionNamer): string {
  return text.map((part) => (typeof part === 'string' ? part : name(part.option))).join('');
}

/** An option that is not known or has a value out of range (CLI flags, worker requests, configs). */
export class OptionError extends RemaskError {
  constructor(message: string | OptionText) {
    super('bad-option', message);
    this.name = 'OptionError';
  }
}

/** A decode option is missing or out of range. */
export class DecodeOptionError extends RemaskError {
  readonly option: string;
  constructor(option: string, message: string | OptionText) {
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
