// The top-level fields a patch can change: a merge or strategic merge patch's keys, the first segment of each JSON
// patch operation's path. The rest of the patched object is the stored one's, whose types were checked when it was
// written, so the API checks and prunes only these (kube-apiserver decodes the whole patched object; what it could
// refuse outside these fields, the stored object would already have been refused for). Undefined when a patch can
// reach the whole object — a JSON patch on the root, a directive such as `$patch: replace` at the top, server-side
// apply — or is not a patch at all (applying it says so).
import type { PatchType } from '../client/types.js';
import { isObject } from './json.js';

/** A JSON pointer segment's text (RFC 6901: ~1 is /, ~0 is ~). */
const unescapePointer = (segment: string) => segment.replace(/~1/g, '/').replace(/~0/g, '~');

function jsonPatchFields(patch: unknown): string[] | undefined {
  if (!Array.isArray(patch)) return undefined;
  const fields = new Set<string>();
  for (const operation of patch) {
    const path: unknown = isObject(operation) ? operation.path : undefined;
    if (typeof path !== 'string' || !path.startsWith('/')) return undefined;
    const end = path.indexOf('/', 1);
    fields.add(unescapePointer(end < 0 ? path.slice(1) : path.slice(1, end)));
  }
  return [...fields];
}

export function touchedFields(patch: unknown, type: PatchType): string[] | undefined {
  if (type === 'json') return jsonPatchFields(patch);
  if (type === 'apply' || !isObject(patch)) return undefined;
  const fields = Object.keys(patch);
  return fields.some((field) => field.startsWith('$')) ? undefined : fields;
}
