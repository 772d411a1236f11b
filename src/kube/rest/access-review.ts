// The authorization.k8s.io reviews, answered by the same authorizer as every request: SelfSubjectAccessReview
// (`kubectl auth can-i`), SubjectAccessReview and LocalSubjectAccessReview (for another user), and
// SelfSubjectRulesReview (`kubectl auth can-i --list`). Without an authorizer (authorization off) everyone may
// do everything, as kube-apiserver's AlwaysAllow mode answers.
import { badRequest } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import type { UserInfo } from '../auth/types.js';
import type { Attributes } from '../authz/attributes.js';
import type { Authorizer } from '../authz/authorizer.js';
import type { PolicyRule } from '../authz/rules.js';

export const accessReviewKinds = new Set([
  'SelfSubjectAccessReview',
  'SubjectAccessReview',
  'LocalSubjectAccessReview',
]);

const noTimestamp = { creationTimestamp: null as unknown as string };

interface ReviewSpec {
  resourceAttributes?: Record<string, string>;
  nonResourceAttributes?: { path?: string; verb?: string };
  user?: string;
  groups?: string[];
  uid?: string;
  extra?: Record<string, string[]>;
}

function attributesOf(spec: ReviewSpec, user: UserInfo): Attributes {
  const r = spec.resourceAttributes;
  if (r) {
    return {
      user,
      verb: r.verb ?? '',
      resourceRequest: true,
      apiGroup: r.group ?? '',
      apiVersion: r.version,
      resource: r.resource ?? '',
      subresource: r.subresource ?? '',
      namespace: r.namespace ?? '',
      name: r.name ?? '',
      path: '',
    };
  }
  const n = spec.nonResourceAttributes;
  if (!n) throw badRequest('exactly one of nonResourceAttributes or resourceAttributes must be specified');
  const attrs = { verb: n.verb ?? '', resource: '', subresource: '', namespace: '', name: '', apiGroup: '' };
  return { user, resourceRequest: false, path: n.path ?? '', ...attrs };
}

function decide(authorizer: Authorizer | undefined, a: Attributes) {
  if (!authorizer) return { allowed: true };
  const { allowed, reason } = authorizer.authorize(a);
  return reason ? { allowed, reason } : { allowed };
}

/** SelfSubjectAccessReview, SubjectAccessReview and LocalSubjectAccessReview. */
export function reviewAccess(
  review: KubeObject,
  requester: UserInfo,
  authorizer: Authorizer | undefined,
  namespace?: string,
): KubeObject {
  const spec = (review.spec ?? {}) as ReviewSpec;
  const kind = review.kind ?? 'SelfSubjectAccessReview';
  const subject: UserInfo =
    kind === 'SelfSubjectAccessReview'
      ? requester
      : { username: spec.user ?? '', uid: spec.uid, groups: spec.groups ?? [], extra: spec.extra };
  if (kind !== 'SelfSubjectAccessReview' && !subject.username && subject.groups.length === 0)
    throw badRequest(
      `${kind}.authorization.k8s.io "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified`,
    );
  if (kind === 'LocalSubjectAccessReview' && spec.resourceAttributes?.namespace !== namespace)
    throw badRequest(`spec.resourceAttributes.namespace must match namespace: ${namespace}`);
  return {
    apiVersion: 'authorization.k8s.io/v1',
    kind,
    metadata: { ...noTimestamp, ...(namespace ? { namespace } : {}) },
    spec,
    status: decide(authorizer, attributesOf(spec, subject)),
  };
}

const allRules: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

/** SelfSubjectRulesReview: every rule the requester holds in spec.namespace. */
export function reviewRules(review: KubeObject, requester: UserInfo, authorizer: Authorizer | undefined): KubeObject {
  const namespace = (review.spec?.namespace as string | undefined) ?? '';
  const { rules, incomplete } = authorizer
    ? authorizer.rulesFor(requester, namespace)
    : { rules: allRules, incomplete: false };
  const resourceRules = rules
    .filter((r) => !r.nonResourceURLs?.length)
    .map((r) => ({
      verbs: r.verbs,
      apiGroups: r.apiGroups ?? [],
      resources: r.resources ?? [],
      ...(r.resourceNames?.length ? { resourceNames: r.resourceNames } : {}),
    }));
  const nonResourceRules = rules
    .filter((r) => r.nonResourceURLs?.length)
    .map((r) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs }));
  return {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectRulesReview',
    metadata: noTimestamp,
    spec: { namespace },
    status: { resourceRules, nonResourceRules, incomplete },
  };
}
