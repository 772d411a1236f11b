// The Job controller against the real in-process API, the test acting as kubelet: completions with bounded
// parallelism, the backoff limit, the active deadline, suspend, Indexed Jobs, finished pods staying, and the
// tracking finalizer released when a running Job is deleted.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { inProcessClient, namespacedResources } from '../../kube/index.js';
import { startTestApi, type TestApi } from '../../kube/testing/api.js';
import { until } from '../../testing/until.js';
import { GarbageCollector } from '../garbagecollector/controller.js';
import { JobController } from './controller.js';
import { jobManifest, setPodPhase } from './testing.js';

const ns = 'default';
const podRef = { apiVersion: 'v1', kind: 'Pod', namespace: ns };
const jobRef = { apiVersion: 'batch/v1', kind: 'Job', namespace: ns };
let api: TestApi;
let client: KubeClient;
let controller: JobController;
let gc: GarbageCollector;
const errors: unknown[] = [];

before(async () => {
  api = await startTestApi();
  api.ctx.garbageCollector = true;
  client = inProcessClient(api.ctx);
  controller = new JobController(client, { onError: (error) => errors.push(error), backoffBaseMs: 20 });
  gc = new GarbageCollector(client, () => namespacedResources(api.ctx));
  await controller.start();
  await gc.start();
});
after(async () => {
  controller.stop();
  gc.stop();
  await api.close();
});

async function podsOf(job: string): Promise<KubeObject[]> {
  const list = await client.list(podRef, { labelSelector: `batch.kubernetes.io/job-name=${job}` });
  return list.items;
}

const running = (pods: KubeObject[]) =>
  pods.filter((p) => !['Succeeded', 'Failed'].includes(p.status?.phase) && !p.metadata.deletionTimestamp);

async function condition(job: string, type: string): Promise<KubeObject> {
  return until(async () => {
    const current = await client.get(jobRef, job);
    return current.status?.conditions?.some((c: any) => c.type === type && c.status === 'True') && current;
  }, `${job} ${type}`);
}

async function events(name: string, reason: string): Promise<KubeObject[]> {
  const list = await client.list({ apiVersion: 'v1', kind: 'Event', namespace: ns });
  return list.items.filter((e) => e.involvedObject?.name === name && e.reason === reason);
}

/** Watches the Job's pods and records the most that were ever active at once. */
async function watchActive(job: string) {
  const phases = new Map<string, boolean>();
  const seen = { max: 0 };
  const watcher = await client.watch(podRef, { labelSelector: `batch.kubernetes.io/job-name=${job}` }, (event) => {
    const pod = event.object as KubeObject;
    const active = event.type !== 'DELETED' && running([pod]).length === 1;
    phases.set(pod.metadata.uid!, active);
    seen.max = Math.max(seen.max, [...phases.values()].filter(Boolean).length);
  });
  return { seen, close: () => watcher.close() };
}

it('runs completions 5 with parallelism 2, never more than 2 at once, and keeps the finished pods', async () => {
  const active = await watchActive('five');
  const job = await client.create(jobManifest('five', ns, { completions: 5, parallelism: 2 }));
  let finished = 0;
  while (finished < 5) {
    const pods = await until(async () => {
      const current = running(await podsOf('five'));
      return current.length > 0 && current;
    }, 'an active pod');
    assert.ok(pods.length <= 2, `${pods.length} active pods`);
    await setPodPhase(client, pods[0], 'Running');
    await setPodPhase(client, pods[0], 'Succeeded');
    finished++;
  }
  const done = await condition('five', 'Complete');
  active.close();
  assert.equal(active.seen.max, 2, 'at most (and at some point exactly) 2 pods were active at once');
  assert.equal(done.status.succeeded, 5);
  assert.equal(done.status.failed, undefined);
  assert.equal(done.status.active, undefined);
  assert.equal(done.status.ready, 0);
  assert.equal(done.status.terminating, 0);
  assert.deepEqual(done.status.uncountedTerminatedPods, {});
  assert.ok(done.status.startTime && done.status.completionTime);
  const conditions = done.status.conditions.map((c: any) => [c.type, c.status, c.reason, c.message]);
  assert.deepEqual(conditions, [
    ['SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
    ['Complete', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
  ]);
  const pods = await podsOf('five');
  assert.equal(pods.length, 5, 'finished pods stay while the Job exists');
  for (const pod of pods) {
    assert.match(pod.metadata.name!, /^five-[a-z0-9]{5}$/);
    assert.equal(pod.metadata.generateName, 'five-');
    assert.equal(pod.status.phase, 'Succeeded');
    assert.deepEqual(pod.metadata.finalizers ?? [], [], 'tracking finalizer removed once counted');
    assert.equal(pod.metadata.labels?.['batch.kubernetes.io/controller-uid'], job.metadata.uid);
    assert.equal(pod.metadata.labels?.['job-name'], 'five');
    assert.deepEqual(pod.metadata.ownerReferences, [
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        name: 'five',
        uid: job.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
  }
  assert.equal((await events('five', 'SuccessfulCreate')).length, 5);
  assert.ok((await events('five', 'SuccessfulCreate')).every((e) => /^Created pod: five-[a-z0-9]{5}$/.test(e.message)));
  assert.deepEqual(
    (await events('five', 'Completed')).map((e) => [e.type, e.message]),
    [['Normal', 'Job completed']],
  );
  await controller.queue.drained();
  assert.equal((await podsOf('five')).length, 5, 'still there after another sync');
});

it('stops a failing Job at its backoffLimit with the Failed condition', async () => {
  await client.create(jobManifest('flaky', ns, { backoffLimit: 2 }));
  for (let failures = 0; failures < 3; failures++) {
    const [pod] = await until(
      async () => {
        const current = running(await podsOf('flaky'));
        return current.length === 1 && current;
      },
      `active pod ${failures + 1}`,
    );
    assert.ok(pod.metadata.finalizers?.includes('batch.kubernetes.io/job-tracking'));
    await setPodPhase(client, pod, 'Failed');
  }
  const failed = await condition('flaky', 'Failed');
  assert.equal(failed.status.failed, 3);
  assert.equal(failed.status.succeeded, undefined);
  assert.equal(failed.status.completionTime, undefined);
  const conditions = failed.status.conditions.map((c: any) => [c.type, c.reason, c.message]);
  assert.deepEqual(conditions, [
    ['FailureTarget', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
    ['Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
  ]);
  const warnings = await events('flaky', 'BackoffLimitExceeded');
  assert.deepEqual(
    warnings.map((e) => [e.type, e.message]),
    [['Warning', 'Job has reached the specified backoff limit']],
  );
  await controller.queue.drained();
  const pods = await podsOf('flaky');
  assert.equal(pods.length, 3, 'no pod after the limit, and the failed ones stay');
  assert.ok(pods.every((p) => p.status.phase === 'Failed' && !p.metadata.finalizers?.length));
});

it('fails a Job active longer than activeDeadlineSeconds and deletes its running pods', async () => {
  await client.create(jobManifest('slow', ns, { activeDeadlineSeconds: 1, parallelism: 2, completions: 4 }));
  const pods = await until(async () => {
    const current = running(await podsOf('slow'));
    return current.length === 2 && current;
  }, 'two active pods');
  for (const pod of pods) await setPodPhase(client, pod, 'Running');
  const failed = await condition('slow', 'Failed');
  const last = failed.status.conditions.at(-1);
  assert.equal(last.reason, 'DeadlineExceeded');
  assert.equal(last.message, 'Job was active longer than specified deadline');
  assert.equal(failed.status.failed, 2, 'the running pods count as failed');
  assert.equal(failed.status.active, undefined);
  const warnings = await events('slow', 'DeadlineExceeded');
  assert.deepEqual(
    warnings.map((e) => e.message),
    ['Job was active longer than specified deadline'],
  );
  assert.equal((await events('slow', 'SuccessfulDelete')).length, 2);
  await until(async () => (await podsOf('slow')).length === 0, 'deleted running pods gone');
});

it('creates no pods while suspended and starts them on resume', async () => {
  await client.create(jobManifest('later', ns, { suspend: true, parallelism: 2, completions: 2 }));
  const suspended = await condition('later', 'Suspended');
  const cond = suspended.status.conditions.find((c: any) => c.type === 'Suspended');
  assert.deepEqual([cond.reason, cond.message], ['JobSuspended', 'Job suspended']);
  assert.equal(suspended.status.startTime, undefined);
  assert.equal((await podsOf('later')).length, 0);
  const current = await client.get(jobRef, 'later');
  await client.update({ ...current, spec: { ...current.spec, suspend: false } });
  await until(async () => running(await podsOf('later')).length === 2, 'two pods after resume');
  const resumed = await client.get(jobRef, 'later');
  const after = resumed.status.conditions.find((c: any) => c.type === 'Suspended');
  assert.deepEqual([after.status, after.reason, after.message], ['False', 'JobResumed', 'Job resumed']);
  assert.ok(resumed.status.startTime);
  assert.equal((await events('later', 'Suspended')).length, 1);
  assert.equal((await events('later', 'Resumed')).length, 1);
});

it('gives Indexed Job pods their completion index and records completedIndexes', async () => {
  await client.create(jobManifest('indexed', ns, { completionMode: 'Indexed', completions: 3, parallelism: 3 }));
  const pods = await until(async () => {
    const current = running(await podsOf('indexed'));
    return current.length === 3 && current;
  }, 'three indexed pods');
  const indexes = pods.map((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index']).sort();
  assert.deepEqual(indexes, ['0', '1', '2']);
  for (const pod of pods) {
    const index = pod.metadata.annotations!['batch.kubernetes.io/job-completion-index'];
    assert.equal(pod.metadata.labels?.['batch.kubernetes.io/job-completion-index'], index);
    assert.match(pod.metadata.name!, new RegExp(`^indexed-${index}-[a-z0-9]{5}$`));
    assert.equal(pod.spec.hostname, `indexed-${index}`);
    assert.deepEqual(pod.spec.containers[0].env, [
      {
        name: 'JOB_COMPLETION_INDEX',
        valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } },
      },
    ]);
  }
  const running3 = await until(async () => {
    const job = await client.get(jobRef, 'indexed');
    return job.status?.active === 3 && job;
  }, 'active 3');
  assert.deepEqual(Object.keys(running3.status).sort(), [
    'active',
    'ready',
    'startTime',
    'terminating',
    'uncountedTerminatedPods',
  ]);
  for (const pod of pods) await setPodPhase(client, pod, 'Succeeded');
  const done = await condition('indexed', 'Complete');
  assert.equal(done.status.completedIndexes, '0-2');
  assert.equal(done.status.succeeded, 3);
});

it('releases the tracking finalizer of a running Job deleted in the background, so its pods go', async () => {
  await client.create(jobManifest('dropped', ns, { parallelism: 2, completions: 2 }));
  await until(async () => running(await podsOf('dropped')).length === 2, 'two pods');
  await client.delete(jobRef, 'dropped', { propagationPolicy: 'Background' });
  await until(async () => (await podsOf('dropped')).length === 0, 'pods deleted');
  assert.deepEqual(errors, []);
});
