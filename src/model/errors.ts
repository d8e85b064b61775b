// Errors about models and inputs that a user can fix; each message says what to do.
import { RemaskError, type OptionText } from '../core/errors';

/** A model package file is missing, unreadable or not what it claims to be. */
export class ModelFileError extends RemaskError {
  constructor(file: string, problem: string, advice: string | OptionText) {
    super('model-file', [`Model file ${file} ${problem}. `, ...(typeof advice === 'string' ? [advice] : advice)]);
    this.name = 'ModelFileError';
  }
}

/** The input does not fit in the model's context window. */
export class TextTooLongError extends RemaskError {
  constructor(tokens: number, maxTokens: number, message?: string) {
    super(
      'text-too-long',
      message ?? `The text is ${tokens} tokens long (special tokens and masks included) but the model reads at most ${maxTokens}: shorten the text or use fewer [MASK]s.`,
    );
    this.name = 'TextTooLongError';
  }
}


/** A request that needs a model came before one was loaded. */
export class NoModelError extends RemaskError {
  constructor() {
    super('no-model', 'No model is loaded yet: load one first.');
    this.name = 'NoModelError';
  }
}
