// The `resourceVersion` request parameter as kube-apiserver's APIObjectVersioner parses it: "" and "0" mean any,
// anything else must be an unsigned decimal integer (strconv.ParseUint), else a 400 with Go's parse error; a
// revision the store has not reached is a 504 "Too large resource version", as etcd3 storage answers.
import { ApiError, badRequest, statusFailure } from '../api/errors.js';

const maxUint64 = 2n ** 64n - 1n;

/** 0 for "" / "0" / absent; the revision otherwise; a 400 BadRequest for what ParseUint refuses. */
export function parseResourceVersion(rv: string | null | undefined): number {
  if (!rv || rv === '0') return 0;
  const problem = !/^\d+$/.test(rv) ? 'invalid syntax' : BigInt(rv) > maxUint64 ? 'value out of range' : undefined;
  const revision = Number(rv);
  if (problem || !Number.isSafeInteger(revision)) {
    const why = `strconv.ParseUint: parsing ${JSON.stringify(rv)}: ${problem ?? 'value out of range'}`;
    throw badRequest(`invalid resource version: resourceVersion: Invalid value: ${JSON.stringify(rv)}: ${why}`);
  }
  return revision;
}

/** storage.NewTooLargeResourceVersionError: a revision the store has not reached yet (504 Timeout). */
export function tooLargeResourceVersion(requested: number, current: number): ApiError {
  return new ApiError(
    statusFailure(504, 'Timeout', `Timeout: Too large resource version: ${requested}, current: ${current}`, {
      causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
      retryAfterSeconds: 1,
    }),
  );
}
