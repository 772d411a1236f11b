// What an exception the API did not expect becomes for the client: a 500 InternalError Status, as
// kube-apiserver answers "Internal error occurred: <err>". A JavaScript runtime fault (TypeError, RangeError, …)
// is the analogue of a Go panic, so its text — which names JavaScript, not the request — stays in the server log
// with its stack and the client reads only that the request failed.
import { ApiError, internalError } from './errors.js';
import { isStackOverflow, nestingError } from './nesting.js';

const runtimeFaults = [TypeError, RangeError, ReferenceError, SyntaxError, URIError, EvalError];

export const panicMessage = 'this request caused the API server to fail. Look in its log for details.';

/** The Status error to answer with; `log` gets the original (with its stack) once, when it was unexpected. */
export function toApiError(error: unknown, log: (error: unknown) => void = defaultLog): ApiError {
  if (error instanceof ApiError) return error;
  // An object nested deeper than the code can walk (one stored before the nesting limit): the request is refused.
  if (isStackOverflow(error)) return nestingError('{');
  log(error);
  if (!(error instanceof Error) || runtimeFaults.some((fault) => error instanceof fault)) {
    return internalError(panicMessage);
  }
  return internalError(error.message);
}

function defaultLog(error: unknown): void {
  console.error('skiff: internal error:', error);
}
