// Test objects for host placement: a host agent's Lease and a Node placed on a host.
import type { KubeObject } from '../../kube/api/types.js';

/** A host agent's Lease renewed at `renewTime`; `capacity` (any JSON) goes into `skiff.io/capacity` when given. */
export function hostLease(
  host: string,
  capacity?: unknown,
  renewTime = new Date(),
  metadata: Partial<KubeObject['metadata']> = {},
): KubeObject {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: `skiff-host-${host}`,
      namespace: 'kube-system',
      labels: { 'skiff.io/component': 'host-agent' },
      annotations: capacity === undefined ? {} : { 'skiff.io/capacity': JSON.stringify(capacity) },
      ...metadata,
    },
    spec: { holderIdentity: host, leaseDurationSeconds: 40, renewTime: renewTime.toISOString() },
  };
}

/** A Node on `host`, with a `skiff.io/reserved` size and a reported capacity when given. */
export function placedNode(name: string, host: string, reserved?: object, capacity?: object): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { 'skiff.io/host': host, ...(reserved ? { 'skiff.io/reserved': JSON.stringify(reserved) } : {}) },
    },
    status: capacity ? { capacity } : {},
  };
}
