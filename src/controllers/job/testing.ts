// Test helpers for the Job and CronJob controllers: a Job manifest, and the kubelet's part — writing a pod's
// phase, container states and Ready condition through the status subresource.
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';

export function jobManifest(name: string, namespace: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace },
    spec: {
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36' }] } },
      ...spec,
    },
  };
}

/** Writes what a kubelet would: Running (ready), or Succeeded / Failed with the container terminated. */
export async function setPodPhase(
  client: KubeClient,
  pod: KubeObject,
  phase: 'Running' | 'Succeeded' | 'Failed',
  finishedAt = new Date(),
): Promise<KubeObject> {
  const ref = { apiVersion: 'v1', kind: 'Pod', namespace: pod.metadata.namespace };
  const current = await client.get(ref, pod.metadata.name!);
  const now = new Date().toISOString();
  const running = phase === 'Running';
  const exitCode = phase === 'Succeeded' ? 0 : 1;
  current.status = {
    ...current.status,
    phase,
    conditions: [
      { type: 'Ready', status: running ? 'True' : 'False', lastTransitionTime: now.replace(/\.\d+Z$/, 'Z') },
    ],
    containerStatuses: (current.spec.containers ?? []).map((c: { name: string; image: string }) => ({
      name: c.name,
      image: c.image,
      imageID: '',
      ready: running,
      restartCount: 0,
      started: running,
      state: running
        ? { running: { startedAt: now } }
        : {
            terminated: {
              exitCode,
              reason: exitCode ? 'Error' : 'Completed',
              startedAt: now,
              finishedAt: finishedAt.toISOString(),
            },
          },
    })),
  };
  return client.update(current, { subresource: 'status' });
}
