// What an authorizer decides on, as kube-apiserver's authorizer.Attributes: the user, the verb, and either a
// resource (API group, resource, subresource, namespace, name) or a non-resource path. `attributesOf` derives
// them from an HTTP request as kube-apiserver's RequestInfoFactory does.
import type { UserInfo } from '../auth/types.js';
import type { ResourcePath } from '../server/request-info.js';

export interface Attributes {
  user: UserInfo;
  verb: string;
  resourceRequest: boolean;
  apiGroup: string;
  apiVersion?: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  /** The request path (non-resource requests). */
  path: string;
}

const writeVerbs: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch' };

/** The verb kube-apiserver derives from a resource request's method, name and query. */
export function resourceVerb(method: string, path: ResourcePath, query: URLSearchParams): string {
  const watching = ['true', '1'].includes(query.get('watch') ?? '');
  if (method === 'GET' || method === 'HEAD') {
    if (watching) return 'watch';
    return path.name ? 'get' : 'list';
  }
  if (method === 'DELETE') return path.name ? 'delete' : 'deletecollection';
  return writeVerbs[method] ?? method.toLowerCase();
}

export function resourceAttributes(user: UserInfo, verb: string, path: ResourcePath): Attributes {
  return {
    user,
    verb,
    resourceRequest: true,
    apiGroup: path.group,
    apiVersion: path.version,
    resource: path.resource,
    subresource: path.subresource ?? '',
    namespace: path.namespace ?? '',
    name: path.name ?? '',
    path: '',
  };
}

export function nonResourceAttributes(user: UserInfo, method: string, path: string): Attributes {
  return {
    user,
    verb: method.toLowerCase(),
    resourceRequest: false,
    apiGroup: '',
    resource: '',
    subresource: '',
    namespace: '',
    name: '',
    path,
  };
}
