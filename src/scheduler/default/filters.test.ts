// The filter plugins, table-driven: which plugin rejects a node with what (the predicates' own tables are in
// src/scheduler/predicates/).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Taint } from '../predicates/taints.js';
import { runFilters } from './filters.js';
import { podInfo } from './node-info.js';
import { nodeWith, testPod } from './testing.js';

const fargate: Taint = { key: 'eks.amazonaws.com/compute-type', value: 'fargate', effect: 'NoSchedule' };

describe('runFilters', () => {
  const cases: [string, Parameters<typeof nodeWith>, Parameters<typeof testPod>[0], string | undefined, string[]][] = [
    ['fits', [{}], { cpu: '1' }, undefined, []],
    ['cordoned', [{ unschedulable: true }], {}, 'UnschedulableAndUnresolvable', ['node(s) were unschedulable']],
    [
      'cordoned, but tolerated',
      [{ unschedulable: true }],
      { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] },
      undefined,
      [],
    ],
    [
      'Fargate node',
      [{ taints: [fargate], pods: 1 }],
      {},
      'UnschedulableAndUnresolvable',
      ['node(s) had untolerated taint {eks.amazonaws.com/compute-type: fargate}'],
    ],
    [
      'taint without value',
      [{ taints: [{ key: 'dedicated', effect: 'NoExecute' }] }],
      {},
      'UnschedulableAndUnresolvable',
      ['node(s) had untolerated taint {dedicated: }'],
    ],
    [
      'not ready',
      [{ ready: 'False' }],
      {},
      'UnschedulableAndUnresolvable',
      ['node(s) had untolerated taint {node.kubernetes.io/not-ready: }'],
    ],
    [
      'unreachable',
      [{ ready: 'Unknown' }],
      {},
      'UnschedulableAndUnresolvable',
      ['node(s) had untolerated taint {node.kubernetes.io/unreachable: }'],
    ],
    [
      'no Ready condition',
      [{ ready: 'none' }],
      {},
      'UnschedulableAndUnresolvable',
      ['node(s) had untolerated taint {node.kubernetes.io/not-ready: }'],
    ],
    [
      'node selector',
      [{}],
      { nodeSelector: { disk: 'ssd' } },
      'UnschedulableAndUnresolvable',
      ["node(s) didn't match Pod's node affinity/selector"],
    ],
    [
      'host port taken',
      [{}, [{ name: 'web', hostPort: 8080 }]],
      { hostPort: 8080 },
      'Unschedulable',
      ["node(s) didn't have free ports for the requested pod ports"],
    ],
    ['other host port', [{}, [{ name: 'web', hostPort: 8080 }]], { hostPort: 8081 }, undefined, []],
    ['cpu', [{ cpu: '2' }, [{ name: 'a', cpu: '1500m' }]], { cpu: '600m' }, 'Unschedulable', ['Insufficient cpu']],
    ['cpu exactly full', [{ cpu: '2' }, [{ name: 'a', cpu: '1500m' }]], { cpu: '500m' }, undefined, []],
    [
      'cpu and memory',
      [{ cpu: '1', memory: '1Gi' }],
      { cpu: '2', memory: '2Gi' },
      'Unschedulable',
      ['Insufficient cpu', 'Insufficient memory'],
    ],
    ['pod count', [{ pods: 1 }, [{ name: 'a' }]], {}, 'Unschedulable', ['Too many pods']],
    [
      'pod count and cpu',
      [{ pods: 1, cpu: '1' }, [{ name: 'a', cpu: '1' }]],
      { cpu: '1' },
      'Unschedulable',
      ['Too many pods', 'Insufficient cpu'],
    ],
    [
      'taints come before resources',
      [{ taints: [fargate], pods: 0 }],
      { cpu: '64' },
      'UnschedulableAndUnresolvable',
      ['node(s) had untolerated taint {eks.amazonaws.com/compute-type: fargate}'],
    ],
  ];
  for (const [what, [node, pods], pod, code, reasons] of cases) {
    it(what, () => {
      const status = runFilters(podInfo(testPod(pod)), nodeWith(node, pods));
      assert.equal(status?.code, code);
      assert.deepEqual(status?.reasons ?? [], reasons);
    });
  }
});
