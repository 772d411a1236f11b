// The Fargate profile controller against the real API, with the Fargate admission and the ReplicaSet controller:
// a profile leaving ACTIVE or going away stops its pods, and the re-created pods are admitted as EKS does.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { registerFargateAdmission } from '../../admission/fargate/register.js';
import type { ProfileInfo } from '../../cloud/facts.js';
import { StaticClusterFacts } from '../../cloud/static.js';
import type { ProfileStatus } from '../../fargate/profile-validation.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { inProcessClient } from '../../kube/index.js';
import { startTestApi, type TestApi } from '../../kube/testing/api.js';
import { until } from '../../testing/until.js';
import { ReplicaSetController } from '../replicaset/controller.js';
import { FargateProfileController } from './controller.js';

const profileLabel = 'eks.amazonaws.com/fargate-profile';
const podRef = (namespace: string) => ({ apiVersion: 'v1', kind: 'Pod', namespace });
let api: TestApi;
let client: KubeClient;
let facts: StaticClusterFacts;
let replicaSets: ReplicaSetController;
let controller: FargateProfileController;
const errors: unknown[] = [];

function profile(name: string, namespace: string, status: ProfileStatus = 'ACTIVE'): ProfileInfo {
  return {
    name,
    status,
    selectors: [{ namespace }],
    subnets: ['subnet-0private0a'],
    podExecutionRoleArn: 'arn:aws:iam::000000000000:role/pod-execution',
  };
}

function pod(namespace: string, name: string, annotations?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, annotations },
    spec: { containers: [{ name: 'c', image: 'nginx' }] },
  };
}

async function livePods(namespace: string, selector?: string): Promise<KubeObject[]> {
  const list = await client.list(podRef(namespace), { labelSelector: selector });
  return list.items.filter((p) => !p.metadata.deletionTimestamp);
}

const gone = async (namespace: string, name: string, uid?: string) => {
  try {
    const current = await client.get(podRef(namespace), name);
    return uid !== undefined && current.metadata.uid !== uid;
  } catch (error: any) {
    return error.code === 404;
  }
};

function startController(): Promise<void> {
  controller = new FargateProfileController(client, facts, { onError: (error) => errors.push(error) });
  return controller.start();
}

before(async () => {
  api = await startTestApi();
  client = inProcessClient(api.ctx);
  facts = new StaticClusterFacts();
  facts.setProfiles([profile('a-first', 'apps'), profile('b-second', 'apps'), profile('solo', 'solo')]);
  await registerFargateAdmission(api.ctx, facts);
  for (const name of ['apps', 'solo']) await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  replicaSets = new ReplicaSetController(client, { onError: (error) => errors.push(error) });
  await replicaSets.start();
  await startController();
});
after(async () => {
  controller.stop();
  replicaSets.stop();
  await api.close();
  assert.deepEqual(errors, []);
});

it('a DELETING profile stops its pods; the ReplicaSet’s new pods go to the next matching profile', async () => {
  await client.create({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web', namespace: 'apps' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    },
  });
  const first = await until(async () => {
    const pods = await livePods('apps', 'app=web');
    return pods.length === 2 && pods;
  }, 'two pods of web');
  for (const p of first) assert.equal(p.metadata.labels?.[profileLabel], 'a-first');
  const optedOut = await client.create(pod('apps', 'ec2-pod', { 'eks.amazonaws.com/compute-type': 'ec2' }));

  facts.setProfiles([profile('a-first', 'apps', 'DELETING'), profile('b-second', 'apps'), profile('solo', 'solo')]);

  const firstUids = new Set(first.map((p) => p.metadata.uid));
  const replaced = await until(async () => {
    const pods = await livePods('apps', 'app=web');
    return pods.length === 2 && pods.every((p) => !firstUids.has(p.metadata.uid)) && pods;
  }, 'web pods replaced');
  for (const p of replaced) {
    assert.equal(p.metadata.labels?.[profileLabel], 'b-second');
    assert.equal(p.spec.schedulerName, 'fargate-scheduler');
  }
  for (const p of first) assert.ok(await gone('apps', p.metadata.name!));
  const kept = await client.get(podRef('apps'), 'ec2-pod');
  assert.equal(kept.metadata.uid, optedOut.metadata.uid);
});

it('a profile that disappears stops its bare pods (nothing re-creates them); finished pods stay', async () => {
  const bare = await client.create(pod('solo', 'bare'));
  const done = await client.create(pod('solo', 'done'));
  assert.equal(bare.metadata.labels?.[profileLabel], 'solo');
  await client.update({ ...done, status: { ...done.status, phase: 'Succeeded' } }, { subresource: 'status' });

  facts.setProfiles([profile('a-first', 'apps', 'DELETING'), profile('b-second', 'apps')]);

  await until(() => gone('solo', 'bare'), 'bare pod deleted');
  const finished = await client.get(podRef('solo'), 'done');
  assert.equal(finished.status.phase, 'Succeeded');
  assert.equal(finished.metadata.deletionTimestamp, undefined);
});

it('with no matching profile left, the re-created pods stay with default-scheduler', async () => {
  const before = await livePods('apps', 'app=web');
  facts.setProfiles([]);
  const after = await until(async () => {
    const pods = await livePods('apps', 'app=web');
    return pods.length === 2 && pods.every((p) => !before.some((b) => b.metadata.uid === p.metadata.uid)) && pods;
  }, 'web pods re-created');
  for (const p of after) {
    assert.equal(p.spec.schedulerName, 'default-scheduler');
    assert.equal(p.metadata.labels?.[profileLabel], undefined);
  }
  assert.ok(!(await gone('apps', 'ec2-pod')));
});

it('at start, pods of a profile deleted while the controller was down are stopped', async () => {
  facts.setProfiles([profile('solo', 'solo')]);
  const orphaned = await client.create(pod('solo', 'late'));
  assert.equal(orphaned.metadata.labels?.[profileLabel], 'solo');
  controller.stop();
  facts.setProfiles([]);
  const uncaptured = await client.create(pod('solo', 'plain'));
  assert.equal(uncaptured.spec.schedulerName, 'default-scheduler');
  assert.ok(!(await gone('solo', 'late')));

  await startController();

  await until(() => gone('solo', 'late'), 'late pod deleted');
  assert.ok(!(await gone('solo', 'plain')));
});

it('a pod carrying the label of a non-ACTIVE profile but not captured by it is left alone', async () => {
  await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
  facts.setProfiles([profile('solo', 'solo', 'CREATING'), profile('sentinel', 'other')]);
  const labelled = await client.create<KubeObject>({
    ...pod('solo', 'wants-solo'),
    metadata: { name: 'wants-solo', namespace: 'solo', labels: { [profileLabel]: 'solo' } },
  });
  assert.equal(labelled.spec.schedulerName, 'default-scheduler');
  const sentinel = await client.create(pod('other', 'sentinel'));
  assert.equal(sentinel.metadata.labels?.[profileLabel], 'sentinel');

  facts.setProfiles([]);

  await until(() => gone('other', 'sentinel'), 'sentinel pod deleted');
  const still = await client.get(podRef('solo'), 'wants-solo');
  assert.equal(still.metadata.uid, labelled.metadata.uid);
});
