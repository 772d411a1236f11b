// Shared fixtures for the StatefulSet tests: a real API with the controller and a fake kubelet whose starts and
// graceful deletions the tests can hold back, StatefulSets, and queries of pods, events and status.
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { inProcessClient } from '../../kube/index.js';
import { startTestApi, type TestApi } from '../../kube/testing/api.js';
import { FakeKubelet } from '../../testing/fake-kubelet.js';
import { until } from '../../testing/until.js';
import { StatefulSetController } from './controller.js';

export const ns = 'default';
export const podRef = { apiVersion: 'v1', kind: 'Pod', namespace: ns };
export const setRef = { apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: ns };
export const claimRef = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns };

export interface Harness {
  api: TestApi;
  client: KubeClient;
  controller: StatefulSetController;
  kubelet: FakeKubelet;
  /** While true, new pods stay Pending and graceful deletions wait for `kubelet.finishDeletion`. */
  hold: { starts: boolean; deletions: boolean };
  errors: unknown[];
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const api = await startTestApi();
  const client = inProcessClient(api.ctx);
  await client.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'ip-10-0-3-1.ec2.internal' }, spec: {} });
  const hold = { starts: false, deletions: false };
  const kubelet = new FakeKubelet(client, {
    schedule: () => 'ip-10-0-3-1.ec2.internal',
    autoStart: () => !hold.starts,
    autoFinish: () => !hold.deletions,
  });
  await kubelet.start();
  const errors: unknown[] = [];
  const controller = new StatefulSetController(client, { onError: (error) => errors.push(error) });
  await controller.start();
  return {
    api,
    client,
    controller,
    kubelet,
    hold,
    errors,
    async close() {
      controller.stop();
      kubelet.stop();
      await api.close();
    },
  };
}

export function statefulSet(name: string, replicas: number, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      serviceName: name,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
      },
      ...spec,
    },
  };
}

export async function podsOf(client: KubeClient, name: string): Promise<KubeObject[]> {
  const list = await client.list(podRef, { labelSelector: `app=${name}` });
  return list.items.sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!, 'en', { numeric: true }));
}

/** Waits for the controller to finish its work, then for `check` over the set's pods to hold. */
export async function settled<T>(
  h: Harness,
  name: string,
  check: (pods: KubeObject[]) => T | false | undefined,
  what: string,
): Promise<T> {
  return until(async () => {
    await h.controller.queue.drained();
    return check(await podsOf(h.client, name));
  }, what);
}

export const names = (pods: KubeObject[]) => pods.map((p) => p.metadata.name).join(',');
export const live = (pods: KubeObject[]) => pods.filter((p) => !p.metadata.deletionTimestamp);

export async function statusIs(client: KubeClient, name: string, expected: Record<string, unknown>) {
  return until(
    async () => {
      const set = await client.get(setRef, name);
      return Object.entries(expected).every(([k, v]) => (set.status?.[k] ?? 0) === v) && set;
    },
    `${name} status ${JSON.stringify(expected)}`,
  );
}

/** The set's event messages of one reason, oldest first. */
export async function eventMessages(client: KubeClient, name: string, reason: string): Promise<string[]> {
  const list = await client.list({ apiVersion: 'v1', kind: 'Event', namespace: ns });
  return list.items
    .filter((e) => e.involvedObject?.name === name && e.involvedObject?.kind === 'StatefulSet' && e.reason === reason)
    .sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1))
    .map((e) => e.message);
}
