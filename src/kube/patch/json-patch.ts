// JSON patch (RFC 6902, application/json-patch+json) through fast-json-patch, with kube-apiserver's error
// mapping: an undecodable patch is 400 BadRequest, an operation that cannot apply (a failed test included) is 422.
import fastJsonPatch from 'fast-json-patch';
import { patchBadRequest, patchTooLarge, patchUnprocessable } from './errors.js';
import { clone } from './json.js';

const { applyPatch, JsonPatchError } = fastJsonPatch;
type Operation = fastJsonPatch.Operation;

/** kube-apiserver refuses patches with more operations than this (413). */
export const maxJsonPatchOperations = 10000;

const ops = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

function decode(patch: unknown): Operation[] {
  if (!Array.isArray(patch)) {
    throw patchBadRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  }
  for (const op of patch) {
    if (!op || typeof op !== 'object' || !ops.has((op as { op?: string }).op ?? '')) {
      throw patchBadRequest(`Unexpected kind: ${String((op as { op?: string })?.op ?? 'unknown')}`);
    }
  }
  return patch as Operation[];
}

/** evanphx/json-patch's wording for why an operation could not apply. */
function describe(error: InstanceType<typeof JsonPatchError>): string {
  const op = error.operation as Operation | undefined;
  const path = op?.path ?? '';
  switch (error.name) {
    case 'TEST_OPERATION_FAILED':
      return `testing value ${path} failed: test failed`;
    case 'OPERATION_PATH_UNRESOLVABLE':
      if (op?.op === 'remove') return `remove operation does not apply: doc is missing path: "${path}": missing value`;
      if (op?.op === 'replace') return `replace operation does not apply: doc is missing key: ${path}: missing value`;
      return `${op?.op} operation does not apply: doc is missing path: "${path}": missing value`;
    case 'OPERATION_FROM_UNRESOLVABLE':
      return `${op?.op} operation does not apply: doc is missing from path: "${(op as { from?: string })?.from}": missing value`;
    case 'OPERATION_PATH_CANNOT_ADD':
      return `add operation does not apply: doc is missing path: "${path}": missing value`;
    case 'OPERATION_PATH_ILLEGAL_ARRAY_INDEX':
    case 'OPERATION_VALUE_OUT_OF_BOUNDS':
      return `Unable to access invalid index: ${path.split('/').pop()}: invalid index referenced`;
    default:
      return error.message.split('\n')[0];
  }
}

/** Applies RFC 6902 operations to a copy of `document`. Throws ApiError (400, 413 or 422). */
export function applyJsonPatch<T>(document: T, patch: unknown): T {
  const operations = decode(patch);
  if (operations.length > maxJsonPatchOperations) {
    throw patchTooLarge(
      `The allowed maximum operations in a JSON patch is ${maxJsonPatchOperations}, got ${operations.length}`,
    );
  }
  try {
    return applyPatch(clone(document), operations, true, true).newDocument;
  } catch (error) {
    if (error instanceof JsonPatchError) throw patchUnprocessable(describe(error));
    throw patchBadRequest(error instanceof Error ? error.message : String(error));
  }
}
