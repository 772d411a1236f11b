// Impersonation as kube-apiserver's filter: `Impersonate-User`, `Impersonate-Group`, `Impersonate-Uid` and
// `Impersonate-Extra-<key>` headers (kubectl --as, --as-group, --as-uid) turn the request into the named user's,
// each part checked first with the `impersonate` verb on users/serviceaccounts, groups, uids and
// userextras/<key>; a refusal is the apiserver's 403 for the impersonate attributes.
import type { IncomingMessage } from 'node:http';
import { badRequest } from '../api/errors.js';
import type { UserInfo } from '../auth/types.js';
import type { Attributes } from './attributes.js';
import type { Authorizer } from './authorizer.js';
import { forbiddenError } from './forbidden.js';

const serviceAccountPrefix = 'system:serviceaccount:';

function headerValues(req: IncomingMessage, name: string): string[] {
  return (req.headersDistinct[name] ?? []).map((v) => v.trim());
}

function impersonateAttributes(
  user: UserInfo,
  group: string,
  resource: string,
  name: string,
  namespace = '',
  subresource = '',
): Attributes {
  return {
    user,
    verb: 'impersonate',
    resourceRequest: true,
    apiGroup: group,
    resource,
    subresource,
    namespace,
    name,
    path: '',
  };
}

/** The user a request acts as: the authenticated one, or whom it impersonates when every part is allowed. */
export function impersonate(authorizer: Authorizer | undefined, req: IncomingMessage, user: UserInfo): UserInfo {
  const [username] = headerValues(req, 'impersonate-user');
  const groups = headerValues(req, 'impersonate-group');
  const [uid] = headerValues(req, 'impersonate-uid');
  const extra: Record<string, string[]> = {};
  for (const [header, values] of Object.entries(req.headersDistinct)) {
    if (!header.startsWith('impersonate-extra-') || !values) continue;
    extra[decodeURIComponent(header.slice('impersonate-extra-'.length)).toLowerCase()] = values;
  }
  const extraKeys = Object.keys(extra);
  if (username === undefined) {
    if (groups.length || uid !== undefined || extraKeys.length)
      throw badRequest('impersonation requires a user (Impersonate-User) when groups, uid or extra are given');
    return user;
  }
  const checks: Attributes[] = [];
  const impersonated: UserInfo = { username, groups: [...groups], extra: extraKeys.length ? extra : undefined };
  if (username.startsWith(serviceAccountPrefix)) {
    const [namespace, name] = username.slice(serviceAccountPrefix.length).split(':');
    checks.push(impersonateAttributes(user, '', 'serviceaccounts', name, namespace));
    if (!groups.length) impersonated.groups.push('system:serviceaccounts', `system:serviceaccounts:${namespace}`);
  } else {
    checks.push(impersonateAttributes(user, '', 'users', username));
  }
  for (const group of groups) checks.push(impersonateAttributes(user, '', 'groups', group));
  if (uid !== undefined) {
    impersonated.uid = uid;
    checks.push(impersonateAttributes(user, 'authentication.k8s.io', 'uids', uid));
  }
  for (const key of extraKeys)
    for (const value of extra[key])
      checks.push(impersonateAttributes(user, 'authentication.k8s.io', 'userextras', value, '', key));
  if (authorizer) {
    for (const check of checks) if (!authorizer.authorize(check).allowed) throw forbiddenError(check);
  }
  const authenticatedGroup = username === 'system:anonymous' ? 'system:unauthenticated' : 'system:authenticated';
  if (!impersonated.groups.includes(authenticatedGroup)) impersonated.groups.push(authenticatedGroup);
  return impersonated;
}
