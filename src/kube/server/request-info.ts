// Parses a request path the way kube-apiserver's RequestInfoFactory does: API group, version, namespace,
// resource, name and subresource — or a non-resource path (discovery, OpenAPI, health, version). It reads the
// raw (still encoded) path, never a normalised one: `..` and `.` segments, literal or encoded, are names to
// refuse, not directions, and a bad percent-escape is a 400 as in Go's net/http.
import { badRequest, serverNotFound } from '../api/errors.js';

export interface ResourcePath {
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
}

const namespaceSubresources = new Set(['status', 'finalize']);

/** The path of a request target as sent (`/a/%2e%2e?x` → `/a/%2e%2e`), trailing slashes dropped. */
export function rawPathOf(requestTarget: string): string {
  const originForm = requestTarget.replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/, '');
  const end = originForm.search(/[?#]/);
  const path = end < 0 ? originForm : originForm.slice(0, end);
  return path.replace(/\/+$/, '') || '/';
}

/** One path segment, percent-decoded; a malformed escape is refused with Go's `invalid URL escape` text. */
export function decodeSegment(raw: string): string {
  const bad = /%(?![0-9a-fA-F]{2})/.exec(raw);
  if (bad) throw badRequest(`invalid URL escape ${JSON.stringify(raw.slice(bad.index, bad.index + 3))}`);
  try {
    return decodeURIComponent(raw);
  } catch {
    throw badRequest(`invalid UTF-8 in URL path segment ${JSON.stringify(raw)}`);
  }
}

/** apimachinery's IsValidPathSegmentName: what a name or namespace in a path may not be or contain. */
export function pathSegmentNameProblems(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  return ['/', '%'].filter((c) => name.includes(c)).map((c) => `may not contain '${c}'`);
}

function refuseInvalid(parameter: 'Name' | 'Namespace', value: string | undefined): void {
  if (value === undefined) return;
  const problems = pathSegmentNameProblems(value);
  if (problems.length > 0) throw badRequest(`${parameter} parameter invalid: "${value}": ${problems.join(';')}`);
}

/**
 * Undefined when the path is not a resource path (/api/v1 or deeper, /apis/<g>/<v>/…). `rawPath` is the path
 * as sent; a name or namespace `.`/`..` or holding `/` or `%` is a 400, any other such segment a 404.
 */
export function parseResourcePath(rawPath: string): ResourcePath | undefined {
  const parts = rawPath.split('/').filter(Boolean).map(decodeSegment);
  let group: string;
  let version: string;
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1];
    parts.splice(0, 2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1];
    version = parts[2];
    parts.splice(0, 3);
  } else {
    return undefined;
  }
  let rest: string[] = parts;
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length > 2 && !namespaceSubresources.has(rest[2])) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  if (rest.length > 3) return undefined;
  const [resource, name, subresource] = rest;
  refuseInvalid('Namespace', namespace);
  refuseInvalid('Name', name);
  for (const segment of [group, version, resource, subresource]) {
    if (segment !== undefined && pathSegmentNameProblems(segment).length > 0) throw serverNotFound();
  }
  return { group, version, namespace, resource, name, subresource };
}
