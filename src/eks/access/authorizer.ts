// EKS's access-policy authorizer (the webhook EKS runs before RBAC): a caller whose IAM principal has an access
// entry may do what its associated policies allow, each at cluster scope or in its listed namespaces (a
// namespace-scoped policy grants nothing cluster-scoped). Policy rules are the mirrored ClusterRole's, read from
// the RBAC cache. Not consulted in CONFIG_MAP mode.
import type { UserInfo } from '../../kube/auth/types.js';
import type { Attributes } from '../../kube/authz/attributes.js';
import type { AuthorizerHook } from '../../kube/authz/authorizer.js';
import type { RbacCache } from '../../kube/authz/cache.js';
import { type PolicyRule, ruleAllows } from '../../kube/authz/rules.js';
import type { AccessCache } from './cache.js';
import { policyByArn } from './policies.js';

function policiesOf(access: AccessCache, user: UserInfo) {
  const principal = user.extra?.canonicalArn?.[0];
  if (!principal || access.mode === 'CONFIG_MAP') return [];
  return access.entryFor(principal)?.policies ?? [];
}

function rulesIn(access: AccessCache, rbac: RbacCache, user: UserInfo, namespace: string): [string, PolicyRule[]][] {
  return policiesOf(access, user)
    .filter((p) => p.accessScope.type === 'cluster' || (namespace && p.accessScope.namespaces.includes(namespace)))
    .map((p) => {
      const policy = policyByArn(p.policyArn);
      return [p.policyArn, policy ? (rbac.clusterRoleRules(policy.clusterRole) ?? []) : []];
    });
}

export function accessPolicyAuthorizer(access: AccessCache): AuthorizerHook {
  return {
    authorize(a: Attributes, rbac: RbacCache) {
      for (const [arn, rules] of rulesIn(access, rbac, a.user, a.namespace)) {
        if (rules.some((rule) => ruleAllows(rule, a))) return { allowed: true, reason: `EKS access policy ${arn}` };
      }
      return undefined;
    },
    rulesFor(user: UserInfo, namespace: string, rbac: RbacCache) {
      return rulesIn(access, rbac, user, namespace).flatMap(([, rules]) => rules);
    },
  };
}
