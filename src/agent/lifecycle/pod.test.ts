// The pod lifecycle over a fake runtime: a pod deleted while its sandbox or containers are still being made stops
// within its grace period and leaves nothing behind once the slow call returns; liveness, readiness and startup
// probes with their thresholds and events; postStart/preStop hooks (exec, httpGet, sleep) and their failures;
// termination messages and FallbackToLogsOnError.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, it } from 'node:test';
import { until } from '../../testing/until.js';
import { FakeRuntime, fakePod, recorder } from '../testing/fake-runtime.js';
import { PodLifecycle } from './pod.js';

const fastOptions = { backOff: { baseMs: 50, maxMs: 200 }, resyncMs: 10 };

describe('deleting a pod that is still starting', () => {
  for (const step of ['runSandbox', 'createContainer', 'startContainer'] as const) {
    it(`finishes within the grace period while ${step} is slow`, async () => {
      const runtime = new FakeRuntime();
      runtime.delays[step] = 3000;
      const rec = recorder();
      const lifecycle = new PodLifecycle(runtime, fakePod({}), rec.listener, fastOptions);
      lifecycle.start();
      await until(
        async () => runtime.calls.includes(step === 'runSandbox' ? 'runSandbox' : `${step.slice(0, -9)} c`),
        step,
      );
      const started = Date.now();
      await lifecycle.stop(0.3);
      const elapsed = Date.now() - started;
      assert.ok(elapsed < 1500, `stopped after ${elapsed} ms, not within the 0.3 s grace period`);
      assert.equal(rec.last().sandboxReady, false);
      // Once the slow call returns, what it made is removed and nothing more is started.
      await new Promise((resolve) => setTimeout(resolve, 3200));
      assert.equal(runtime.sandboxes.size, 0, runtime.calls.join(', '));
      assert.equal(runtime.containers.length, 0, runtime.calls.join(', '));
    });
  }

  it('never finishing a call does not keep the pod terminating', async () => {
    const runtime = new FakeRuntime();
    runtime.delays.createContainer = Infinity;
    const lifecycle = new PodLifecycle(runtime, fakePod({}), recorder().listener, fastOptions);
    lifecycle.start();
    await until(async () => runtime.calls.includes('create c'), 'create');
    await lifecycle.stop(0.2);
    assert.ok(runtime.calls.includes('removeSandbox'));
  });
});

const lifecycleOf = (spec: Record<string, unknown>, runtime = new FakeRuntime()) => {
  const rec = recorder();
  const lifecycle = new PodLifecycle(runtime, fakePod(spec), rec.listener, fastOptions);
  lifecycle.start();
  return { runtime, rec, lifecycle };
};

describe('probes', () => {
  it('a failing liveness probe kills and restarts the container with the kubelet events', async () => {
    const runtime = new FakeRuntime();
    runtime.exec = async () => ({ exitCode: 1, output: "cat: can't open '/tmp/healthy': No such file or directory\n" });
    const livenessProbe = { exec: { command: ['cat', '/tmp/healthy'] }, periodSeconds: 0.05, failureThreshold: 2 };
    const { rec, lifecycle } = lifecycleOf(
      { terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'busybox', livenessProbe }] },
      runtime,
    );
    await until(async () => rec.last().containerStatuses[0]!.restartCount >= 1, 'a restart', 5000);
    assert.equal(
      rec.messages('Unhealthy')[0],
      "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n",
    );
    assert.deepEqual(rec.messages('Killing').slice(0, 1), ['Container c failed liveness probe, will be restarted']);
    assert.equal((rec.last().containerStatuses[0]!.lastState as any).terminated.exitCode, 143);
    await lifecycle.stop(0);
  });

  it('counts failureThreshold failures in a row before killing', async () => {
    const runtime = new FakeRuntime();
    let calls = 0;
    runtime.exec = async () => ({ exitCode: ++calls % 3 === 0 ? 0 : 1, output: 'no' });
    const livenessProbe = { exec: { command: ['x'] }, periodSeconds: 0.02, failureThreshold: 3 };
    const { rec, lifecycle } = lifecycleOf({ containers: [{ name: 'c', image: 'b', livenessProbe }] }, runtime);
    await until(async () => calls >= 12, '12 probes');
    assert.deepEqual(rec.messages('Killing'), []);
    await lifecycle.stop(0);
  });

  it('readiness follows successThreshold and failureThreshold; the startup probe gates it', async () => {
    const runtime = new FakeRuntime();
    const answers: Record<string, number> = { startup: 1, ready: 0 };
    runtime.exec = async (_p, _c, _r, command) => ({ exitCode: answers[command[0]!]!, output: command[0]! });
    const startupProbe = { exec: { command: ['startup'] }, periodSeconds: 0.02, failureThreshold: 1000 };
    const readinessProbe = { exec: { command: ['ready'] }, periodSeconds: 0.02, successThreshold: 2 };
    const { rec, lifecycle } = lifecycleOf(
      { containers: [{ name: 'c', image: 'b', startupProbe, readinessProbe }] },
      runtime,
    );
    await until(async () => rec.messages('Unhealthy').length >= 3, 'startup failures');
    assert.equal(rec.last().containerStatuses[0]!.started, false);
    assert.equal(rec.last().containerStatuses[0]!.ready, false);
    assert.ok(rec.messages('Unhealthy').every((m) => m === 'Startup probe failed: startup'));
    answers.startup = 0;
    await until(async () => rec.last().containerStatuses[0]!.ready, 'ready');
    assert.equal(rec.last().containerStatuses[0]!.started, true);
    answers.ready = 1;
    await until(async () => !rec.last().containerStatuses[0]!.ready, 'not ready after 3 failures');
    assert.ok(rec.messages('Unhealthy').includes('Readiness probe failed: ready'));
    await lifecycle.stop(0);
  });

  it('a failing startup probe kills the container', async () => {
    const runtime = new FakeRuntime();
    runtime.exec = async () => ({ exitCode: 1, output: '' });
    const startupProbe = { exec: { command: ['x'] }, periodSeconds: 0.02, failureThreshold: 2 };
    const { rec, lifecycle } = lifecycleOf({ containers: [{ name: 'c', image: 'b', startupProbe }] }, runtime);
    await until(async () => rec.messages('Killing').length, 'killed');
    assert.equal(rec.messages('Killing')[0], 'Container c failed startup probe, will be restarted');
    await lifecycle.stop(0);
  });
});

describe('hooks', () => {
  it('runs preStop before SIGTERM, within the grace period', async () => {
    const runtime = new FakeRuntime();
    runtime.exec = async (_p, _c, _r, command) => {
      runtime.calls.push(`exec ${command.join(' ')}`);
      return { exitCode: 0, output: '' };
    };
    const lifecycle = { preStop: { exec: { command: ['echo', 'bye'] } } };
    const { rec, lifecycle: pod } = lifecycleOf({ containers: [{ name: 'c', image: 'b', lifecycle }] }, runtime);
    await until(async () => rec.last().containerStatuses[0]!.ready, 'running');
    await pod.stop(5);
    const order = runtime.calls.filter((c) => c.startsWith('exec') || c.startsWith('stop'));
    assert.deepEqual(order, ['exec echo bye', 'stop c']);
  });

  it('a failing preStop hook is reported and the container still stops', async () => {
    const runtime = new FakeRuntime();
    runtime.exec = async () => ({ exitCode: 2, output: 'oops' });
    const lifecycle = { preStop: { exec: { command: ['false'] } } };
    const { rec, lifecycle: pod } = lifecycleOf({ containers: [{ name: 'c', image: 'b', lifecycle }] }, runtime);
    await until(async () => rec.last().containerStatuses[0]!.ready, 'running');
    await pod.stop(5);
    assert.equal(
      rec.messages('FailedPreStopHook')[0],
      'Exec lifecycle hook ([false]) for Container "c" in Pod "p_default(uid-p)" failed - error: ' +
        'command \'false\' exited with 2: oops, message: "oops"',
    );
    assert.ok('terminated' in rec.last().containerStatuses[0]!.state);
  });

  it('a preStop sleep ends when the grace period does', async () => {
    const runtime = new FakeRuntime();
    runtime.ignoresSigterm = true;
    const lifecycle = { preStop: { sleep: { seconds: 30 } } };
    const { rec, lifecycle: pod } = lifecycleOf({ containers: [{ name: 'c', image: 'b', lifecycle }] }, runtime);
    await until(async () => rec.last().containerStatuses[0]!.ready, 'running');
    const started = Date.now();
    await pod.stop(0.3);
    assert.ok(Date.now() - started < 1500);
  });

  it('a failing postStart hook kills the container with FailedPostStartHook', async () => {
    const runtime = new FakeRuntime();
    runtime.exec = async () => ({ exitCode: 1, output: '' });
    const lifecycle = { postStart: { exec: { command: ['sh', '-c', 'exit 1'] } } };
    const { rec, lifecycle: pod } = lifecycleOf({ containers: [{ name: 'c', image: 'b', lifecycle }] }, runtime);
    await until(async () => rec.messages('FailedPostStartHook').length, 'hook failed');
    assert.equal(
      rec.messages('FailedPostStartHook')[0],
      'Exec lifecycle hook ([sh -c exit 1]) for Container "c" in Pod "p_default(uid-p)" failed - error: ' +
        'command \'sh -c exit 1\' exited with 1: , message: ""',
    );
    await until(async () => rec.messages('Killing').includes('FailedPostStartHook'), 'Killing FailedPostStartHook');
    await until(async () => rec.last().containerStatuses[0]!.restartCount >= 1, 'restarted');
    await pod.stop(0);
  });
});

describe('hooks over HTTP', () => {
  it('calls an httpGet preStop on the pod before stopping; a refused one is FailedPreStopHook', async () => {
    const paths: string[] = [];
    const server = createServer((req, res) => {
      paths.push(req.url!);
      res.statusCode = 500;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const lifecycle = { preStop: { httpGet: { path: '/shutdown', port } } };
      const { rec, runtime, lifecycle: pod } = lifecycleOf({ containers: [{ name: 'c', image: 'b', lifecycle }] });
      await until(async () => rec.last().containerStatuses[0]!.ready, 'running');
      await pod.stop(5);
      assert.deepEqual(paths, ['/shutdown']);
      assert.deepEqual(rec.messages('FailedPreStopHook'), []);
      assert.ok(runtime.calls.includes('stop c'));
    } finally {
      server.close();
    }
    const refused = { preStop: { httpGet: { path: '/x', port } } };
    const { rec, lifecycle: pod } = lifecycleOf({ containers: [{ name: 'c', image: 'b', lifecycle: refused }] });
    await until(async () => rec.last().containerStatuses[0]!.ready, 'running');
    await pod.stop(5);
    assert.equal(
      rec.messages('FailedPreStopHook')[0],
      `HTTP lifecycle hook (/x) for Container "c" in Pod "p_default(uid-p)" failed - error: ` +
        `Get "http://127.0.0.1:${port}/x": dial tcp 127.0.0.1:${port}: connect: connection refused`,
    );
  });
});

describe('liveness under restartPolicy Never', () => {
  it('kills without "will be restarted" and leaves the container terminated', async () => {
    const runtime = new FakeRuntime();
    runtime.exec = async () => ({ exitCode: 1, output: 'down' });
    const livenessProbe = { exec: { command: ['x'] }, periodSeconds: 0.02, failureThreshold: 1 };
    const { rec } = lifecycleOf(
      { restartPolicy: 'Never', containers: [{ name: 'c', image: 'b', livenessProbe }] },
      runtime,
    );
    await until(async () => 'terminated' in rec.last().containerStatuses[0]!.state, 'terminated');
    assert.deepEqual(rec.messages('Killing'), ['Container c failed liveness probe']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(rec.last().containerStatuses[0]!.restartCount, 0);
  });
});

describe('termination messages', () => {
  it('puts what the container wrote in the terminated state', async () => {
    const runtime = new FakeRuntime();
    runtime.terminationMessage = async () => 'all done';
    const { rec } = lifecycleOf({ restartPolicy: 'Never' }, runtime);
    await until(async () => runtime.container('c'), 'started');
    runtime.container('c')!.exit({ exitCode: 0 });
    await until(async () => 'terminated' in rec.last().containerStatuses[0]!.state, 'terminated');
    assert.equal((rec.last().containerStatuses[0]!.state as any).terminated.message, 'all done');
  });

  it('falls back to the end of the log on error with FallbackToLogsOnError', async () => {
    const runtime = new FakeRuntime();
    const container = { name: 'c', image: 'b', terminationMessagePolicy: 'FallbackToLogsOnError' };
    const { rec } = lifecycleOf({ restartPolicy: 'Never', containers: [container] }, runtime);
    await until(async () => runtime.container('c'), 'started');
    const fake = runtime.container('c')!;
    runtime.logLines[fake.id] = Array.from({ length: 100 }, (_, i) => `line ${i}`);
    fake.exit({ exitCode: 1, reason: 'Error' });
    await until(async () => 'terminated' in rec.last().containerStatuses[0]!.state, 'terminated');
    const message: string = (rec.last().containerStatuses[0]!.state as any).terminated.message;
    assert.ok(message.startsWith('line 20\n'), message.slice(0, 20));
    assert.ok(message.endsWith('line 99\n'));
  });
});
