// Authorization in the kube API's request path (after authentication and impersonation): the attributes of an
// HTTP request, allowed by the authorizer or refused with kube-apiserver's 403.
import type { UserInfo } from '../auth/types.js';
import type { ResourcePath } from '../server/request-info.js';
import { type Attributes, nonResourceAttributes, resourceAttributes, resourceVerb } from './attributes.js';
import type { Authorizer } from './authorizer.js';
import { forbiddenError } from './forbidden.js';

function check(authorizer: Authorizer, a: Attributes): void {
  const decision = authorizer.authorize(a);
  if (!decision.allowed) throw forbiddenError(a, decision.reason);
}

export function authorizeResource(
  authorizer: Authorizer | undefined,
  user: UserInfo,
  method: string,
  path: ResourcePath,
  query: URLSearchParams,
): void {
  if (authorizer) check(authorizer, resourceAttributes(user, resourceVerb(method, path, query), path));
}

export function authorizePath(authorizer: Authorizer | undefined, user: UserInfo, method: string, path: string): void {
  if (authorizer) check(authorizer, nonResourceAttributes(user, method, path));
}

/**
 * pods/exec, attach and portforward: the verb of the method (GET → get, POST → create), and for a WebSocket GET
 * `create` too, as kube-apiserver 1.32 checks it (AuthorizePodWebsocketUpgradeCreatePermission).
 */
export function authorizeUpgrade(
  authorizer: Authorizer | undefined,
  user: UserInfo,
  method: string,
  path: ResourcePath,
): void {
  if (!authorizer) return;
  const verbs = method === 'GET' ? ['get', 'create'] : ['create'];
  for (const verb of verbs) check(authorizer, resourceAttributes(user, verb, path));
}

/**
 * A call of the in-process client (controllers, agents): authorized as the same request over HTTPS would be. The
 * loopback identity (system:masters) passes at once.
 */
export function authorizeCall(
  authorizer: Authorizer | undefined,
  user: UserInfo,
  verb: string,
  info: { group: string; version: string; resource: string },
  namespace?: string,
  name?: string,
  subresource?: string,
): void {
  if (!authorizer) return;
  const { group, version, resource } = info;
  check(authorizer, resourceAttributes(user, verb, { group, version, resource, namespace, name, subresource }));
}
