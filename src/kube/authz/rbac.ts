// The RBAC authorizer, as kube-apiserver's: a request is allowed when a ClusterRoleBinding, or a RoleBinding in the
// request's namespace, binds a subject the user is (User, Group, ServiceAccount) to a role with a rule that allows
// it. Decisions are read from the RbacCache; a binding to a missing role grants nothing.
import type { UserInfo } from '../auth/types.js';
import type { Attributes } from './attributes.js';
import type { Binding, RbacCache, Subject } from './cache.js';
import { type PolicyRule, ruleAllows } from './rules.js';

export interface Decision {
  allowed: boolean;
  reason: string;
}

export function appliesTo(user: UserInfo, subject: Subject, bindingNamespace?: string): boolean {
  switch (subject.kind) {
    case 'User':
      return subject.name === user.username;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const namespace = subject.namespace || bindingNamespace;
      return user.username === `system:serviceaccount:${namespace}:${subject.name}`;
    }
    default:
      return false;
  }
}

function describeBinding(binding: Binding, subject: Subject): string {
  const where = binding.namespace ? ` in namespace "${binding.namespace}"` : '';
  const who =
    subject.kind === 'ServiceAccount'
      ? `"${subject.namespace ?? binding.namespace}/${subject.name}"`
      : `"${subject.name}"`;
  return `RBAC: allowed by ${binding.kind} "${binding.name}" of ${binding.roleRef.kind} "${binding.roleRef.name}" to ${subject.kind} ${who}${where}`;
}

/** Every binding that applies to the user in a namespace (cluster bindings first), with the subject that matched. */
function* bindingsFor(cache: RbacCache, user: UserInfo, namespace: string): Generator<[Binding, Subject]> {
  const candidates = [
    ...cache.clusterRoleBindings.values(),
    ...(namespace ? (cache.roleBindings.get(namespace) ?? []) : []),
  ];
  for (const binding of candidates) {
    const subject = binding.subjects.find((s) => appliesTo(user, s, binding.namespace));
    if (subject) yield [binding, subject];
  }
}

export function authorizeRbac(cache: RbacCache, a: Attributes): Decision {
  for (const [binding, subject] of bindingsFor(cache, a.user, a.namespace)) {
    const rules = cache.rulesOf(binding);
    if (rules?.some((rule) => ruleAllows(rule, a))) return { allowed: true, reason: describeBinding(binding, subject) };
  }
  return { allowed: false, reason: '' };
}

/** Every rule the user holds in a namespace (SelfSubjectRulesReview), and whether a missing role left it short. */
export function rbacRulesFor(
  cache: RbacCache,
  user: UserInfo,
  namespace: string,
): { rules: PolicyRule[]; incomplete: boolean } {
  const rules: PolicyRule[] = [];
  let incomplete = false;
  for (const [binding] of bindingsFor(cache, user, namespace)) {
    const granted = cache.rulesOf(binding);
    if (granted) rules.push(...granted);
    else incomplete = true;
  }
  return { rules, incomplete };
}
