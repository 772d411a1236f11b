// Test helpers: compact Node and Pod objects for the pure scheduling rules' table-driven tests.
import type { KubeObject } from '../../kube/api/types.js';
import { NodeInfo, podInfo } from './node-info.js';

export interface TestNode {
  name?: string;
  cpu?: string;
  memory?: string;
  pods?: number;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  unschedulable?: boolean;
  ready?: 'True' | 'False' | 'Unknown' | 'none';
}

export function testNode(n: TestNode = {}): KubeObject {
  const allocatable = { cpu: n.cpu ?? '2', memory: n.memory ?? '4Gi', pods: String(n.pods ?? 110) };
  const ready = n.ready ?? 'True';
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: n.name ?? 'node-a', labels: { 'kubernetes.io/hostname': n.name ?? 'node-a', ...n.labels } },
    spec: { ...(n.taints ? { taints: n.taints } : {}), ...(n.unschedulable ? { unschedulable: true } : {}) },
    status: {
      capacity: allocatable,
      allocatable,
      conditions: ready === 'none' ? [] : [{ type: 'Ready', status: ready }],
    },
  };
}

export interface TestPod {
  name?: string;
  cpu?: string;
  memory?: string;
  priority?: number;
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  affinity?: unknown;
  tolerations?: unknown[];
  hostPort?: number;
  preemptionPolicy?: string;
}

export function testPod(p: TestPod = {}): KubeObject {
  const requests: Record<string, string> = {};
  if (p.cpu) requests.cpu = p.cpu;
  if (p.memory) requests.memory = p.memory;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: p.name ?? 'pod', namespace: 'default', uid: `uid-${p.name ?? 'pod'}` },
    spec: {
      containers: [
        {
          name: 'c',
          image: 'nginx',
          resources: { requests },
          ...(p.hostPort ? { ports: [{ containerPort: 80, hostPort: p.hostPort }] } : {}),
        },
      ],
      ...(p.nodeName ? { nodeName: p.nodeName } : {}),
      ...(p.nodeSelector ? { nodeSelector: p.nodeSelector } : {}),
      ...(p.affinity ? { affinity: p.affinity } : {}),
      ...(p.tolerations ? { tolerations: p.tolerations } : {}),
      ...(p.preemptionPolicy ? { preemptionPolicy: p.preemptionPolicy } : {}),
      priority: p.priority ?? 0,
    },
    status: { phase: 'Pending' },
  };
}

/** A NodeInfo holding the given pods. */
export function nodeWith(node: TestNode, pods: TestPod[] = []): NodeInfo {
  const info = new NodeInfo(testNode(node));
  for (const p of pods) info.addPod(podInfo(testPod({ ...p, nodeName: info.name })));
  return info;
}
