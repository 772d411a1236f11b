// printPod's cells for the pod states kubectl users see, with a fixed clock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../api/types.js';
import { toTable } from './to-table.js';

const now = new Date('2026-11-22T12:00:00Z');
const created = '2026-11-22T11:55:00Z';
const ago = (sec: number) => new Date(now.getTime() - sec * 1000).toISOString();

function pod(spec: any, status: any, meta: any = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-0', namespace: 'default', creationTimestamp: created, ...meta },
    spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec },
    status,
  };
}
const running = { running: { startedAt: created } };
const readyApp = { name: 'app', ready: true, restartCount: 0, state: running };

const cases: { name: string; pod: KubeObject; cells: unknown[] }[] = [
  {
    name: 'running and ready',
    pod: pod(
      { nodeName: 'node-1' },
      { phase: 'Running', podIP: '10.0.0.5', podIPs: [{ ip: '10.0.0.5' }], containerStatuses: [readyApp] },
    ),
    cells: ['web-0', '1/1', 'Running', '0', '5m', '10.0.0.5', 'node-1', '<none>', '<none>'],
  },
  {
    name: 'pending, container creating',
    pod: pod(
      {},
      {
        phase: 'Pending',
        containerStatuses: [
          { name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } },
        ],
      },
    ),
    cells: ['web-0', '0/1', 'ContainerCreating', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
  },
  {
    name: 'crash loop with restarts and last termination time',
    pod: pod(
      {},
      {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'app',
            ready: false,
            restartCount: 5,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(125) } },
          },
        ],
      },
    ),
    cells: ['web-0', '0/1', 'CrashLoopBackOff', '5 (2m5s ago)', '5m', '<none>', '<none>', '<none>', '<none>'],
  },
  {
    name: 'init container still running',
    pod: pod(
      { initContainers: [{ name: 'init', image: 'busybox' }] },
      {
        phase: 'Pending',
        initContainerStatuses: [{ name: 'init', ready: false, restartCount: 0, state: running }],
        containerStatuses: [
          { name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } },
        ],
      },
    ),
    cells: ['web-0', '0/1', 'Init:0/1', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
  },
  {
    name: 'init container failed',
    pod: pod(
      { initContainers: [{ name: 'init', image: 'busybox' }] },
      {
        phase: 'Pending',
        initContainerStatuses: [{ name: 'init', restartCount: 2, state: { terminated: { exitCode: 3 } } }],
      },
    ),
    cells: ['web-0', '0/1', 'Init:ExitCode:3', '2', '5m', '<none>', '<none>', '<none>', '<none>'],
  },
  {
    name: 'init done, app waiting PodInitializing',
    pod: pod(
      { initContainers: [{ name: 'init', image: 'busybox' }] },
      {
        phase: 'Pending',
        conditions: [{ type: 'Initialized', status: 'True' }],
        initContainerStatuses: [
          { name: 'init', restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        ],
        containerStatuses: [
          { name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } },
        ],
      },
    ),
    cells: ['web-0', '0/1', 'PodInitializing', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
  },
  {
    name: 'restartable init container (sidecar) counts towards Ready',
    pod: pod(
      { initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }] },
      {
        phase: 'Running',
        conditions: [{ type: 'Initialized', status: 'True' }],
        initContainerStatuses: [{ name: 'proxy', ready: true, started: true, restartCount: 1, state: running }],
        containerStatuses: [readyApp],
      },
    ),
    cells: ['web-0', '2/2', 'Running', '1', '5m', '<none>', '<none>', '<none>', '<none>'],
  },
  {
    name: 'completed',
    pod: pod(
      {},
      {
        phase: 'Succeeded',
        containerStatuses: [
          { name: 'app', restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        ],
      },
    ),
    cells: ['web-0', '0/1', 'Completed', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
  },
  {
    name: 'terminated by signal, no reason',
    pod: pod(
      {},
      { phase: 'Failed', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 137, signal: 9 } } }] },
    ),
    cells: ['web-0', '0/1', 'Signal:9', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
  },
  {
    name: 'terminating',
    pod: pod({}, { phase: 'Running', containerStatuses: [readyApp] }, { deletionTimestamp: ago(1) }),
    cells: ['web-0', '1/1', 'Terminating', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
  },
  {
    name: 'node lost',
    pod: pod(
      {},
      { phase: 'Running', reason: 'NodeLost', containerStatuses: [readyApp] },
      { deletionTimestamp: ago(1) },
    ),
    cells: ['web-0', '1/1', 'Unknown', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
  },
  {
    name: 'scheduling gated',
    pod: pod(
      { schedulingGates: [{ name: 'example.com/gate' }] },
      { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] },
    ),
    cells: ['web-0', '0/1', 'SchedulingGated', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
  },
  {
    name: 'readiness gates and nominated node',
    pod: pod(
      { readinessGates: [{ conditionType: 'example.com/a' }, { conditionType: 'example.com/b' }] },
      {
        phase: 'Running',
        nominatedNodeName: 'node-2',
        conditions: [{ type: 'example.com/a', status: 'True' }],
        containerStatuses: [readyApp],
      },
    ),
    cells: ['web-0', '1/1', 'Running', '0', '5m', '<none>', '<none>', 'node-2', '1/2'],
  },
  {
    name: 'completed container beside a running one shows NotReady without the Ready condition',
    pod: pod(
      { containers: [{ name: 'a' }, { name: 'b' }] },
      {
        phase: 'Running',
        containerStatuses: [
          { name: 'a', ready: true, state: running },
          { name: 'b', ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        ],
      },
    ),
    cells: ['web-0', '1/2', 'NotReady', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
  },
];

for (const c of cases) {
  test(`pod: ${c.name}`, () => {
    const table = toTable('Pod', '', [c.pod], { now });
    assert.deepEqual(table.rows[0].cells, c.cells);
  });
}

test('pod columns and completed-row conditions', () => {
  const table = toTable('Pod', '', [cases[7].pod], { now });
  assert.deepEqual(
    table.columnDefinitions.map((c) => [c.name, c.type, c.priority, c.format]),
    [
      ['Name', 'string', 0, 'name'],
      ['Ready', 'string', 0, ''],
      ['Status', 'string', 0, ''],
      ['Restarts', 'string', 0, ''],
      ['Age', 'string', 0, ''],
      ['IP', 'string', 1, ''],
      ['Node', 'string', 1, ''],
      ['Nominated Node', 'string', 1, ''],
      ['Readiness Gates', 'string', 1, ''],
    ],
  );
  assert.match(table.columnDefinitions[0].description, /^Name must be unique within a namespace/);
  assert.match(table.columnDefinitions[5].description, /IP address allocated to the pod/);
  assert.deepEqual(table.rows[0].conditions, [
    { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
  ]);
});
