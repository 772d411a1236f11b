// A test harness for the CronJob controller: the real in-process API with the garbage collector, the Job
// controller, and a CronJob controller on a fake clock; helpers to move the clock, create CronJobs and read
// their Jobs and events, and finish a Job as the Job controller would.
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { inProcessClient, namespacedResources } from '../../kube/index.js';
import { startTestApi } from '../../kube/testing/api.js';
import { until } from '../../testing/until.js';
import { GarbageCollector } from '../garbagecollector/controller.js';
import { JobController } from '../job/controller.js';
import { CronJobController } from './controller.js';

export const ns = 'default';
export const cronRef = { apiVersion: 'batch/v1', kind: 'CronJob', namespace: ns };
export const jobRef = { apiVersion: 'batch/v1', kind: 'Job', namespace: ns };
export const minute = 60_000;
export const createdAt = (cronJob: KubeObject) => Date.parse(cronJob.metadata.creationTimestamp!);
export const nextMinute = (ms: number) => Math.floor(ms / minute) * minute + minute;

export async function startCronHarness() {
  const api = await startTestApi();
  api.ctx.garbageCollector = true;
  const client: KubeClient = inProcessClient(api.ctx);
  const errors: unknown[] = [];
  let fakeNow = Date.now();
  const cron = new CronJobController(client, { now: () => fakeNow, onError: (error) => errors.push(error) });
  const jobs = new JobController(client, { onError: (error) => errors.push(error) });
  const gc = new GarbageCollector(client, () => namespacedResources(api.ctx));
  await Promise.all([cron.start(), jobs.start(), gc.start()]);

  async function jobsOf(cronJob: string): Promise<KubeObject[]> {
    const list = await client.list(jobRef);
    return list.items
      .filter((job) => job.metadata.ownerReferences?.some((ref) => ref.kind === 'CronJob' && ref.name === cronJob))
      .sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
  }

  return {
    client,
    cron,
    errors,
    async close() {
      cron.stop();
      jobs.stop();
      gc.stop();
      await api.close();
    },
    /** Creates a CronJob with the fake clock back at the real time, as the API stamps creation with it. */
    async createCronJob(name: string, schedule: string, spec: Record<string, unknown> = {}): Promise<KubeObject> {
      fakeNow = Date.now();
      const created = await client.create({
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name, namespace: ns },
        spec: {
          schedule,
          jobTemplate: {
            metadata: { labels: { app: name }, annotations: { team: 'batch' } },
            spec: {
              template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36' }] } },
            },
          },
          ...spec,
        },
      });
      await cron.queue.drained();
      return created;
    },
    /** Moves the fake clock and has the controller look at every CronJob. */
    async at(ms: number): Promise<void> {
      fakeNow = ms;
      cron.resync();
      await cron.queue.drained();
    },
    jobsOf,
    async jobCount(cronJob: string, count: number): Promise<KubeObject[]> {
      return until(async () => {
        const current = (await jobsOf(cronJob)).filter((job) => !job.metadata.deletionTimestamp);
        return current.length === count && current;
      }, `${count} jobs of ${cronJob}`);
    },
    async events(name: string, reason: string): Promise<string[]> {
      const list = await client.list({ apiVersion: 'v1', kind: 'Event', namespace: ns });
      return list.items.filter((e) => e.involvedObject?.name === name && e.reason === reason).map((e) => e.message);
    },
    /** Finishes a Job as the Job controller would have, retrying when the Job controller writes at the same time. */
    async finishJob(name: string, type: 'Complete' | 'Failed', startTime: string): Promise<void> {
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      await until(async () => {
        const job = await client.get(jobRef, name);
        job.status = {
          startTime,
          ...(type === 'Complete' ? { completionTime: now, succeeded: 1 } : { failed: 1 }),
          conditions: [{ type, status: 'True', lastProbeTime: now, lastTransitionTime: now }],
        };
        return client.update(job, { subresource: 'status' }).then(
          () => true,
          () => false,
        );
      }, `finish ${name}`);
    },
    async suspend(name: string): Promise<void> {
      const current = await client.get(cronRef, name);
      await client.update({ ...current, spec: { ...current.spec, suspend: true } });
    },
  };
}
