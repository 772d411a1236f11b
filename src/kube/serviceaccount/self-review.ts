// SelfSubjectReview (`kubectl auth whoami`): who the request's credentials say it is — the admin, an IAM
// identity, or a ServiceAccount token's `system:serviceaccount:<ns>:<name>` with its pod extras.
import type { KubeObject } from '../api/types.js';
import type { UserInfo } from '../auth/types.js';

export function reviewSelf(user: UserInfo | undefined): KubeObject {
  const userInfo: Record<string, unknown> = { username: user?.username ?? 'system:anonymous' };
  if (user?.uid) userInfo.uid = user.uid;
  userInfo.groups = user?.groups ?? ['system:unauthenticated'];
  if (user?.extra && Object.keys(user.extra).length) userInfo.extra = user.extra;
  return {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'SelfSubjectReview',
    metadata: { creationTimestamp: null as unknown as string },
    status: { userInfo },
  };
}
