import { InsufficientHistoryError } from '../../models/core/forecaster';
import { ERROR_CODES, type ErrorCode, PrescaleError } from '../errors/prescale-error';

/**
 * An error as plain data, so it crosses a thread boundary. The structured clone that
 * `postMessage` applies keeps only an error's name, message and stack: the class and fields
 * such as `code` and `field` are lost, and with them the transports' mapping of catalog codes.
 * So each error the callers branch on has its own variant, and the rest keep name, message,
 * and a string `code` when they have one (Node's `ENOENT` and friends).
 */
export type SerializedError =
  | { kind: 'prescale'; code: ErrorCode; message: string; field?: string; stack?: string }
  | { kind: 'insufficient-history'; model: string; required: number; actual: number; message: string; stack?: string }
  | { kind: 'error'; name: string; message: string; code?: string; stack?: string };

/** Turns anything thrown into {@link SerializedError}; never throws. */
export function serializeError(thrown: unknown): SerializedError {
  const stack = thrown instanceof Error && thrown.stack !== undefined ? { stack: thrown.stack } : {};
  if (thrown instanceof PrescaleError) {
    return { kind: 'prescale', code: thrown.code, message: thrown.message, ...(thrown.field !== undefined ? { field: thrown.field } : {}), ...stack };
  }
  if (thrown instanceof InsufficientHistoryError) {
    return { kind: 'insufficient-history', model: thrown.model, required: thrown.required, actual: thrown.actual, message: thrown.message, ...stack };
  }
  if (thrown instanceof Error) {
    const code = (thrown as { code?: unknown }).code;
    return { kind: 'error', name: thrown.name, message: thrown.message, ...(typeof code === 'string' ? { code } : {}), ...stack };
  }
  return { kind: 'error', name: 'Error', message: String(thrown) };
}

/**
 * Rebuilds the error that {@link serializeError} described: a catalog error is a
 * `PrescaleError` again and too little history an `InsufficientHistoryError`, so callers on
 * this side of the boundary branch on `instanceof` as if the work had run in-process. The
 * stack is the worker's, which says where the error was thrown.
 */
export function reviveError(serialized: SerializedError): Error {
  const err = revive(serialized);
  if (serialized.stack !== undefined) err.stack = serialized.stack;
  return err;
}

function revive(serialized: SerializedError): Error {
  switch (serialized.kind) {
    case 'prescale':
      // A code that this side's catalog does not know (a worker from another build) must not
      // pass as a catalog error: the transports' code tables would have no entry for it.
      if (!isErrorCode(serialized.code)) return Object.assign(new Error(serialized.message), { code: serialized.code });
      return new PrescaleError(serialized.code, serialized.message, serialized.field);
    case 'insufficient-history':
      return new InsufficientHistoryError(serialized.model, serialized.required, serialized.actual, serialized.message);
    case 'error': {
      const err = new Error(serialized.message);
      err.name = serialized.name;
      return serialized.code !== undefined ? Object.assign(err, { code: serialized.code }) : err;
    }
  }
}

function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}
