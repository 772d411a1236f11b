// CronJob concurrency policies (Allow, Forbid, Replace) and job history limits against the real in-process API
// with a fake clock.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { until } from '../../testing/until.js';
import { createdAt, cronRef, minute, nextMinute, startCronHarness } from './testing.js';

let h: Awaited<ReturnType<typeof startCronHarness>>;
before(async () => {
  h = await startCronHarness();
});
after(() => h.close());

it('with concurrencyPolicy Forbid skips a run while the previous one is active', async () => {
  const cronJob = await h.createCronJob('forbid', '* * * * *', { concurrencyPolicy: 'Forbid' });
  const first = nextMinute(createdAt(cronJob));
  await h.at(first + 1000);
  await h.jobCount('forbid', 1);
  await h.at(first + minute + 1000);
  await h.cron.queue.drained();
  assert.equal((await h.jobsOf('forbid')).length, 1);
  assert.deepEqual(await h.events('forbid', 'JobAlreadyActive'), [
    'Not starting job because prior execution is running and concurrency policy is Forbid',
  ]);
  await h.suspend('forbid');
});

it('with concurrencyPolicy Replace deletes the active Job and starts the new one', async () => {
  const cronJob = await h.createCronJob('replace', '* * * * *', { concurrencyPolicy: 'Replace' });
  const first = nextMinute(createdAt(cronJob));
  await h.at(first + 1000);
  const [old] = await h.jobCount('replace', 1);
  await h.at(first + minute + 1000);
  const [current] = await h.jobCount('replace', 1);
  assert.equal(current.metadata.name, `replace-${first / minute + 1}`);
  assert.deepEqual(await h.events('replace', 'SuccessfulDelete'), [`Deleted job ${old.metadata.name}`]);
  const status = (await h.client.get(cronRef, 'replace')).status;
  assert.deepEqual(
    status.active.map((ref: any) => ref.name),
    [current.metadata.name],
  );
  await h.suspend('replace');
});

it('with concurrencyPolicy Allow runs Jobs side by side', async () => {
  const cronJob = await h.createCronJob('allow', '* * * * *');
  const first = nextMinute(createdAt(cronJob));
  await h.at(first + 1000);
  await h.jobCount('allow', 1);
  await h.at(first + minute + 1000);
  await h.jobCount('allow', 2);
  const status = (await h.client.get(cronRef, 'allow')).status;
  assert.equal(status.active.length, 2);
  await h.suspend('allow');
});

it('keeps successfulJobsHistoryLimit and failedJobsHistoryLimit finished Jobs', async () => {
  const cronJob = await h.createCronJob('history', '* * * * *', {
    successfulJobsHistoryLimit: 1,
    failedJobsHistoryLimit: 1,
  });
  const first = nextMinute(createdAt(cronJob));
  const outcomes: ('Complete' | 'Failed')[] = ['Complete', 'Failed', 'Complete', 'Failed'];
  for (const [i, outcome] of outcomes.entries()) {
    await h.at(first + i * minute + 1000);
    const name = `history-${first / minute + i}`;
    await until(async () => (await h.jobsOf('history')).some((job) => job.metadata.name === name), name);
    await h.finishJob(name, outcome, new Date(Date.now() + i * 1000).toISOString().replace(/\.\d+Z$/, 'Z'));
  }
  await h.at(first + 4 * minute - 1000);
  const kept = await until(async () => {
    const current = (await h.jobsOf('history')).filter((job) => !job.metadata.deletionTimestamp);
    return current.length === 2 && current;
  }, 'two jobs kept');
  assert.deepEqual(
    kept.map((job) => job.metadata.name),
    [`history-${first / minute + 2}`, `history-${first / minute + 3}`],
  );
  const deleted = await h.events('history', 'SuccessfulDelete');
  assert.deepEqual(deleted.sort(), [
    `Deleted job history-${first / minute}`,
    `Deleted job history-${first / minute + 1}`,
  ]);
  await h.suspend('history');
});
