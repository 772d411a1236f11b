// Pod lifecycles through the agent and the simulated driver, against the real API: Job-like commands that finish
// (Succeeded/Failed), restart policies with CrashLoopBackOff, init containers in order, readiness after
// initialDelaySeconds, and graceful deletion honouring terminationGracePeriodSeconds.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../kube/api/types.js';
import { until } from '../testing/until.js';
import {
  eventsOf,
  type Harness,
  messagesOf,
  nodeObject,
  ns,
  podObject,
  podRef,
  podWhere,
  startHarness,
} from './testing/harness.js';

const node = 'ng-lifecycle';
let h: Harness;
const conditionsOf = (pod: KubeObject) =>
  Object.fromEntries(pod.status.conditions.map((c: any) => [c.type, `${c.status}${c.reason ? `/${c.reason}` : ''}`]));
const job = (name: string, command: string[], restartPolicy = 'Never') =>
  podObject(name, node, { restartPolicy, containers: [{ name: 'c', image: 'busybox:1.36', command }] });

before(async () => {
  h = await startHarness();
  const ips = Array.from({ length: 40 }, (_, i) => `10.0.2.${i + 10}`);
  await h.client.create(nodeObject(node, '10.0.2.5', { podIPs: ips }));
});
after(async () => {
  await h.close();
  assert.deepEqual(h.errors, []);
});

describe('commands that finish', () => {
  it('a command that exits 0 makes the pod Succeeded', async () => {
    await h.client.create(job('ok', ['sh', '-c', 'sleep 0.2; exit 0']));
    const pod = await podWhere(h.client, 'ok', (p) => p.status?.phase === 'Succeeded', 'Succeeded');
    const terminated = pod.status.containerStatuses[0].state.terminated;
    assert.equal(terminated.exitCode, 0);
    assert.equal(terminated.reason, 'Completed');
    assert.match(terminated.containerID, /^simulated:\/\//);
    assert.ok(Date.parse(terminated.finishedAt) >= Date.parse(terminated.startedAt));
    const released = await podWhere(
      h.client,
      'ok',
      (p) => conditionsOf(p).PodReadyToStartContainers === 'False',
      'sandbox released',
    );
    assert.deepEqual(conditionsOf(released), {
      PodReadyToStartContainers: 'False',
      Initialized: 'True/PodCompleted',
      Ready: 'False/PodCompleted',
      ContainersReady: 'False/PodCompleted',
      PodScheduled: 'True',
    });
    assert.equal(released.status.podIP, '10.0.2.10');
  });

  it('a command that exits non-zero makes a Never pod Failed', async () => {
    await h.client.create(job('fails', ['sh', '-c', 'exit 3']));
    const pod = await podWhere(h.client, 'fails', (p) => p.status?.phase === 'Failed', 'Failed');
    const terminated = pod.status.containerStatuses[0].state.terminated;
    assert.equal(terminated.exitCode, 3);
    assert.equal(terminated.reason, 'Error');
    assert.equal(conditionsOf(pod).Ready, 'False/PodFailed');
  });

  it('runs the classic Job example to completion', async () => {
    await h.client.create(
      podObject('pi', node, {
        restartPolicy: 'Never',
        containers: [
          { name: 'pi', image: 'perl:5.34.0', command: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)'] },
        ],
      }),
    );
    await podWhere(h.client, 'pi', (p) => p.status?.phase === 'Succeeded', 'Succeeded');
  });
});

describe('restarts', () => {
  it('OnFailure restarts a failing container with CrashLoopBackOff and BackOff events', async () => {
    await h.client.create(job('crash', ['sh', '-c', 'exit 1'], 'OnFailure'));
    const pod = await podWhere(
      h.client,
      'crash',
      (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff',
      'CrashLoopBackOff',
    );
    const [c] = pod.status.containerStatuses;
    assert.equal(pod.status.phase, 'Running');
    assert.ok(c.restartCount >= 1);
    assert.equal(c.lastState.terminated.exitCode, 1);
    assert.equal(c.lastState.terminated.reason, 'Error');
    const ref = `crash_${ns}(${pod.metadata.uid})`;
    assert.match(
      c.state.waiting.message,
      new RegExp(`^back-off \\d+ms restarting failed container=c pod=${ref.replace(/[()]/g, '\\$&')}$`),
    );
    const backOff = (await eventsOf(h.client, 'crash')).find((e) => e.reason === 'BackOff');
    assert.equal(backOff?.type, 'Warning');
    assert.equal(backOff?.message, `Back-off restarting failed container c in pod ${ref}`);
    const later = await podWhere(
      h.client,
      'crash',
      (p) => p.status.containerStatuses[0].restartCount >= 3,
      '3 restarts',
    );
    assert.equal(later.status.phase, 'Running');
    const series = await until(async () => {
      const events = (await eventsOf(h.client, 'crash')).filter((e) => e.reason === 'Started');
      return events.length === 1 && events[0].count >= 3 && events;
    }, 'Started events folded into one with a count');
    assert.equal(series[0].message, 'Started container c');
  });

  it('Always restarts a container that exits 0 and keeps its last state', async () => {
    await h.client.create(job('again', ['true'], 'Always'));
    const pod = await podWhere(
      h.client,
      'again',
      (p) => p.status?.containerStatuses?.[0]?.restartCount >= 2,
      'restarts',
    );
    assert.equal(pod.status.phase, 'Running');
    assert.equal(pod.status.containerStatuses[0].lastState.terminated.reason, 'Completed');
  });

  it('Never leaves a failed container alone', async () => {
    await h.client.create(job('once', ['false']));
    await podWhere(h.client, 'once', (p) => p.status?.phase === 'Failed', 'Failed');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const again = await h.client.get(podRef, 'once');
    assert.equal(again.status.phase, 'Failed');
    assert.equal(again.status.containerStatuses[0].restartCount, 0);
    assert.equal(again.status.containerStatuses[0].state.terminated.exitCode, 1);
  });
});

describe('activeDeadlineSeconds', () => {
  it('stops a pod active longer than its deadline and fails it with DeadlineExceeded', async () => {
    await h.client.create(podObject('deadline', node, { activeDeadlineSeconds: 1 }));
    const pod = await podWhere(
      h.client,
      'deadline',
      (p) => p.status?.phase === 'Failed' && p.status.containerStatuses?.[0]?.state?.terminated,
      'Failed with its container terminated',
    );
    assert.equal(pod.status.reason, 'DeadlineExceeded');
    assert.equal(pod.status.message, 'Pod was active on the node longer than the specified deadline');
    assert.ok(pod.status.containerStatuses[0].state.terminated);
    const events = messagesOf(await eventsOf(h.client, 'deadline'));
    assert.ok(events.includes('DeadlineExceeded: Pod was active on the node longer than the specified deadline'));
    // A container the deadline stopped was killed; one it caught before its start (a slow pull) is reported as
    // the kubelet's status manager reports it.
    const terminated = pod.status.containerStatuses[0].state.terminated;
    if (terminated.reason === 'ContainerStatusUnknown') assert.equal(terminated.exitCode, 137);
    else assert.ok(events.includes('Killing: Stopping container web'));
  });
});

describe('images', () => {
  it('reports a missing image as ErrImagePull, then ImagePullBackOff, with the kubelet events', async () => {
    await h.client.create(podObject('typo', node, { containers: [{ name: 'web', image: 'nginxx' }] }));
    const pod = await podWhere(
      h.client,
      'typo',
      (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff',
      'ImagePullBackOff',
    );
    assert.equal(pod.status.phase, 'Pending');
    assert.equal(pod.status.containerStatuses[0].state.waiting.message, 'Back-off pulling image "nginxx"');
    const events = messagesOf(await eventsOf(h.client, 'typo'));
    assert.equal(events[0], 'Pulling: Pulling image "nginxx" (simulated)');
    assert.match(
      events[1],
      /^Failed: Failed to pull image "nginxx": rpc error: code = NotFound desc = failed to pull and unpack image "docker\.io\/library\/nginxx:latest"/,
    );
    assert.equal(events[2], 'Failed: Error: ErrImagePull');
    assert.ok(events.includes('BackOff: Back-off pulling image "nginxx"'));
  });

  it('refuses to pull with imagePullPolicy Never when the image is absent', async () => {
    const container = { name: 'web', image: 'example.com/never-pulled:1', imagePullPolicy: 'Never' };
    await h.client.create(podObject('never', node, { containers: [container] }));
    const pod = await podWhere(
      h.client,
      'never',
      (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ErrImageNeverPull',
      'ErrImageNeverPull',
    );
    const message = 'Container image "example.com/never-pulled:1" is not present with pull policy of Never';
    assert.equal(pod.status.containerStatuses[0].state.waiting.message, message);
    assert.ok(messagesOf(await eventsOf(h.client, 'never')).includes(`ErrImageNeverPull: ${message}`));
  });
});

describe('init containers', () => {
  it('runs init containers in order, each to success, before the app container', async () => {
    await h.client.create(
      podObject('with-init', node, {
        initContainers: [
          { name: 'first', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 0.4'] },
          { name: 'second', image: 'busybox:1.36', command: ['true'] },
        ],
      }),
    );
    const initializing = await podWhere(
      h.client,
      'with-init',
      (p) => p.status?.initContainerStatuses?.[0]?.state?.running,
      'the first init container running',
    );
    assert.equal(initializing.status.phase, 'Pending');
    assert.equal(conditionsOf(initializing).Initialized, 'False/ContainersNotInitialized');
    const initialized = initializing.status.conditions.find((c: any) => c.type === 'Initialized');
    assert.equal(initialized.message, 'containers with incomplete status: [first second]');
    assert.equal(initializing.status.containerStatuses[0].state.waiting.reason, 'PodInitializing');
    const pod = await podWhere(h.client, 'with-init', (p) => p.status?.containerStatuses?.[0]?.ready, 'ready');
    assert.equal(pod.status.phase, 'Running');
    for (const s of pod.status.initContainerStatuses) {
      assert.equal(s.state.terminated.reason, 'Completed');
      assert.equal(s.ready, true);
    }
    const created = messagesOf(await eventsOf(h.client, 'with-init'), 'Created');
    assert.deepEqual(created, [
      'Created: Created container: first',
      'Created: Created container: second',
      'Created: Created container: web',
    ]);
    const fieldPaths = (await eventsOf(h.client, 'with-init')).map((e) => e.involvedObject.fieldPath);
    assert.ok(fieldPaths.includes('spec.initContainers{first}'));
  });

  it('fails a Never pod whose init container fails, without starting the app container', async () => {
    await h.client.create(
      podObject('init-fails', node, {
        restartPolicy: 'Never',
        initContainers: [{ name: 'setup', image: 'busybox:1.36', command: ['sh', '-c', 'exit 2'] }],
      }),
    );
    const pod = await podWhere(h.client, 'init-fails', (p) => p.status?.phase === 'Failed', 'Failed');
    assert.equal(pod.status.initContainerStatuses[0].state.terminated.exitCode, 2);
    assert.equal(pod.status.containerStatuses[0].state.waiting.reason, 'PodInitializing');
  });
});

describe('readiness', () => {
  it('becomes ready only after the readiness probe initialDelaySeconds', async () => {
    // The first status that shows the container running, from the watch (a poll could come after the delay).
    const seen: KubeObject[] = [];
    const watcher = await h.client.watch(podRef, { fieldSelector: 'metadata.name=probed' }, (e) => {
      if (e.type !== 'ERROR') seen.push(e.object as KubeObject);
    });
    await h.client.create(
      podObject('probed', node, {
        containers: [
          {
            name: 'web',
            image: 'nginx:1.27',
            readinessProbe: { httpGet: { path: '/', port: 80 }, initialDelaySeconds: 1 },
          },
        ],
      }),
    );
    const running = await until(
      async () => seen.find((p) => p.status?.containerStatuses?.[0]?.state?.running),
      'running',
    );
    watcher.close();
    assert.equal(running.status.containerStatuses[0].ready, false);
    assert.equal(running.status.phase, 'Running');
    const ready = running.status.conditions.find((c: any) => c.type === 'Ready');
    assert.deepEqual(
      [ready.status, ready.reason, ready.message],
      ['False', 'ContainersNotReady', 'containers with unready status: [web]'],
    );
    const later = await podWhere(h.client, 'probed', (p) => p.status.containerStatuses[0].ready, 'ready');
    assert.equal(conditionsOf(later).Ready, 'True');
    assert.ok(
      Date.parse(later.status.conditions.find((c: any) => c.type === 'Ready').lastTransitionTime) >=
        Date.parse(ready.lastTransitionTime),
    );
  });
});

/** Deletes the pod and follows it until it is gone: the last status written and how long it took. */
async function deleteAndFollow(name: string, gracePeriodSeconds?: number) {
  let last: KubeObject | undefined;
  const watcher = await h.client.watch(podRef, { fieldSelector: `metadata.name=${name}` }, (event) => {
    if (event.type === 'MODIFIED') last = event.object as KubeObject;
  });
  const started = Date.now();
  await h.client.delete(podRef, name, gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds });
  await until(async () => !(await h.client.get(podRef, name).catch(() => undefined)), `${name} gone`, 15_000);
  watcher.close();
  return { last: last!, elapsedMs: Date.now() - started };
}

describe('graceful deletion', () => {
  it('waits the whole grace period for a PID 1 that ignores SIGTERM, then kills it', async () => {
    await h.client.create(
      podObject('sleeper', node, {
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'c', image: 'busybox:1.36', command: ['sleep', '3600'] }],
      }),
    );
    await podWhere(h.client, 'sleeper', (p) => p.status?.phase === 'Running', 'Running');
    const { last, elapsedMs } = await deleteAndFollow('sleeper');
    assert.ok(elapsedMs >= 1000, `gone after ${elapsedMs}ms, before the 1 s grace period`);
    const terminated = last.status.containerStatuses[0].state.terminated;
    assert.deepEqual([terminated.exitCode, terminated.reason], [137, 'Error']);
    assert.equal(last.status.phase, 'Failed');
    const killing = messagesOf(await eventsOf(h.client, 'sleeper'), 'Killing');
    assert.deepEqual(killing, ['Killing: Stopping container c']);
  });

  it('stops a container that handles SIGTERM without waiting for the grace period', async () => {
    await h.client.create(podObject('server', node, { terminationGracePeriodSeconds: 30 }));
    await podWhere(h.client, 'server', (p) => p.status?.phase === 'Running', 'Running');
    const { last } = await deleteAndFollow('server');
    const terminated = last.status.containerStatuses[0].state.terminated;
    assert.deepEqual([terminated.exitCode, terminated.reason], [0, 'Completed']);
    assert.equal(last.status.phase, 'Succeeded');
    assert.ok(last.metadata.deletionTimestamp);
  });

  it('honours a shorter grace period given by a second delete', async () => {
    await h.client.create(
      podObject('patient', node, { containers: [{ name: 'c', image: 'busybox:1.36', command: ['sleep', '3600'] }] }),
    );
    await podWhere(h.client, 'patient', (p) => p.status?.phase === 'Running', 'Running');
    await h.client.delete(podRef, 'patient');
    await podWhere(h.client, 'patient', (p) => p.metadata.deletionTimestamp, 'marked for deletion');
    const { last } = await deleteAndFollow('patient', 1);
    assert.equal(last.status.containerStatuses[0].state.terminated.exitCode, 137);
  });
});
