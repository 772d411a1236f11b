// Test harness for the agent: the real kube API in process, an agent with the simulated driver on fast timings and
// short intervals, and helpers to make Nodes and Pods bound to them and to read pods and events back.
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { inProcessClient } from '../../kube/index.js';
import { startTestApi, type TestApi } from '../../kube/testing/api.js';
import { until } from '../../testing/until.js';
import { type Agent, startAgent } from '../agent.js';
import { createSimulatedDriver, type SimulatedTimingsOverride } from '../simulated/index.js';

export const hostName = 'test-host';
export const ns = 'default';
export const podRef = { apiVersion: 'v1', kind: 'Pod', namespace: ns };

export const fastTimings: SimulatedTimingsOverride = {
  sandboxBootMs: { nodegroup: 20, fargate: 40 },
  imagePullMs: { default: 30 },
  imageRecheckMs: 10,
  containerCreateMs: 5,
  containerStartMs: 5,
  terminationDelayMs: 50,
  computeMs: 100,
  resyncMs: 20,
  backOffBaseMs: 100,
  backOffMaxMs: 400,
  missingImages: ['nginxx'],
};

export interface Harness {
  api: TestApi;
  client: KubeClient;
  agent: Agent;
  errors: unknown[];
  close(): Promise<void>;
}

export async function startHarness(timings: SimulatedTimingsOverride = {}): Promise<Harness> {
  const api = await startTestApi();
  const client = inProcessClient(api.ctx);
  const errors: unknown[] = [];
  const agent = await startAgent({
    client,
    hostName,
    tls: await api.agentTls(hostName),
    capacity: { cpuMillis: 8000, memoryMiB: 16384, sandboxes: 100 },
    driver: createSimulatedDriver({ ...fastTimings, ...timings }),
    intervals: { hostLeaseRenewMs: 100, nodeLeaseRenewMs: 100, nodeStatusMs: 150, metricsMs: 100, statusBatchMs: 5 },
    onError: (error) => errors.push(error),
  });
  return {
    api,
    client,
    agent,
    errors,
    async close() {
      await agent.stop();
      await api.close();
    },
  };
}

export function nodeObject(
  name: string,
  ip: string,
  options: { fargate?: boolean; podIPs?: string[]; host?: string } = {},
): KubeObject {
  const then = '2020-01-01T00:00:00Z';
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: options.fargate ? { 'eks.amazonaws.com/compute-type': 'fargate' } : {},
      annotations: {
        'skiff.io/host': options.host ?? hostName,
        ...(options.podIPs ? { 'skiff.io/pod-ips': options.podIPs.join(',') } : {}),
      },
    },
    status: {
      addresses: [{ type: 'InternalIP', address: ip }],
      conditions: [
        { type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: then, lastTransitionTime: then },
      ],
    },
  };
}

export function podObject(name: string, nodeName: string, spec: Record<string, unknown> = {}, meta = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels: { app: name }, ...meta },
    spec: { nodeName, containers: [{ name: 'web', image: 'nginx:1.27' }], ...spec },
  };
}

export async function podWhere(
  client: KubeClient,
  name: string,
  check: (pod: KubeObject) => unknown,
  what: string,
  timeoutMs = 10_000,
): Promise<KubeObject> {
  return until(
    async () => {
      const pod = await client.get(podRef, name).catch(() => undefined);
      return pod && check(pod) ? pod : undefined;
    },
    `${name}: ${what}`,
    timeoutMs,
  );
}

/** The pod's events in the order they were recorded (event names end in increasing hex nanoseconds). */
export async function eventsOf(client: KubeClient, name: string): Promise<KubeObject[]> {
  const list = await client.list({ apiVersion: 'v1', kind: 'Event', namespace: ns });
  const order = (e: KubeObject) => BigInt(`0x${e.metadata.name!.split('.').pop()}`);
  return list.items
    .filter((e) => e.involvedObject?.name === name)
    .sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

export const messagesOf = (events: KubeObject[], reason?: string) =>
  events.filter((e) => !reason || e.reason === reason).map((e) => `${e.reason}: ${e.message}`);
