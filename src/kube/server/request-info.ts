// Parses a request path the way kube-apiserver's RequestInfoFactory does: API group, version, namespace,
// resource, name and subresource — or a non-resource path (discovery, OpenAPI, health, version).

export interface ResourcePath {
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
}

const namespaceSubresources = new Set(['status', 'finalize']);

/** Undefined when the path is not a resource path (/api/v1 or deeper, /apis/<g>/<v>/…). */
export function parseResourcePath(pathname: string): ResourcePath | undefined {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
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
  return { group, version, namespace, resource, name, subresource };
}
