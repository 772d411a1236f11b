// Test fixtures for fargate-scheduler: a real kube API with a Fargate profile, a host agent's Lease, captured pods,
// and the scheduler started against them.

import type { SubnetInfo } from '../../cloud/facts.js';
import { StaticClusterFacts } from '../../cloud/static.js';
import type { KubeObject } from '../../kube/api/types.js';
import { HttpKubeClient } from '../../kube/client/http.js';
import type { KubeClient } from '../../kube/client/types.js';
import { inProcessClient } from '../../kube/index.js';
import { startTestApi, type TestApi } from '../../kube/testing/api.js';
import { until } from '../../testing/until.js';
import { hostLease } from '../hosts/testing.js';
import { VpcAddresses } from '../ipam/vpc-addresses.js';
import { FargateScheduler } from './scheduler.js';

export const podRef = { apiVersion: 'v1', kind: 'Pod', namespace: 'default' };
export const nodeRef = { apiVersion: 'v1', kind: 'Node' };
export const privateSubnets = ['subnet-0private0a', 'subnet-0private0b'];

export interface Harness {
  api: TestApi;
  client: KubeClient;
  facts: StaticClusterFacts;
  ipam: VpcAddresses;
  scheduler: FargateScheduler;
  errors: unknown[];
  restart(): Promise<void>;
  close(): Promise<void>;
}

export function profile(name = 'fp-default', subnets = privateSubnets, status: 'ACTIVE' | 'CREATING' = 'ACTIVE') {
  return {
    name,
    status,
    selectors: [{ namespace: 'default' }],
    subnets,
    podExecutionRoleArn: 'arn:aws:iam::111122223333:role/pod-execution',
  };
}

export function fargatePod(name: string, spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      labels: { app: 'web', 'eks.amazonaws.com/fargate-profile': 'fp-default' },
      annotations: { Logging: 'LoggingDisabled: LOGGING_CONFIGMAP_NOT_FOUND' },
      ...meta,
    },
    spec: { schedulerName: 'fargate-scheduler', containers: [{ name: 'app', image: 'nginx' }], ...spec },
  };
}

export async function startHarness(
  options: {
    region?: string;
    subnets?: SubnetInfo[];
    hosts?: string[];
    profiles?: ReturnType<typeof profile>[];
    /** The scheduler talks HTTPS to the API instead of in-process. */
    https?: boolean;
  } = {},
): Promise<Harness> {
  const api = await startTestApi();
  const client = inProcessClient(api.ctx);
  const facts = new StaticClusterFacts('skiff', options.region ?? 'ap-northeast-2', '1.32', options.subnets);
  facts.setProfiles(options.profiles ?? [profile()]);
  for (const host of options.hosts ?? ['host-1']) await client.create(hostLease(host));
  const errors: unknown[] = [];
  const make = () => {
    const ipam = new VpcAddresses(client, []);
    const scheduler = new FargateScheduler({
      client: options.https ? new HttpKubeClient({ server: api.server.url, ca: api.caCert, token: api.token }) : client,
      facts,
      ipam,
      retryDelayMs: () => 50,
      onError: (e) => errors.push(e),
    });
    return { ipam, scheduler };
  };
  const h: Harness = {
    api,
    client,
    facts,
    errors,
    ...make(),
    async restart() {
      h.scheduler.stop();
      Object.assign(h, make());
      await h.scheduler.start();
    },
    async close() {
      h.scheduler.stop();
      await api.close();
    },
  };
  await h.scheduler.start();
  return h;
}

export async function boundPod(client: KubeClient, name: string): Promise<KubeObject> {
  return until(async () => {
    const pod = await client.get(podRef, name);
    return pod.spec.nodeName ? pod : undefined;
  }, `pod ${name} bound`);
}

export async function podEvents(client: KubeClient, name: string): Promise<KubeObject[]> {
  const events = await client.list({ apiVersion: 'v1', kind: 'Event', namespace: 'default' });
  return events.items
    .filter((e) => e.involvedObject?.name === name)
    .sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
}

export async function eventWith(client: KubeClient, name: string, reason: string): Promise<KubeObject> {
  return until(async () => (await podEvents(client, name)).find((e) => e.reason === reason), `${reason} for ${name}`);
}
