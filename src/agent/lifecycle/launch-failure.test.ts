// A container that cannot be created (its image ID vanished between the presence check and the create) gets the
// kubelet's Warning `Failed` event and a retry, not a silent CreateContainerError; image failures keep only the
// events the image step recorded.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SandboxEvent, SandboxPod, SandboxStatus } from '../driver.js';
import { PodLifecycle } from './pod.js';
import { LaunchError, type SandboxRuntime } from './runtime.js';

const pod: SandboxPod = {
  uid: 'uid-1',
  namespace: 'default',
  name: 'web',
  nodeName: 'ng-1',
  fargate: false,
  podIP: '10.0.1.10',
  hostIP: '10.0.1.5',
  pod: {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', uid: 'uid-1' },
    spec: { containers: [{ name: 'c', image: 'busybox:bars', imagePullPolicy: 'Never' }] },
  },
};

function fakeRuntime(failures: LaunchError[]): SandboxRuntime & { creates: number } {
  const runtime = {
    creates: 0,
    runSandbox: async () => {},
    removeSandbox: async () => {},
    ensureImage: async () => ({
      image: 'docker.io/library/busybox:bars',
      imageID: 'docker.io/library/busybox@sha256:1',
    }),
    createContainer: async () => {
      runtime.creates++;
      const failure = failures.shift();
      if (failure) throw failure;
      return 'containerd://1';
    },
    startContainer: async () => ({ id: 'containerd://1', startedAt: new Date(), exited: new Promise<never>(() => {}) }),
    stopContainer: async () => ({ exitCode: 0 }),
    usage: async () => [],
  };
  return runtime;
}

async function runUntilStarted(runtime: SandboxRuntime) {
  const events: SandboxEvent[] = [];
  const statuses: SandboxStatus[] = [];
  const lifecycle = new PodLifecycle(
    runtime,
    pod,
    { event: (e) => events.push(e), status: (s) => statuses.push(s) },
    { backOff: { baseMs: 10, maxMs: 20 }, resyncMs: 5 },
  );
  lifecycle.start();
  for (let i = 0; i < 200 && !events.some((e) => e.reason === 'Started'); i++)
    await new Promise((r) => setTimeout(r, 5));
  lifecycle.close();
  return { events, statuses };
}

test('CreateContainerError records a Warning Failed event and the container is created on retry', async () => {
  const message = 'failed to get image "sha256:366757a7": not found';
  const runtime = fakeRuntime([new LaunchError('CreateContainerError', message)]);
  const { events, statuses } = await runUntilStarted(runtime);
  assert.equal(runtime.creates, 2);
  assert.deepEqual(
    events.map((e) => `${e.type} ${e.reason}: ${e.message}`),
    [
      `Warning Failed: Error: ${message}`,
      'Normal Created: Created container: c',
      'Normal Started: Started container c',
    ],
  );
  assert.ok(statuses.some((s) => (s.containerStatuses[0]?.state as any)?.waiting?.reason === 'CreateContainerError'));
});

test('an image failure adds no event of its own (the image step recorded them)', async () => {
  const runtime = fakeRuntime([new LaunchError('ErrImageNeverPull', 'Container image "busybox:bars" is not present')]);
  const { events } = await runUntilStarted(runtime);
  assert.deepEqual(
    events.map((e) => e.reason),
    ['Created', 'Started'],
  );
});
