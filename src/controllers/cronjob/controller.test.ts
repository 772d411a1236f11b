// The CronJob controller against the real in-process API with a fake clock, beside the Job controller (the test
// is the kubelet): Jobs on schedule with their name, annotation and owner, time zones, startingDeadlineSeconds,
// suspend, a schedule that does not parse, and far-off schedule times.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { until } from '../../testing/until.js';
import { setPodPhase } from '../job/testing.js';
import { reconcileCronJob } from './reconcile.js';
import { createdAt, cronRef, jobRef, minute, nextMinute, ns, startCronHarness } from './testing.js';

let h: Awaited<ReturnType<typeof startCronHarness>>;
before(async () => {
  h = await startCronHarness();
});
after(() => h.close());

it('creates the Job for each schedule time and records it in status', async () => {
  const cronJob = await h.createCronJob('tick', '*/5 * * * *');
  await h.at(createdAt(cronJob));
  assert.equal((await h.jobsOf('tick')).length, 0, 'nothing before the first schedule time');
  const scheduled = Math.floor(createdAt(cronJob) / (5 * minute)) * 5 * minute + 5 * minute;
  await h.at(scheduled + 1000);
  const [job] = await h.jobCount('tick', 1);
  assert.equal(job.metadata.name, `tick-${scheduled / minute}`);
  assert.equal(
    job.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'],
    new Date(scheduled).toISOString().replace(/\.\d+Z$/, 'Z'),
  );
  assert.equal(job.metadata.annotations?.team, 'batch');
  assert.equal(job.metadata.labels?.app, 'tick');
  assert.deepEqual(job.metadata.ownerReferences, [
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      name: 'tick',
      uid: cronJob.metadata.uid,
      controller: true,
      blockOwnerDeletion: true,
    },
  ]);
  const status = (await h.client.get(cronRef, 'tick')).status;
  assert.equal(status.lastScheduleTime, new Date(scheduled).toISOString().replace(/\.\d+Z$/, 'Z'));
  assert.deepEqual(
    status.active.map((ref: any) => [ref.kind, ref.apiVersion, ref.name, ref.uid]),
    [['Job', 'batch/v1', job.metadata.name, job.metadata.uid]],
  );
  assert.deepEqual(await h.events('tick', 'SuccessfulCreate'), [`Created job ${job.metadata.name}`]);

  // The Job controller runs its pod; the test is the kubelet.
  const pod = await until(async () => {
    const pods = await h.client.list(
      { apiVersion: 'v1', kind: 'Pod', namespace: ns },
      { labelSelector: `job-name=${job.metadata.name}` },
    );
    return pods.items[0];
  }, 'pod of the scheduled job');
  await setPodPhase(h.client, pod, 'Succeeded');
  const done = await until(async () => {
    const current = await h.client.get(cronRef, 'tick');
    return current.status?.lastSuccessfulTime && !current.status.active && current;
  }, 'lastSuccessfulTime and no active job');
  const completed = await h.client.get(jobRef, job.metadata.name!);
  assert.equal(done.status.lastSuccessfulTime, completed.status.completionTime);
  assert.deepEqual(await h.events('tick', 'SawCompletedJob'), [
    `Saw completed job: ${job.metadata.name}, condition: Complete`,
  ]);

  await h.at(scheduled + 5 * minute + 1000);
  const two = await h.jobCount('tick', 2);
  assert.equal(two[1].metadata.name, `tick-${scheduled / minute + 5}`);
  await h.suspend('tick');
});

it('reads the schedule in spec.timeZone', async () => {
  const cronJob = await h.createCronJob('tokyo', '0 9 * * *', { timeZone: 'Asia/Tokyo' });
  // 09:00 in Tokyo is 00:00 UTC.
  const scheduled = Math.floor(createdAt(cronJob) / (24 * 60 * minute)) * 24 * 60 * minute + 24 * 60 * minute;
  await h.at(scheduled + 1000);
  const [job] = await h.jobCount('tokyo', 1);
  assert.equal(job.metadata.name, `tokyo-${scheduled / minute}`);
  const day = new Date(scheduled).toISOString().slice(0, 10);
  assert.equal(job.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], `${day}T09:00:00+09:00`);
  await h.suspend('tokyo');
});

it('skips schedule times older than startingDeadlineSeconds', async () => {
  const cronJob = await h.createCronJob('deadline', '* * * * *', { startingDeadlineSeconds: 10 });
  const first = nextMinute(createdAt(cronJob));
  await h.at(first + 30_000);
  assert.equal((await h.jobsOf('deadline')).length, 0, 'too late for the first run');
  await h.at(first + minute + 5_000);
  const [job] = await h.jobCount('deadline', 1);
  assert.equal(job.metadata.name, `deadline-${first / minute + 1}`);
  await h.suspend('deadline');
});

it('starts nothing while suspended, then the most recent missed run on resume', async () => {
  const cronJob = await h.createCronJob('paused', '* * * * *', { suspend: true });
  const first = nextMinute(createdAt(cronJob));
  await h.at(first + 3 * minute + 1000);
  assert.equal((await h.jobsOf('paused')).length, 0);
  const current = await h.client.get(cronRef, 'paused');
  await h.client.update({ ...current, spec: { ...current.spec, suspend: false } });
  const [job] = await h.jobCount('paused', 1);
  assert.equal(job.metadata.name, `paused-${first / minute + 3}`);
  await h.suspend('paused');
});

it('reports a schedule that does not parse', async () => {
  await h.createCronJob('broken', '61 * * * *');
  await until(async () => (await h.events('broken', 'UnparseableSchedule')).length > 0, 'UnparseableSchedule event');
  assert.deepEqual(await h.events('broken', 'UnparseableSchedule'), [
    'unparseable schedule: "61 * * * *" : end of range (61) above maximum (59): 61',
  ]);
  assert.equal((await h.jobsOf('broken')).length, 0);
  assert.deepEqual(h.errors, []);
});

it('looks again within the range of a timer for a yearly schedule', async () => {
  const cronJob = await h.createCronJob('yearly', '@yearly');
  const result = await reconcileCronJob(h.client, ns, 'yearly', () => createdAt(cronJob));
  assert.ok(result.requeueAfterMs !== undefined && result.requeueAfterMs > 0 && result.requeueAfterMs < 2 ** 31);
  await h.suspend('yearly');
});
