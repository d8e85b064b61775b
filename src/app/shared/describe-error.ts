// The message a person reads for a failed operation. Remask's own errors already say what to do, and
// an abort is no failure; anything else gets a generic next step.
import { RemaskError } from '../../core/errors';
import { isAbort } from '../engine-client';
import { optionLabel } from './option-labels';

export function describeError(error: unknown): string {
  if (error instanceof RemaskError) return error.worded(optionLabel).trim();
  const message = (error instanceof Error || error instanceof DOMException ? error.message : String(error)).trim();
  if (isAbort(error)) return message;
  return `${message.replace(/[.:]?$/, '.')} Try again; if it keeps failing, reload the page.`;
}
