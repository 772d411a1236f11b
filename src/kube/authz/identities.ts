// The identities Skiff's own components use on the in-process client: the loopback user (controllers,
// schedulers, the service proxy and the edge: privileged as kube-apiserver's own loopback client is) and the
// agents', which are kubelets: `system:node:<host>` in `system:nodes`, authorised by the Node authorizer and the
// `skiff:agent` role (data/rbac/skiff-components.yaml).
import type { UserInfo } from '../auth/types.js';

export const loopbackUser: UserInfo = { username: 'system:skiff', groups: ['system:masters'] };

export function nodeUser(nodeName: string): UserInfo {
  return { username: `system:node:${nodeName}`, groups: ['system:nodes', 'system:authenticated'] };
}
