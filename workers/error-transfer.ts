// comlink turns every thrown value into a plain Error; Remask's errors carry a class, a code and fields
// (option, provider, status) the UI acts on, and an abort must stay recognisable as one. This handler
// sends each error's name and fields, and rebuilds it on the other side as the class of that name.
// Both sides install it.
import { transferHandlers, type TransferHandler } from 'comlink';
import { CanvasError, DecodeOptionError, DenoiserOutputError, NoMaskError, OptionError, RemaskError } from '../src/core/errors';
import { ModelFileError, NoModelError, TextTooLongError } from '../src/model/errors';
import { ConfigError } from '../src/optimize/config';
import { DatasetError } from '../src/optimize/dataset';
import { BudgetExhausted } from '../src/optimize/meter';
import { JudgeAnswerError } from '../src/optimize/metrics';
import { SyntheticDataError } from '../src/optimize/synthetic';
import { TargetAuthError, TargetRequestError, TargetResponseError, TargetUnavailableError } from '../src/targets/errors';

/**
 * Every named error the worker may throw, under the name its instances carry (an object's keys survive
 * minification; class names do not).
 */
export const errorClasses: Record<string, { prototype: RemaskError }> = {
  RemaskError,
  OptionError,
  DecodeOptionError,
  NoMaskError,
  CanvasError,
  DenoiserOutputError,
  ModelFileError,
  NoModelError,
  TextTooLongError,
  TargetAuthError,
  TargetRequestError,
  TargetUnavailableError,
  TargetResponseError,
  ConfigError,
  DatasetError,
  JudgeAnswerError,
  SyntheticDataError,
  BudgetExhausted,
};

type WireError =
  /** A named error: its own fields (name, code, text, option, provider, status) as they are. */
  | { kind: 'remask'; message: string; fields: Record<string, unknown> }
  /** A DOMException keeps its name: an AbortError stays an abort. */
  | { kind: 'dom'; name: string; message: string }
  | { kind: 'error'; name: string; message: string };

// comlink marks thrown values with a private symbol; reuse its own test for them.
const comlinkThrowHandler = transferHandlers.get('throw') as TransferHandler<{ value: unknown }, unknown>;

export function toWire(value: unknown): WireError {
  if (value instanceof RemaskError) return { kind: 'remask', message: value.message, fields: { ...value } };
  if (value instanceof DOMException) return { kind: 'dom', name: value.name, message: value.message };
  const error = value instanceof Error ? value : new Error(String(value));
  return { kind: 'error', name: error.name, message: error.message };
}

export function fromWire(wire: WireError): Error {
  if (wire.kind === 'dom') return new DOMException(wire.message, wire.name);
  const error = new Error(wire.message);
  if (wire.kind === 'error') {
    error.name = wire.name;
    return error;
  }
  // Constructors differ in their arguments; the fields they set travel, so the prototype is enough.
  const type = errorClasses[wire.fields.name as string] ?? RemaskError;
  return Object.assign(Object.setPrototypeOf(error, type.prototype) as RemaskError, wire.fields);
}

const errorHandler: TransferHandler<{ value: unknown }, WireError> = {
  canHandle: (value: unknown): value is { value: unknown } => comlinkThrowHandler.canHandle(value),
  serialize: ({ value }) => [toWire(value), []],
  deserialize(wire) {
    throw fromWire(wire);
  },
};

export function installErrorTransfer(): void {
  transferHandlers.set('throw', errorHandler as TransferHandler<unknown, unknown>);
}
