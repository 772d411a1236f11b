// JSON merge patch (RFC 7396, application/merge-patch+json): objects merge recursively, null deletes, anything
// else (arrays included) replaces.
import { patchBadRequest } from './errors.js';
import { clone, isObject } from './json.js';

function merge(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const out = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = merge(out[key], value);
  }
  return out;
}

/** RFC 7396 MergePatch(target, patch); the result shares no structure with `patch`. */
export function jsonMergePatch(target: unknown, patch: unknown): unknown {
  return merge(target, patch);
}

/** A merge patch for a kube object must be a JSON object, as kube-apiserver's decoder requires. */
export function mergePatchObject(target: unknown, patch: unknown): Record<string, unknown> {
  if (!isObject(patch))
    throw patchBadRequest('error decoding patch: json: cannot unmarshal into Go value of type map[string]interface {}');
  return merge(target, patch) as Record<string, unknown>;
}
