// Fixture for the HPA controller's tests: the real in-process API with the ReplicaSet controller and the HPA
// controller on an injected clock, and what an agent would do (pods Running and Ready, PodMetrics written).
import assert from 'node:assert/strict';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { inProcessClient } from '../../kube/index.js';
import { startTestApi, type TestApi } from '../../kube/testing/api.js';
import { until } from '../../testing/until.js';
import { ReplicaSetController } from '../replicaset/controller.js';
import { HorizontalPodAutoscalerController } from './controller.js';

export const ns = 'default';
const podRef = { apiVersion: 'v1', kind: 'Pod', namespace: ns };
const metricsRef = { apiVersion: 'metrics.k8s.io/v1beta1', kind: 'PodMetrics', namespace: ns };
export const rsRef = { apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: ns };
export const hpaRef = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', namespace: ns };
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

export function replicaSet(app: string, replicas: number, requests: Record<string, string> | undefined): KubeObject {
  return {
    ...rsRef,
    metadata: { name: app, namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: { app } },
      template: {
        metadata: { labels: { app } },
        spec: { containers: [{ name: 'c', image: 'nginx', resources: requests ? { requests } : {} }] },
      },
    },
  };
}

export function cpuHpa(name: string, target: { kind: string; name: string }, spec: object = {}): KubeObject {
  return {
    ...hpaRef,
    metadata: { name, namespace: ns },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', ...target },
      minReplicas: 1,
      maxReplicas: 6,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
      ],
      ...spec,
    },
  };
}

export const conditionOf = (hpa: KubeObject, type: string) => hpa.status?.conditions?.find((c: any) => c.type === type);

export class HpaFixture {
  clock = Date.now();
  private errors: unknown[] = [];
  private replicaSets!: ReplicaSetController;
  private hpas!: HorizontalPodAutoscalerController;

  private constructor(
    private api: TestApi,
    readonly client: KubeClient,
  ) {}

  static async start(): Promise<HpaFixture> {
    const api = await startTestApi();
    const f = new HpaFixture(api, inProcessClient(api.ctx));
    // The ReplicaSet controller meets conflicts with the HPA's scale writes and retries them.
    f.replicaSets = new ReplicaSetController(f.client, { onError: (e: any) => e?.code !== 409 && f.errors.push(e) });
    f.hpas = new HorizontalPodAutoscalerController(f.client, {
      syncPeriodMs: 30,
      now: () => f.clock,
      onError: (e) => f.errors.push(e),
    });
    await f.replicaSets.start();
    await f.hpas.start();
    return f;
  }

  async stop(): Promise<void> {
    this.hpas.stop();
    this.replicaSets.stop();
    await this.api.close();
    assert.deepEqual(this.errors, []);
  }

  /** What the scheduler and agent would do: each live pod of `app` Running and Ready, its PodMetrics current. */
  async settle(app: string, usage: { cpu?: string; memory?: string }): Promise<void> {
    const { client } = this;
    const pods = (await client.list(podRef, { labelSelector: `app=${app}` })).items.filter(
      (p) => !p.metadata.deletionTimestamp,
    );
    const names = new Set(pods.map((p) => p.metadata.name));
    for (const pod of pods) {
      if (pod.status?.phase !== 'Running') {
        const since = iso(this.clock - 600_000);
        const conditions = [{ type: 'Ready', status: 'True', lastTransitionTime: since }];
        const status = { phase: 'Running', startTime: since, conditions };
        await client.update({ ...pod, status }, { subresource: 'status' });
      }
      const metrics = {
        ...metricsRef,
        metadata: { name: pod.metadata.name, namespace: ns, labels: pod.metadata.labels },
        timestamp: iso(this.clock),
        window: '15s',
        containers: [{ name: 'c', usage: { cpu: usage.cpu ?? '1m', memory: usage.memory ?? '8Mi' } }],
      };
      const existing = await client.get(metricsRef, pod.metadata.name!).catch(() => undefined);
      if (existing) await client.update({ ...metrics, metadata: existing.metadata });
      else await client.create(metrics);
    }
    for (const m of (await client.list(metricsRef, { labelSelector: `app=${app}` })).items)
      if (!names.has(m.metadata.name)) await client.delete(metricsRef, m.metadata.name!);
  }

  /** Polls the HPA (running `tick` first each time) until `check` holds. */
  hpaUntil(name: string, what: string, check: (hpa: KubeObject) => boolean, tick?: () => Promise<unknown>) {
    return until(async () => {
      await tick?.();
      const hpa = await this.client.get(hpaRef, name);
      return check(hpa) && hpa;
    }, what);
  }

  async eventsOf(name: string, reason: string): Promise<string[]> {
    const list = await this.client.list({ apiVersion: 'v1', kind: 'Event', namespace: ns });
    return list.items.filter((e) => e.involvedObject?.name === name && e.reason === reason).map((e) => e.message);
  }
}
