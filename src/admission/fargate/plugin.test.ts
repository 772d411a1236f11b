// The Fargate mutation against the real API: which pods a profile captures (wildcards, alphabetical choice, the
// explicit label, the opt-out, DaemonSet pods, non-ACTIVE profiles), what capture writes, logging, dryRun.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ProfileInfo } from '../../cloud/facts.js';
import { StaticClusterFacts } from '../../cloud/static.js';
import type { FargateSelector, ProfileStatus } from '../../fargate/profile-validation.js';
import type { KubeObject } from '../../kube/api/types.js';
import { HttpKubeClient } from '../../kube/client/http.js';
import type { KubeClient } from '../../kube/client/types.js';
import { inProcessClient } from '../../kube/index.js';
import { startTestApi, type TestApi } from '../../kube/testing/api.js';
import type { FargateAdmission } from './plugin.js';
import { registerFargateAdmission } from './register.js';

const podRef = (namespace: string) => ({ apiVersion: 'v1', kind: 'Pod', namespace });
const profileLabel = 'eks.amazonaws.com/fargate-profile';
const disabled = 'LoggingDisabled: LOGGING_CONFIGMAP_NOT_FOUND';

function profile(name: string, selectors: FargateSelector[], status: ProfileStatus = 'ACTIVE'): ProfileInfo {
  return {
    name,
    status,
    selectors,
    subnets: ['subnet-0private0a', 'subnet-0private0b'],
    podExecutionRoleArn: 'arn:aws:iam::000000000000:role/pod-execution',
  };
}

const profiles = [
  profile('web', [{ namespace: 'web' }]),
  profile('prod-workload', [{ namespace: 'shared' }]),
  profile('beta-workload', [{ namespace: 'shared' }]),
  profile('wild', [{ namespace: 'team-*', labels: { 'app.kubernetes.io/*': 'front?nd' } }]),
  profile('labelled', [{ namespace: 'labels', labels: { tier: 'web', env: 'prod' } }]),
  profile('creating', [{ namespace: 'creating' }], 'CREATING'),
  profile('deleting', [{ namespace: 'deleting' }], 'DELETING'),
  profile('failed', [{ namespace: 'deleting' }], 'CREATE_FAILED'),
];

let api: TestApi;
let client: KubeClient;
let facts: StaticClusterFacts;
let admission: FargateAdmission;
let counter = 0;

function pod(namespace: string, meta: Partial<KubeObject['metadata']> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `p${++counter}`, namespace, ...meta },
    spec: { containers: [{ name: 'c', image: 'nginx' }] },
  };
}

async function createNamespace(name: string, labels?: Record<string, string>) {
  await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
}

function assertCaptured(created: KubeObject, profileName: string, logging = disabled) {
  assert.equal(created.spec.schedulerName, 'fargate-scheduler');
  assert.equal(created.metadata.labels?.[profileLabel], profileName);
  assert.equal(created.spec.priorityClassName, 'system-node-critical');
  assert.equal(created.spec.priority, 2000001000);
  assert.equal(created.metadata.annotations?.Logging, logging);
}

function assertNotCaptured(created: KubeObject) {
  assert.equal(created.spec.schedulerName, 'default-scheduler');
  assert.equal(created.spec.priorityClassName, undefined);
  assert.equal(created.spec.priority, 0);
  assert.equal(created.metadata.annotations?.Logging, undefined);
}

before(async () => {
  api = await startTestApi();
  client = inProcessClient(api.ctx);
  facts = new StaticClusterFacts();
  facts.setProfiles(profiles);
  admission = await registerFargateAdmission(api.ctx, facts);
  for (const ns of ['web', 'shared', 'team-a', 'labels', 'creating', 'deleting', 'later', 'plain']) {
    await createNamespace(ns);
  }
});
after(async () => {
  admission.close();
  await api.close();
});

const dsOwner = [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'ds-uid', controller: true }];
const rsOwner = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'rs-uid', controller: true }];

const cases: { title: string; pod: KubeObject; profile?: string }[] = [
  { title: 'a pod in a profile namespace is captured', pod: pod('web'), profile: 'web' },
  { title: 'a ReplicaSet-owned pod is captured', pod: pod('web', { ownerReferences: rsOwner }), profile: 'web' },
  { title: 'a pod no profile selects is left alone', pod: pod('plain') },
  { title: 'several matches: alphabetically first name', pod: pod('shared'), profile: 'beta-workload' },
  {
    title: 'wildcards in namespace, label key and value',
    pod: pod('team-a', { labels: { 'app.kubernetes.io/name': 'frontend' } }),
    profile: 'wild',
  },
  {
    title: 'wildcard value `?` is exactly one character',
    pod: pod('team-a', { labels: { 'app.kubernetes.io/name': 'frontnd' } }),
  },
  {
    title: 'a wildcard selector needs its namespace too',
    pod: pod('web', { labels: { 'app.kubernetes.io/name': 'frontend' } }),
    profile: 'web',
  },
  { title: 'all selector labels are needed', pod: pod('labels', { labels: { tier: 'web' } }) },
  {
    title: 'all selector labels plus extra ones match',
    pod: pod('labels', { labels: { tier: 'web', env: 'prod', extra: 'x' } }),
    profile: 'labelled',
  },
  {
    title: 'the explicit profile label picks a matching profile',
    pod: pod('shared', { labels: { [profileLabel]: 'prod-workload' } }),
    profile: 'prod-workload',
  },
  {
    title: 'the explicit profile label naming a non-matching profile: not captured',
    pod: pod('shared', { labels: { [profileLabel]: 'web' } }),
  },
  {
    title: 'the explicit profile label naming no profile: not captured',
    pod: pod('web', { labels: { [profileLabel]: 'nope' } }),
  },
  {
    title: 'annotation compute-type ec2 opts out',
    pod: pod('web', { annotations: { 'eks.amazonaws.com/compute-type': 'ec2' } }),
  },
  {
    title: 'annotation compute-type fargate (eksctl) does not opt out',
    pod: pod('web', { annotations: { 'eks.amazonaws.com/compute-type': 'fargate' } }),
    profile: 'web',
  },
  { title: 'a DaemonSet-owned pod is never captured', pod: pod('web', { ownerReferences: dsOwner }) },
  { title: 'a CREATING profile captures nothing', pod: pod('creating') },
  { title: 'DELETING and CREATE_FAILED profiles capture nothing', pod: pod('deleting') },
];

describe('capture', () => {
  for (const c of cases) {
    it(c.title, async () => {
      const created = await client.create(c.pod);
      const stored = await client.get(podRef(created.metadata.namespace!), created.metadata.name!);
      if (c.profile) assertCaptured(stored, c.profile);
      else assertNotCaptured(stored);
      if (!c.profile) {
        assert.equal(stored.metadata.labels?.[profileLabel], c.pod.metadata.labels?.[profileLabel]);
      }
    });
  }

  it('captures a pod created over HTTPS, with the user’s own scheduler and priority replaced', async () => {
    const http = new HttpKubeClient({ server: api.server.url, ca: api.caCert, token: api.token });
    const body = pod('web');
    body.spec.schedulerName = 'my-scheduler';
    body.spec.priorityClassName = 'system-cluster-critical';
    const created = await http.create(body);
    assertCaptured(created, 'web');
  });

  it('only pod CREATE is mutated: an update keeps what the pod has', async () => {
    const created = await client.create(pod('plain'));
    const updated = await client.update({ ...created, metadata: { ...created.metadata, labels: { a: 'b' } } });
    assertNotCaptured(updated);
  });

  it('follows profile changes: a new ACTIVE profile captures new pods, existing pods are not moved', async () => {
    const before = await client.create(pod('later'));
    assertNotCaptured(before);
    facts.setProfiles([...profiles, profile('later', [{ namespace: 'later' }])]);
    assert.deepEqual(
      admission.activeProfiles().map((p) => p.name),
      ['web', 'prod-workload', 'beta-workload', 'wild', 'labelled', 'later'],
    );
    const still = await client.get(podRef('later'), before.metadata.name!);
    assertNotCaptured(still);
    assert.equal(still.metadata.resourceVersion, before.metadata.resourceVersion);
    assertCaptured(await client.create(pod('later')), 'later');
    facts.setProfiles(profiles);
    assertNotCaptured(await client.create(pod('later')));
  });

  it('dryRun returns the captured pod and stores nothing', async () => {
    const body = pod('web');
    const answered = await client.create(body, { dryRun: true });
    assertCaptured(answered, 'web');
    await assert.rejects(client.get(podRef('web'), body.metadata.name!), (e: any) => e.code === 404);
  });

  it('non-pod objects pass untouched', async () => {
    const cm = await client.create<KubeObject>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cm', namespace: 'web' },
      data: { a: 'b' },
    });
    assert.equal(cm.metadata.labels, undefined);
    assert.equal(cm.metadata.annotations, undefined);
  });
});

describe('logging annotation', () => {
  it('stays disabled while aws-observability lacks its label, even with the ConfigMap', async () => {
    await createNamespace('aws-observability');
    await client.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'aws-logging', namespace: 'aws-observability' },
      data: { 'output.conf': '[OUTPUT]\n    Name cloudwatch_logs\n    Match *\n' },
    });
    assertCaptured(await client.create(pod('web')), 'web', disabled);
  });

  it('is LoggingEnabled when the labelled namespace holds aws-logging', async () => {
    const ns = await client.get({ apiVersion: 'v1', kind: 'Namespace' }, 'aws-observability');
    await client.update({ ...ns, metadata: { ...ns.metadata, labels: { 'aws-observability': 'enabled' } } });
    assertCaptured(await client.create(pod('web')), 'web', 'LoggingEnabled');
  });

  it('goes back to disabled when the ConfigMap is deleted', async () => {
    await client.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'aws-observability' }, 'aws-logging');
    assertCaptured(await client.create(pod('web')), 'web', disabled);
  });

  it('is not written on pods Fargate does not capture', async () => {
    assertNotCaptured(await client.create(pod('plain')));
  });
});
