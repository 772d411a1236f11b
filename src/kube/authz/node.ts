// A simplified Node authorizer: a user `system:node:<name>` in the `system:nodes` group may do what the
// `system:node` ClusterRole allows. kube-apiserver's Node authorizer further limits a node to the pods bound to it
// and the secrets, configmaps and volumes those pods use (its graph); Skiff does not keep that graph, so a node
// identity holds the role's rules across every object.
import type { UserInfo } from '../auth/types.js';
import type { Attributes } from './attributes.js';
import type { RbacCache } from './cache.js';
import type { Decision } from './rbac.js';
import { type PolicyRule, ruleAllows } from './rules.js';

export const nodeRoleName = 'system:node';

export function isNode(user: UserInfo): boolean {
  return user.username.startsWith('system:node:') && user.groups.includes('system:nodes');
}

export function nodeRules(cache: RbacCache, user: UserInfo): PolicyRule[] {
  return isNode(user) ? (cache.clusterRoleRules(nodeRoleName) ?? []) : [];
}

export function authorizeNode(cache: RbacCache, a: Attributes): Decision {
  const allowed = nodeRules(cache, a.user).some((rule) => ruleAllows(rule, a));
  return { allowed, reason: '' };
}
