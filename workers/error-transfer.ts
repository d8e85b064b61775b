// comlink turns every thrown value into a plain Error; Remask's errors carry a name and a code the UI
// acts on, and an abort must stay recognisable as one. This handler sends {name, code, message} and
// rebuilds the error on the other side. Both sides install it.
import { transferHandlers, type TransferHandler } from 'comlink';
import { RemaskError } from '../src/core/errors';

interface WireError {
  name: string;
  code: string | undefined;
  message: string;
}

// comlink marks thrown values with a private symbol; reuse its own test for them.
const comlinkThrowHandler = transferHandlers.get('throw') as TransferHandler<{ value: unknown }, unknown>;

const errorHandler: TransferHandler<{ value: unknown }, WireError> = {
  canHandle: (value: unknown): value is { value: unknown } => comlinkThrowHandler.canHandle(value),
  serialize({ value }) {
    const error = value instanceof Error || value instanceof DOMException ? value : new Error(String(value));
    const code = error instanceof RemaskError ? error.code : undefined;
    return [{ name: error.name, code, message: error.message }, []];
  },
  deserialize(wire) {
    if (wire.name === 'AbortError') throw new DOMException(wire.message, 'AbortError');
    const error = wire.code === undefined ? new Error(wire.message) : new RemaskError(wire.code, wire.message);
    error.name = wire.name;
    throw error;
  },
};

export function installErrorTransfer(): void {
  transferHandlers.set('throw', errorHandler as TransferHandler<unknown, unknown>);
}
