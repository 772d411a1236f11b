// SelfSubjectAccessReview (`kubectl auth can-i`): Skiff authorizes as kube-apiserver does for the system:masters
// group — every request allowed — and every user its authenticators accept is in that group; anyone else is not.
import type { KubeObject } from '../api/types.js';
import type { UserInfo } from '../auth/types.js';

export function reviewAccess(review: KubeObject, user: UserInfo | undefined): KubeObject {
  const allowed = Boolean(user?.groups.includes('system:masters'));
  return {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    metadata: { creationTimestamp: null as unknown as string },
    spec: review.spec ?? {},
    status: allowed ? { allowed: true, reason: 'the user is in the system:masters group' } : { allowed: false },
  };
}
