// Cells of every built-in printer other than Pod, table-driven with a fixed clock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../api/types.js';
import { toTable } from './to-table.js';

const now = new Date('2026-11-22T12:00:00Z');
const creationTimestamp = '2026-11-20T09:00:00Z'; // 2d3h before now
const template = {
  spec: {
    containers: [
      { name: 'nginx', image: 'nginx:1.27' },
      { name: 'log', image: 'busybox' },
    ],
  },
};
const obj = (kind: string, name: string, body: object, meta: object = {}): KubeObject =>
  ({
    apiVersion: 'v1',
    kind,
    metadata: { name, namespace: 'default', creationTimestamp, ...meta },
    ...body,
  }) as KubeObject;

const cases: { kind: string; group: string; name: string; obj: KubeObject; columns: string[]; cells: unknown[] }[] = [
  {
    kind: 'Deployment',
    group: 'apps',
    name: 'deployment',
    obj: obj('Deployment', 'web', {
      spec: { replicas: 3, selector: { matchLabels: { app: 'web', tier: 'fe' } }, template },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    }),
    columns: ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector'],
    cells: ['web', '2/3', 3, 2, '2d3h', 'nginx,log', 'nginx:1.27,busybox', 'app=web,tier=fe'],
  },
  {
    kind: 'ReplicaSet',
    group: 'apps',
    name: 'replicaset with expressions',
    obj: obj('ReplicaSet', 'web-abc', {
      spec: {
        replicas: 2,
        selector: {
          matchLabels: { app: 'web' },
          matchExpressions: [
            { key: 'env', operator: 'In', values: ['prod', 'dev'] },
            { key: 'canary', operator: 'DoesNotExist' },
          ],
        },
        template,
      },
      status: { replicas: 2, readyReplicas: 1 },
    }),
    columns: ['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers', 'Images', 'Selector'],
    cells: ['web-abc', 2, 2, 1, '2d3h', 'nginx,log', 'nginx:1.27,busybox', 'app=web,!canary,env in (dev,prod)'],
  },
  {
    kind: 'StatefulSet',
    group: 'apps',
    name: 'statefulset',
    obj: obj('StatefulSet', 'db', { spec: { replicas: 3, template }, status: { readyReplicas: 3 } }),
    columns: ['Name', 'Ready', 'Age', 'Containers', 'Images'],
    cells: ['db', '3/3', '2d3h', 'nginx,log', 'nginx:1.27,busybox'],
  },
  {
    kind: 'DaemonSet',
    group: 'apps',
    name: 'daemonset',
    obj: obj('DaemonSet', 'agent', {
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: { spec: { ...template.spec, nodeSelector: { 'kubernetes.io/os': 'linux' } } },
      },
      status: {
        desiredNumberScheduled: 2,
        currentNumberScheduled: 2,
        numberReady: 1,
        updatedNumberScheduled: 2,
        numberAvailable: 1,
      },
    }),
    columns: [
      'Name',
      'Desired',
      'Current',
      'Ready',
      'Up-to-date',
      'Available',
      'Node Selector',
      'Age',
      'Containers',
      'Images',
      'Selector',
    ],
    cells: ['agent', 2, 2, 1, 2, 1, 'kubernetes.io/os=linux', '2d3h', 'nginx,log', 'nginx:1.27,busybox', 'app=agent'],
  },
  {
    kind: 'Job',
    group: 'batch',
    name: 'completed job',
    obj: obj('Job', 'pi', {
      spec: {
        completions: 1,
        parallelism: 1,
        selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } },
        template,
      },
      status: {
        succeeded: 1,
        startTime: '2026-11-22T11:00:00Z',
        completionTime: '2026-11-22T11:00:42Z',
        conditions: [{ type: 'Complete', status: 'True' }],
      },
    }),
    columns: ['Name', 'Status', 'Completions', 'Duration', 'Age', 'Containers', 'Images', 'Selector'],
    cells: [
      'pi',
      'Complete',
      '1/1',
      '42s',
      '2d3h',
      'nginx,log',
      'nginx:1.27,busybox',
      'batch.kubernetes.io/controller-uid=u1',
    ],
  },
  {
    kind: 'Job',
    group: 'batch',
    name: 'running parallel job without completions',
    obj: obj('Job', 'work', { spec: { parallelism: 3, template }, status: { startTime: '2026-11-22T11:57:55Z' } }),
    columns: ['Name', 'Status', 'Completions', 'Duration', 'Age', 'Containers', 'Images', 'Selector'],
    cells: ['work', 'Running', '0/1 of 3', '2m5s', '2d3h', 'nginx,log', 'nginx:1.27,busybox', '<none>'],
  },
  {
    kind: 'CronJob',
    group: 'batch',
    name: 'cronjob',
    obj: obj('CronJob', 'nightly', {
      spec: { schedule: '0 1 * * *', suspend: false, jobTemplate: { spec: { template } } },
      status: { active: [{ name: 'nightly-1' }], lastScheduleTime: '2026-11-22T11:00:00Z' },
    }),
    columns: [
      'Name',
      'Schedule',
      'Timezone',
      'Suspend',
      'Active',
      'Last Schedule',
      'Age',
      'Containers',
      'Images',
      'Selector',
    ],
    cells: ['nightly', '0 1 * * *', '<none>', 'False', 1, '60m', '2d3h', 'nginx,log', 'nginx:1.27,busybox', '<none>'],
  },
  {
    kind: 'Service',
    group: '',
    name: 'cluster ip service',
    obj: obj('Service', 'svc', {
      spec: {
        type: 'ClusterIP',
        clusterIP: '172.20.0.10',
        clusterIPs: ['172.20.0.10'],
        ports: [
          { port: 80, protocol: 'TCP', targetPort: 8080 },
          { port: 53, protocol: 'UDP' },
        ],
        selector: { app: 'web' },
      },
    }),
    columns: ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector'],
    cells: ['svc', 'ClusterIP', '172.20.0.10', '<none>', '80/TCP,53/UDP', '2d3h', 'app=web'],
  },
  {
    kind: 'Service',
    group: '',
    name: 'pending load balancer with node port',
    obj: obj('Service', 'lb', {
      spec: {
        type: 'LoadBalancer',
        clusterIPs: ['172.20.0.11'],
        ports: [{ port: 443, nodePort: 30443, protocol: 'TCP' }],
      },
    }),
    columns: ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector'],
    cells: ['lb', 'LoadBalancer', '172.20.0.11', '<pending>', '443:30443/TCP', '2d3h', '<none>'],
  },
  {
    kind: 'Service',
    group: '',
    name: 'load balancer with ingress hostname, headless ports',
    obj: obj('Service', 'elb', {
      spec: { type: 'LoadBalancer', clusterIP: 'None' },
      status: { loadBalancer: { ingress: [{ hostname: 'abc.elb.amazonaws.com' }] } },
    }),
    columns: ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector'],
    cells: ['elb', 'LoadBalancer', 'None', 'abc.elb.amazonaws.com', '<none>', '2d3h', '<none>'],
  },
  {
    kind: 'Node',
    group: '',
    name: 'cordoned fargate node',
    obj: obj(
      'Node',
      'fargate-ip-10-0-130-7.ap-northeast-2.compute.internal',
      {
        spec: { unschedulable: true },
        status: {
          conditions: [{ type: 'Ready', status: 'True' }],
          addresses: [
            { type: 'InternalIP', address: '10.0.130.7' },
            { type: 'Hostname', address: 'ip-10-0-130-7' },
          ],
          nodeInfo: {
            kubeletVersion: 'v1.32.0-eks-abc',
            osImage: 'Amazon Linux 2',
            containerRuntimeVersion: 'containerd://1.7.0',
          },
        },
      },
      {
        labels: {
          'eks.amazonaws.com/compute-type': 'fargate',
          'node-role.kubernetes.io/worker': '',
          'kubernetes.io/role': 'edge',
        },
      },
    ),
    columns: [
      'Name',
      'Status',
      'Roles',
      'Age',
      'Version',
      'Internal-IP',
      'External-IP',
      'OS-Image',
      'Kernel-Version',
      'Container-Runtime',
    ],
    cells: [
      'fargate-ip-10-0-130-7.ap-northeast-2.compute.internal',
      'Ready,SchedulingDisabled',
      'edge,worker',
      '2d3h',
      'v1.32.0-eks-abc',
      '10.0.130.7',
      '<none>',
      'Amazon Linux 2',
      '<unknown>',
      'containerd://1.7.0',
    ],
  },
  {
    kind: 'Node',
    group: '',
    name: 'node without conditions',
    obj: obj('Node', 'n', { status: {} }),
    columns: [
      'Name',
      'Status',
      'Roles',
      'Age',
      'Version',
      'Internal-IP',
      'External-IP',
      'OS-Image',
      'Kernel-Version',
      'Container-Runtime',
    ],
    cells: ['n', 'Unknown', '<none>', '2d3h', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>'],
  },
  {
    kind: 'Namespace',
    group: '',
    name: 'namespace',
    obj: obj('Namespace', 'team-a', { status: { phase: 'Active' } }),
    columns: ['Name', 'Status', 'Age'],
    cells: ['team-a', 'Active', '2d3h'],
  },
  {
    kind: 'Event',
    group: '',
    name: 'event with count',
    obj: obj('Event', 'web-0.abc', {
      involvedObject: { kind: 'Pod', name: 'web-0', fieldPath: 'spec.containers{app}' },
      reason: 'Pulled',
      type: 'Normal',
      message: 'Successfully pulled image "nginx"\n',
      source: { component: 'kubelet', host: 'node-1' },
      firstTimestamp: '2026-11-22T11:50:00Z',
      lastTimestamp: '2026-11-22T11:59:30Z',
      count: 4,
    }),
    columns: ['Last Seen', 'Type', 'Reason', 'Object', 'Subobject', 'Source', 'Message', 'First Seen', 'Count', 'Name'],
    cells: [
      '30s',
      'Normal',
      'Pulled',
      'pod/web-0',
      'spec.containers{app}',
      'kubelet, node-1',
      'Successfully pulled image "nginx"',
      '10m',
      4,
      'web-0.abc',
    ],
  },
  {
    kind: 'Event',
    group: '',
    name: 'new-style event without timestamps or count',
    obj: obj('Event', 'e2', {
      involvedObject: { kind: 'Node' },
      reason: 'Starting',
      type: 'Normal',
      message: 'x',
      reportingComponent: 'fargate-scheduler',
    }),
    columns: ['Last Seen', 'Type', 'Reason', 'Object', 'Subobject', 'Source', 'Message', 'First Seen', 'Count', 'Name'],
    cells: ['<unknown>', 'Normal', 'Starting', 'node', '', 'fargate-scheduler', 'x', '<unknown>', 1, 'e2'],
  },
  {
    kind: 'ConfigMap',
    group: '',
    name: 'configmap',
    obj: obj('ConfigMap', 'cfg', { data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }),
    columns: ['Name', 'Data', 'Age'],
    cells: ['cfg', 3, '2d3h'],
  },
  {
    kind: 'Secret',
    group: '',
    name: 'secret',
    obj: obj('Secret', 's', { type: 'Opaque', data: { a: 'Yg==' } }),
    columns: ['Name', 'Type', 'Data', 'Age'],
    cells: ['s', 'Opaque', 1, '2d3h'],
  },
  {
    kind: 'ServiceAccount',
    group: '',
    name: 'serviceaccount',
    obj: obj('ServiceAccount', 'default', {}),
    columns: ['Name', 'Secrets', 'Age'],
    cells: ['default', 0, '2d3h'],
  },
  {
    kind: 'Endpoints',
    group: '',
    name: 'endpoints with more than three',
    obj: obj('Endpoints', 'svc', {
      subsets: [
        {
          addresses: [
            { ip: '10.0.0.1' },
            { ip: '10.0.0.2' },
            { ip: '10.0.0.3' },
            { ip: '10.0.0.4' },
            { ip: '10.0.0.5' },
          ],
          ports: [{ port: 8080 }],
        },
      ],
    }),
    columns: ['Name', 'Endpoints', 'Age'],
    cells: ['svc', '10.0.0.1:8080,10.0.0.2:8080,10.0.0.3:8080 + 2 more...', '2d3h'],
  },
  {
    kind: 'Endpoints',
    group: '',
    name: 'endpoints empty',
    obj: obj('Endpoints', 'none', {}),
    columns: ['Name', 'Endpoints', 'Age'],
    cells: ['none', '<none>', '2d3h'],
  },
  {
    kind: 'Lease',
    group: 'coordination.k8s.io',
    name: 'lease',
    obj: obj('Lease', 'fargate-scheduler', { spec: { holderIdentity: 'skiff-1' } }),
    columns: ['Name', 'Holder', 'Age'],
    cells: ['fargate-scheduler', 'skiff-1', '2d3h'],
  },
  {
    kind: 'PriorityClass',
    group: 'scheduling.k8s.io',
    name: 'priorityclass',
    obj: obj('PriorityClass', 'system-node-critical', { value: 2000001000, preemptionPolicy: 'PreemptLowerPriority' }),
    columns: ['Name', 'Value', 'Global-Default', 'Age', 'PreemptionPolicy'],
    cells: ['system-node-critical', 2000001000, false, '2d3h', 'PreemptLowerPriority'],
  },
  {
    kind: 'PodDisruptionBudget',
    group: 'policy',
    name: 'pdb',
    obj: obj('PodDisruptionBudget', 'web', { spec: { minAvailable: '50%' }, status: { disruptionsAllowed: 1 } }),
    columns: ['Name', 'Min Available', 'Max Unavailable', 'Allowed Disruptions', 'Age'],
    cells: ['web', '50%', 'N/A', 1, '2d3h'],
  },
  {
    kind: 'HorizontalPodAutoscaler',
    group: 'autoscaling',
    name: 'hpa',
    obj: obj('HorizontalPodAutoscaler', 'web', {
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'web' },
        minReplicas: 1,
        maxReplicas: 5,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
        ],
      },
      status: {
        currentReplicas: 2,
        currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 20 } } }],
      },
    }),
    columns: ['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age'],
    cells: ['web', 'Deployment/web', 'cpu: 20%/80%', '1', 5, 2, '2d3h'],
  },
  {
    kind: 'ResourceQuota',
    group: '',
    name: 'resourcequota',
    obj: obj('ResourceQuota', 'q', {
      status: { hard: { pods: '10', 'limits.cpu': '4', 'requests.cpu': '2' }, used: { pods: '3', 'limits.cpu': '1' } },
    }),
    columns: ['Name', 'Request', 'Limit', 'Age'],
    cells: ['q', 'pods: 3/10, requests.cpu: 0/2', 'limits.cpu: 1/4', '2d3h'],
  },
  {
    kind: 'CustomResourceDefinition',
    group: 'apiextensions.k8s.io',
    name: 'CRD uses the default convertor',
    obj: obj('CustomResourceDefinition', 'widgets.example.com', {}, { namespace: undefined }),
    columns: ['Name', 'Created At'],
    cells: ['widgets.example.com', '2026-11-20T09:00:00Z'],
  },
];

for (const c of cases) {
  test(`${c.kind}: ${c.name}`, () => {
    const table = toTable(c.kind, c.group, [c.obj], { now });
    assert.deepEqual(
      table.columnDefinitions.map((d) => d.name),
      c.columns,
    );
    assert.deepEqual(table.rows[0].cells, c.cells);
    for (const d of table.columnDefinitions)
      assert.ok(d.description.length > 0, `${c.kind} ${d.name} has a description`);
  });
}

test('priorities: event and deployment wide columns', () => {
  const ev = toTable('Event', '', [], { now }).columnDefinitions;
  assert.deepEqual(
    ev.filter((d) => d.priority === 0).map((d) => d.name),
    ['Last Seen', 'Type', 'Reason', 'Object', 'Message'],
  );
  const dep = toTable('Deployment', 'apps', [], { now }).columnDefinitions;
  assert.deepEqual(
    dep.filter((d) => d.priority === 1).map((d) => d.name),
    ['Containers', 'Images', 'Selector'],
  );
  const crd = toTable('CustomResourceDefinition', 'apiextensions.k8s.io', [], {}).columnDefinitions;
  assert.equal(crd[1].type, 'date');
});
