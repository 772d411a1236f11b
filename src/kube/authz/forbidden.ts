// The 403 kube-apiserver writes when no authorizer allows a request (responsewriters.Forbidden): `<resource> is
// forbidden: User "<name>" cannot <verb> resource "<resource>" in API group "<group>" in the namespace "<ns>"`.
import { ApiError, statusFailure } from '../api/errors.js';
import type { Attributes } from './attributes.js';

export function forbiddenMessage(a: Attributes): string {
  const user = a.user.username;
  if (!a.resourceRequest) return `User "${user}" cannot ${a.verb} path "${a.path}"`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  return `User "${user}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup}" ${scope}`;
}

export function forbiddenError(a: Attributes, reason = ''): ApiError {
  const text = reason ? `${forbiddenMessage(a)}: ${reason}` : forbiddenMessage(a);
  if (!a.resourceRequest) return new ApiError(statusFailure(403, 'Forbidden', `forbidden: ${text}`, {}));
  const qualified = a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource;
  const subject = a.name ? `${qualified} "${a.name}"` : qualified;
  return new ApiError(
    statusFailure(403, 'Forbidden', `${subject} is forbidden: ${text}`, {
      ...(a.name ? { name: a.name } : {}),
      group: a.apiGroup,
      kind: a.resource,
    }),
  );
}
