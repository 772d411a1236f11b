// The workload a pod belongs to, as people name it: its controller, followed up one level through a ReplicaSet
// (to its Deployment) or a Job (to its CronJob) by reading that owner once; a bare pod is its own workload.

import { getIfExists } from '../client/objects.js';
import { controllerRefOf } from '../client/owners.js';
import type { KubeObject } from '../kube/api/types.js';
import type { KubeClient } from '../kube/client/types.js';
import type { Workload } from './usage-record.js';

const followed: Record<string, string> = { ReplicaSet: 'apps/v1', Job: 'batch/v1' };

export async function workloadOf(client: KubeClient, pod: KubeObject): Promise<Workload> {
  const owner = controllerRefOf(pod);
  if (!owner) return { kind: 'Pod', name: pod.metadata.name! };
  const apiVersion = followed[owner.kind];
  if (apiVersion) {
    const parent = await getIfExists(
      client,
      { apiVersion, kind: owner.kind, namespace: pod.metadata.namespace },
      owner.name,
    );
    const grand = parent && controllerRefOf(parent);
    if (grand) return { kind: grand.kind, name: grand.name };
  }
  return { kind: owner.kind, name: owner.name };
}
