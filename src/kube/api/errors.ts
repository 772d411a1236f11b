// ApiError carries a kube Status; every failure the kube API reports is one of these, built by the helpers below
// with the reasons and codes of k8s.io/apimachinery/pkg/api/errors.
import type { Status, StatusDetails } from './types.js';

export class ApiError extends Error {
  constructor(readonly status: Status) {
    super(status.message ?? status.reason ?? `HTTP ${status.code}`);
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): string | undefined {
    return this.status.reason;
  }
}

export function statusFailure(code: number, reason: string, message: string, details?: StatusDetails): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code };
}

export function statusSuccess(details?: StatusDetails): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details, code: 200 };
}

function fail(code: number, reason: string, message: string, details?: StatusDetails): ApiError {
  return new ApiError(statusFailure(code, reason, message, details));
}

/** `qualified` is "pods" or "deployments.apps", as the real server writes it. */
export const notFound = (qualified: string, name: string, group = '', kind = qualified.split('.')[0]) =>
  fail(404, 'NotFound', `${qualified} "${name}" not found`, { name, group, kind });

export const alreadyExists = (qualified: string, name: string, group = '', kind = qualified.split('.')[0]) =>
  fail(409, 'AlreadyExists', `${qualified} "${name}" already exists`, { name, group, kind });

export const conflict = (qualified: string, name: string, detail: string, group = '', kind = qualified.split('.')[0]) =>
  fail(409, 'Conflict', `Operation cannot be fulfilled on ${qualified} "${name}": ${detail}`, { name, group, kind });

export interface FieldCause {
  field: string;
  reason: string;
  message: string;
}

/** 422 Invalid: `Kind.group "name" is invalid: field: message, field2: message2`. */
export function invalid(kind: string, group: string, name: string, causes: FieldCause[]): ApiError {
  const qualified = group ? `${kind}.${group}` : kind;
  const text = causes.map((c) => `${c.field}: ${c.message}`).join(', ');
  return fail(422, 'Invalid', `${qualified} "${name}" is invalid: ${text}`, {
    name,
    group,
    kind,
    causes: causes.map((c) => ({ reason: c.reason, message: c.message, field: c.field })),
  });
}

export const badRequest = (message: string) => fail(400, 'BadRequest', message);
export const unauthorized = () => fail(401, 'Unauthorized', 'Unauthorized');
export const forbidden = (message: string) => fail(403, 'Forbidden', message);
export const methodNotAllowed = (message = 'the server does not allow this method on the requested resource') =>
  fail(405, 'MethodNotAllowed', message);
export const gone = (message: string) => fail(410, 'Expired', message);
export const unsupportedMediaType = () =>
  fail(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`,
  );
/** apimachinery's NewRequestEntityTooLargeError as the body reader uses it: `Request entity too large: limit is N`. */
export const requestEntityTooLarge = (limit: number) =>
  fail(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`);
export const tooManyRequests = (message: string, retryAfterSeconds?: number) =>
  fail(429, 'TooManyRequests', message, retryAfterSeconds ? { retryAfterSeconds } : undefined);
export const internalError = (message: string) => fail(500, 'InternalError', `Internal error occurred: ${message}`);
export const serverNotFound = () => fail(404, 'NotFound', 'the server could not find the requested resource');

/** The HTTP status code a failure of the kube API carries: an ApiError's, or a Status-shaped error's. */
function codeOf(error: unknown): number | undefined {
  const e = error as { code?: unknown; status?: unknown } | undefined;
  if (typeof e?.code === 'number') return e.code;
  if (typeof e?.status === 'number') return e.status;
  const status = e?.status as { code?: unknown } | undefined;
  return typeof status?.code === 'number' ? status.code : undefined;
}

/** apimachinery's IsNotFound: the object (or resource) is not there. */
export const isNotFound = (error: unknown): boolean => codeOf(error) === 404;

/** apimachinery's IsConflict: the write lost a race (a stale resourceVersion, or a precondition failed). */
export const isConflict = (error: unknown): boolean => codeOf(error) === 409;

/** controller-runtime's IgnoreNotFound, as a `.catch` handler: absence is no failure, anything else is thrown. */
export function ignoreNotFound(error: unknown): undefined {
  if (!isNotFound(error)) throw error;
  return undefined;
}

/** For writes to objects others may change or delete meanwhile: a 404 or a 409 is no failure. */
export function ignoreNotFoundOrConflict(error: unknown): undefined {
  if (!isNotFound(error) && !isConflict(error)) throw error;
  return undefined;
}
