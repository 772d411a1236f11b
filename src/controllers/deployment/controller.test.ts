// The Deployment controller with the ReplicaSet controller against the real in-process API: create → RS → pods,
// rolling updates within maxSurge/maxUnavailable (pod counts recorded), Recreate, status, scale, pause, history.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { inProcessClient } from '../../kube/index.js';
import { startTestApi, type TestApi } from '../../kube/testing/api.js';
import { until } from '../../testing/until.js';
import { ReplicaSetController } from '../replicaset/controller.js';
import { DeploymentController } from './controller.js';

const ns = 'default';
const podRef = { apiVersion: 'v1', kind: 'Pod', namespace: ns };
const rsRef = { apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: ns };
const deployRef = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns };
let api: TestApi;
let client: KubeClient;
let replicaSets: ReplicaSetController;
let deployments: DeploymentController;
const errors: unknown[] = [];
/** Apps whose pods the test "kubelet" makes Running and Ready as they appear. */
const autoReady = new Set<string>();
let kubelet: NodeJS.Timeout;

before(async () => {
  api = await startTestApi();
  client = inProcessClient(api.ctx);
  replicaSets = new ReplicaSetController(client, { onError: (error) => errors.push(error) });
  deployments = new DeploymentController(client, { onError: (error) => errors.push(error) });
  await replicaSets.start();
  await deployments.start();
  kubelet = setInterval(() => runReadyPods().catch(() => {}), 25);
});
after(async () => {
  clearInterval(kubelet);
  deployments.stop();
  replicaSets.stop();
  await api.close();
});

/** What a kubelet would write through the status subresource: Running and Ready. */
async function makeReady(pod: KubeObject): Promise<void> {
  const since = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  pod.status = {
    ...pod.status,
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: since }],
  };
  await client.update(pod, { subresource: 'status' });
}

async function runReadyPods(): Promise<void> {
  for (const pod of (await client.list(podRef)).items) {
    if (!autoReady.has(pod.metadata.labels?.app ?? '') || pod.status?.phase === 'Running') continue;
    await makeReady(pod).catch(() => {});
  }
}

function deployment(name: string, replicas: number, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } },
      ...spec,
    },
  };
}

async function livePods(app: string): Promise<KubeObject[]> {
  const list = await client.list(podRef, { labelSelector: `app=${app}` });
  return list.items.filter((p) => !p.metadata.deletionTimestamp);
}

async function setsOf(app: string): Promise<KubeObject[]> {
  const list = await client.list(rsRef, { labelSelector: `app=${app}` });
  return list.items.sort(
    (a, b) =>
      Number(a.metadata.annotations?.['deployment.kubernetes.io/revision']) -
      Number(b.metadata.annotations?.['deployment.kubernetes.io/revision']),
  );
}

/** Watches the app's pods through a rollout, recording the most live and the fewest ready pods at any moment. */
async function recordRollout(app: string, replicas: number, patch: unknown) {
  const pods = new Map<string, KubeObject>();
  for (const pod of await livePods(app)) pods.set(pod.metadata.name!, pod);
  let maxLive = pods.size;
  let minReady = pods.size;
  let events = 0;
  const isReady = (p: KubeObject) => p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');
  const list = await client.list(podRef, { labelSelector: `app=${app}` });
  const watcher = await client.watch(
    podRef,
    { labelSelector: `app=${app}`, resourceVersion: list.metadata.resourceVersion },
    (event) => {
      const pod = event.object as KubeObject;
      events++;
      if (event.type === 'DELETED' || pod.metadata.deletionTimestamp) pods.delete(pod.metadata.name!);
      else pods.set(pod.metadata.name!, pod);
      maxLive = Math.max(maxLive, pods.size);
      minReady = Math.min(minReady, [...pods.values()].filter(isReady).length);
    },
  );
  await client.patch(deployRef, app, patch, 'strategic');
  const done = await rolledOut(app, replicas);
  watcher.close();
  return { maxLive, minReady, events, done };
}

const condition = (d: KubeObject, type: string) => d.status?.conditions?.find((c: { type: string }) => c.type === type);

async function rolledOut(name: string, replicas: number): Promise<KubeObject> {
  return until(async () => {
    const d = await client.get(deployRef, name);
    const s = d.status ?? {};
    const done =
      s.observedGeneration === d.metadata.generation &&
      s.updatedReplicas === replicas &&
      s.replicas === replicas &&
      s.availableReplicas === replicas &&
      condition(d, 'Progressing')?.reason === 'NewReplicaSetAvailable';
    return done && d;
  }, `${name} rolled out at ${replicas}`);
}

async function scalingEvents(name: string): Promise<string[]> {
  const list = await client.list({ apiVersion: 'v1', kind: 'Event', namespace: ns });
  return list.items
    .filter((e) => e.involvedObject?.name === name && e.reason === 'ScalingReplicaSet')
    .sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1))
    .map((e) => e.message);
}

it('creates a ReplicaSet named by pod-template-hash, its pods, revision 1, status and conditions', async () => {
  const created = await client.create(deployment('web', 3));
  const [rs] = await until(async () => {
    const sets = await setsOf('web');
    return sets.length === 1 && sets;
  }, 'one replica set');
  const hash = rs.metadata.labels?.['pod-template-hash'];
  assert.match(hash!, /^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
  assert.equal(rs.metadata.name, `web-${hash}`);
  assert.deepEqual(rs.spec.selector.matchLabels, { app: 'web', 'pod-template-hash': hash });
  assert.equal(rs.spec.template.metadata.labels['pod-template-hash'], hash);
  assert.equal(rs.metadata.ownerReferences?.[0].uid, created.metadata.uid);
  assert.equal(rs.metadata.ownerReferences?.[0].kind, 'Deployment');
  assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
  assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '3');
  assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/max-replicas'], '4');
  const pods = await until(async () => {
    const p = await livePods('web');
    return p.length === 3 && p;
  }, 'three pods');
  for (const pod of pods) assert.equal(pod.metadata.labels?.['pod-template-hash'], hash);

  const pending = await until(async () => {
    const d = await client.get(deployRef, 'web');
    return d.status?.replicas === 3 && condition(d, 'Available') && d;
  }, 'status with three unavailable replicas');
  assert.equal(pending.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
  assert.equal(pending.status.unavailableReplicas, 3);
  assert.equal(pending.status.updatedReplicas, 3);
  assert.deepEqual(
    [
      condition(pending, 'Available').status,
      condition(pending, 'Available').reason,
      condition(pending, 'Available').message,
    ],
    ['False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.'],
  );
  const progressing = condition(pending, 'Progressing');
  const messages: Record<string, string> = {
    NewReplicaSetCreated: `Created new replica set "web-${hash}"`,
    ReplicaSetUpdated: `ReplicaSet "web-${hash}" is progressing.`,
  };
  assert.equal(progressing.status, 'True');
  assert.equal(progressing.message, messages[progressing.reason]);

  for (const pod of pods) await makeReady(pod);
  const done = await rolledOut('web', 3);
  assert.equal(done.status.readyReplicas, 3);
  assert.equal(done.status.unavailableReplicas ?? 0, 0);
  assert.equal(condition(done, 'Available').reason, 'MinimumReplicasAvailable');
  assert.equal(condition(done, 'Available').message, 'Deployment has minimum availability.');
  assert.equal(condition(done, 'Progressing').message, `ReplicaSet "web-${hash}" has successfully progressed.`);
  assert.deepEqual(await scalingEvents('web'), [`Scaled up replica set web-${hash} from 0 to 3`]);
});

it('rolls a template change over within maxSurge and maxUnavailable, then undoes it by revision', async () => {
  autoReady.add('roll');
  const rolling = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } };
  await client.create(deployment('roll', 4, { strategy: rolling }));
  await rolledOut('roll', 4);
  const image = { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } } };
  const { maxLive, minReady, events: seen, done } = await recordRollout('roll', 4, image);
  console.log(
    `rolling 4 replicas (surge 1, unavailable 1): ${seen} pod events, max live ${maxLive}, min ready ${minReady}`,
  );
  assert.equal(maxLive, 5, 'replicas + maxSurge pods at the peak');
  assert.equal(minReady, 3, 'replicas - maxUnavailable ready at the trough');
  const [first, second] = await setsOf('roll');
  assert.equal(second.metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
  assert.equal(second.spec.replicas, 4);
  assert.equal(first.spec.replicas, 0);
  assert.equal(done.metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
  const pods = await livePods('roll');
  assert.ok(pods.every((p) => p.spec.containers[0].image === 'nginx:1.27'));
  const events = await scalingEvents('roll');
  assert.ok(events.includes(`Scaled up replica set ${second.metadata.name} from 0 to 1`), events.join('\n'));
  assert.ok(
    events.some((e) => e.startsWith(`Scaled down replica set ${first.metadata.name} from 4 to `)),
    events.join('\n'),
  );

  // `kubectl rollout undo`: kubectl copies revision 1's template back; that RS becomes revision 3.
  const template = structuredClone(first.spec.template);
  delete template.metadata.labels['pod-template-hash'];
  await client.patch(deployRef, 'roll', [{ op: 'replace', path: '/spec/template', value: template }], 'json');
  const undone = await rolledOut('roll', 4);
  const sets = await setsOf('roll');
  assert.equal(sets.length, 2);
  const back = sets.find((rs) => rs.metadata.name === first.metadata.name)!;
  assert.equal(back.metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
  assert.equal(back.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1');
  assert.equal(back.spec.replicas, 4);
  assert.equal(undone.metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
  assert.ok((await livePods('roll')).every((p) => p.spec.containers[0].image === 'nginx:1.25'));
});

it('rounds 25% surge up and 25% unavailable down (10 replicas: at most 13 pods, at least 8 ready)', async () => {
  autoReady.add('pct');
  await client.create(deployment('pct', 10));
  await rolledOut('pct', 10);
  const image = { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } } };
  const { maxLive, minReady, events } = await recordRollout('pct', 10, image);
  console.log(`rolling 10 replicas (25%/25%): ${events} pod events, max live ${maxLive}, min ready ${minReady}`);
  assert.ok(maxLive <= 13 && maxLive > 10, `peak ${maxLive}`);
  assert.ok(minReady >= 8 && minReady < 10, `trough ${minReady}`);
});

it('marks a rollout that makes no progress ProgressDeadlineExceeded', async () => {
  const created = await client.create(deployment('stuck', 1, { progressDeadlineSeconds: 1 }));
  const d = await until(
    async () => {
      const current = await client.get(deployRef, 'stuck');
      return condition(current, 'Progressing')?.reason === 'ProgressDeadlineExceeded' && current;
    },
    'the deadline to pass',
    8000,
  );
  const [rs] = await setsOf('stuck');
  assert.equal(condition(d, 'Progressing').status, 'False');
  assert.equal(condition(d, 'Progressing').message, `ReplicaSet "${rs.metadata.name}" has timed out progressing.`);
  assert.equal(condition(d, 'Available').status, 'False');
  assert.equal(created.metadata.name, 'stuck');
});

it('Recreate scales the old ReplicaSet to zero before the new one comes up', async () => {
  autoReady.add('re');
  await client.create(deployment('re', 2, { strategy: { type: 'Recreate' } }));
  await rolledOut('re', 2);
  const [old] = await setsOf('re');
  const overlap: number[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const pods = await livePods('re');
      overlap.push(new Set(pods.map((p) => p.metadata.labels?.['pod-template-hash'])).size);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  await client.patch(
    deployRef,
    're',
    { spec: { template: { metadata: { labels: { app: 're', v: '2' } } } } },
    'strategic',
  );
  await rolledOut('re', 2);
  sampling = false;
  await sampler;
  assert.ok(Math.max(...overlap) <= 1, 'never pods of two revisions at once');
  const events = await scalingEvents('re');
  const down = events.indexOf(`Scaled down replica set ${old.metadata.name} from 2 to 0`);
  const up = events.findIndex((e) => e.startsWith('Scaled up replica set') && !e.includes(old.metadata.name!));
  assert.ok(down >= 0 && up > down, events.join('\n'));
});

it('scales to zero and back without a new revision', async () => {
  autoReady.add('scale');
  await client.create(deployment('scale', 2));
  await rolledOut('scale', 2);
  await client.patch(deployRef, 'scale', { spec: { replicas: 0 } }, 'merge');
  await rolledOut('scale', 0);
  await until(async () => (await livePods('scale')).length === 0, 'no pods');
  await client.patch(deployRef, 'scale', { spec: { replicas: 5 } }, 'merge');
  await rolledOut('scale', 5);
  const sets = await setsOf('scale');
  assert.equal(sets.length, 1);
  assert.equal(sets[0].metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '5');
  assert.equal(sets[0].metadata.annotations?.['deployment.kubernetes.io/max-replicas'], '7');
  const name = sets[0].metadata.name;
  assert.deepEqual((await scalingEvents('scale')).slice(1), [
    `Scaled down replica set ${name} from 2 to 0`,
    `Scaled up replica set ${name} from 0 to 5`,
  ]);
});

it('scales proportionally across ReplicaSets in mid-rollout', async () => {
  autoReady.add('prop');
  await client.create(deployment('prop', 10));
  await rolledOut('prop', 10);
  autoReady.delete('prop');
  const image = { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } } };
  await client.patch(deployRef, 'prop', image, 'strategic');
  const sizes = async () => (await setsOf('prop')).map((rs) => rs.spec.replicas as number);
  // old down by maxUnavailable (2) to 8, new up to the surge limit: 13 - 8 = 5
  await until(async () => JSON.stringify(await sizes()) === '[8,5]', 'old at 8 and new at 5 (13 = 10 + 25% surge)');
  await client.patch(deployRef, 'prop', { spec: { replicas: 20 } }, 'merge');
  const [old, fresh] = await until(async () => {
    const s = await sizes();
    return s[0] + s[1] === 25 && s;
  }, '25 replicas in all (20 + 25% surge)');
  console.log(`proportional scale 10 → 20 mid-rollout: old ${old}, new ${fresh}`);
  assert.ok(old > 8 && fresh > 5, `both grew: old ${old}, new ${fresh}`);
  autoReady.add('prop');
  await rolledOut('prop', 20);
  assert.deepEqual(await sizes(), [0, 20]);
});

it('does not roll out while paused, and does on resume', async () => {
  autoReady.add('paused');
  await client.create(deployment('paused', 2));
  await rolledOut('paused', 2);
  await client.patch(deployRef, 'paused', { spec: { paused: true } }, 'merge');
  await until(
    async () => condition(await client.get(deployRef, 'paused'), 'Progressing')?.reason === 'DeploymentPaused',
    'paused condition',
  );
  const paused = await client.get(deployRef, 'paused');
  assert.equal(condition(paused, 'Progressing').status, 'Unknown');
  assert.equal(condition(paused, 'Progressing').message, 'Deployment is paused');
  await client.patch(
    deployRef,
    'paused',
    { spec: { template: { metadata: { labels: { app: 'paused', v: '2' } } } } },
    'strategic',
  );
  await until(async () => {
    const d = await client.get(deployRef, 'paused');
    return d.status?.observedGeneration === d.metadata.generation;
  }, 'the paused change observed');
  await new Promise((r) => setTimeout(r, 200));
  assert.equal((await setsOf('paused')).length, 1);
  await client.patch(deployRef, 'paused', { spec: { paused: false } }, 'merge');
  await rolledOut('paused', 2);
  assert.equal((await setsOf('paused')).length, 2);
});

it('keeps only revisionHistoryLimit old ReplicaSets', async () => {
  autoReady.add('hist');
  await client.create(deployment('hist', 1, { revisionHistoryLimit: 1 }));
  // Revision 1 is the created template only if the controller sees it before the first change.
  await rolledOut('hist', 1);
  for (const v of ['1', '2', '3']) {
    await client.patch(deployRef, 'hist', { spec: { template: { metadata: { annotations: { v } } } } }, 'strategic');
    await rolledOut('hist', 1);
  }
  const sets = await until(async () => {
    const s = await setsOf('hist');
    return s.length === 2 && s;
  }, 'one old replica set kept');
  assert.deepEqual(
    sets.map((rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision']),
    ['3', '4'],
  );
  assert.deepEqual(
    errors.filter((e: any) => e?.code !== 409),
    [],
  );
});
