// The kubelet's phase rules as a table (getPhase): init containers first, waiting/running/stopped counts, restart
// policy, and a pod stopped for deletion; plus the host-name cleanup agents use to name their Lease.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { KubeObject } from '../kube/api/types.js';
import type { ContainerStatus, SandboxStatus } from './driver.js';
import { hostNameOf } from './host-lease.js';
import { podPhase, terminatedStatuses } from './pod-status.js';

const running: ContainerStatus['state'] = { running: { startedAt: '2025-01-01T00:00:00Z' } };
const exited = (exitCode: number): ContainerStatus['state'] => ({
  terminated: { exitCode, reason: 'x', finishedAt: 'x' },
});
const waiting: ContainerStatus['state'] = { waiting: { reason: 'ContainerCreating' } };
const status = (name: string, state: ContainerStatus['state'], last?: ContainerStatus['state']): ContainerStatus => ({
  name,
  state,
  lastState: last ?? {},
  ready: false,
  restartCount: 0,
  image: 'i',
  imageID: '',
});
const pod = (restartPolicy: string, init = false): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec: {
    restartPolicy,
    containers: [{ name: 'a' }, { name: 'b' }],
    ...(init ? { initContainers: [{ name: 'i' }] } : {}),
  },
});
const sandbox = (a: ContainerStatus['state'], b: ContainerStatus['state'], extra: Partial<SandboxStatus> = {}) => ({
  sandboxReady: true,
  initContainerStatuses: [],
  containerStatuses: [status('a', a), status('b', b)],
  ...extra,
});

const cases: [string, KubeObject, SandboxStatus, boolean, string][] = [
  ['a container still waiting', pod('Always'), sandbox(running, waiting), false, 'Pending'],
  ['all running', pod('Always'), sandbox(running, running), false, 'Running'],
  ['one running, one done', pod('Never'), sandbox(running, exited(0)), false, 'Running'],
  ['all exited 0, Never', pod('Never'), sandbox(exited(0), exited(0)), false, 'Succeeded'],
  ['one exited 1, Never', pod('Never'), sandbox(exited(0), exited(1)), false, 'Failed'],
  ['one exited 1, OnFailure (restarting)', pod('OnFailure'), sandbox(exited(0), exited(1)), false, 'Running'],
  ['all exited 0, Always (restarting)', pod('Always'), sandbox(exited(0), exited(0)), false, 'Running'],
  [
    'crash loop: waiting with a last state counts as stopped',
    pod('Always'),
    { ...sandbox(running, running), containerStatuses: [status('a', running), status('b', waiting, exited(1))] },
    false,
    'Running',
  ],
  ['stopped for deletion, all 0', pod('Always'), sandbox(exited(0), exited(0)), true, 'Succeeded'],
  ['stopped for deletion, one killed', pod('Always'), sandbox(exited(0), exited(137)), true, 'Failed'],
  [
    'init container running',
    pod('Always', true),
    sandbox(waiting, waiting, { initContainerStatuses: [status('i', running)] }),
    false,
    'Pending',
  ],
  [
    'init container failed, Never',
    pod('Never', true),
    sandbox(waiting, waiting, { initContainerStatuses: [status('i', exited(2))] }),
    false,
    'Failed',
  ],
  [
    'init container failed, OnFailure (retrying)',
    pod('OnFailure', true),
    sandbox(waiting, waiting, { initContainerStatuses: [status('i', waiting, exited(2))] }),
    false,
    'Pending',
  ],
  [
    'init done, containers running',
    pod('Never', true),
    sandbox(running, running, { initContainerStatuses: [status('i', exited(0))] }),
    false,
    'Running',
  ],
];

for (const [name, p, s, stopped, phase] of cases) {
  it(`phase: ${name}`, () => assert.equal(podPhase(p, s, stopped), phase));
}

it('turns a machine name into a host name', () => {
  assert.equal(hostNameOf('My_Box.local'), 'my-box.local');
  assert.equal(hostNameOf('ip-10-0-0-1.ec2.internal'), 'ip-10-0-0-1.ec2.internal');
  assert.equal(hostNameOf('--x..-y--'), 'x.y');
  assert.equal(hostNameOf(''), 'skiff-host');
  assert.equal(hostNameOf('a'.repeat(70)).length, 63);
});

it("a pod the kubelet ends reports its unfinished containers as the status manager's TerminatePod does", () => {
  const unknown = {
    exitCode: 137,
    reason: 'ContainerStatusUnknown',
    message: 'The container could not be located when the pod was terminated',
  };
  const status = terminatedStatuses({
    conditions: [{ type: 'Initialized', status: 'True' }],
    initContainerStatuses: [
      { name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
      { name: 'b', state: { running: {} } },
      { name: 'c', state: { waiting: { reason: 'PodInitializing' } } },
    ],
    containerStatuses: [
      { name: 'web', ready: true, started: true, state: { running: {} } },
      { name: 'pulling', ready: false, state: { waiting: { reason: 'ContainerCreating' } } },
      { name: 'done', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
    ],
  });
  assert.deepEqual(
    status.containerStatuses.map((s: any) => [s.name, s.state.terminated, s.ready]),
    [
      ['web', unknown, false],
      ['pulling', unknown, false],
      ['done', { exitCode: 0, reason: 'Completed' }, undefined],
    ],
  );
  assert.deepEqual(
    status.initContainerStatuses.map((s: any) => s.state),
    [
      { terminated: { exitCode: 0, reason: 'Completed' } },
      { terminated: unknown },
      { waiting: { reason: 'PodInitializing' } },
    ],
  );
  const notInitialized = terminatedStatuses({
    conditions: [{ type: 'Initialized', status: 'False' }],
    containerStatuses: [{ name: 'web', state: { waiting: { reason: 'PodInitializing' } } }],
  });
  assert.deepEqual(notInitialized.containerStatuses[0].state, { waiting: { reason: 'PodInitializing' } });
});
