// Host Leases and room, table-driven: liveness, declared capacity, what a node takes of its host, and which host
// gets a new node.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../kube/api/types.js';
import { hostCapacity, leaseIsLive, liveHosts } from './lease.js';
import { nodeReservation, noRoomMessage, pickHost, usageByHost } from './room.js';
import { hostLease as lease, placedNode as node } from './testing.js';

const now = Date.parse('2026-01-01T00:01:00Z');

describe('host leases', () => {
  it('a lease is live within its duration of the last renewal', () => {
    assert.equal(leaseIsLive(lease('h', undefined, new Date('2026-01-01T00:00:30Z')), now), true);
    assert.equal(leaseIsLive(lease('h', undefined, new Date('2026-01-01T00:00:10Z')), now), false);
  });
  const cases: [string, unknown, ReturnType<typeof hostCapacity>][] = [
    [
      'declared',
      { cpuMillis: 2000, memoryMiB: 4096, sandboxes: 3 },
      { cpuMillis: 2000, memoryMiB: 4096, sandboxes: 3 },
    ],
    [
      'a missing or invalid field does not limit',
      { cpuMillis: 2000, memoryMiB: 'x' },
      { cpuMillis: 2000, memoryMiB: Number.POSITIVE_INFINITY, sandboxes: Number.POSITIVE_INFINITY },
    ],
    [
      'no annotation does not limit',
      undefined,
      { cpuMillis: Number.POSITIVE_INFINITY, memoryMiB: Number.POSITIVE_INFINITY, sandboxes: Number.POSITIVE_INFINITY },
    ],
    ['an annotation that is not an object makes the host unusable', 'bad', undefined],
  ];
  for (const [what, capacity, expected] of cases) {
    it(`capacity: ${what}`, () => assert.deepEqual(hostCapacity(lease('h', capacity)), expected));
  }
  it('live hosts: renewed, not being deleted, with a usable capacity, in kube-system', () => {
    const leases = [
      lease('a', {}),
      lease('stale', {}, new Date(now - 60_000)),
      lease('bad', 'bad'),
      lease('going', {}, new Date(now), { deletionTimestamp: '2026-01-01T00:00:59Z' }),
      lease('elsewhere', {}, new Date(now), { namespace: 'default' }),
    ];
    assert.deepEqual(
      liveHosts(leases, now).map((h) => h.name),
      ['a'],
    );
  });
});

describe('room', () => {
  it('a node takes its skiff.io/reserved size, else a known size, else its capacity, else 0.25 vCPU 0.5 GB', () => {
    const sized = () => ({ cpuMillis: 2000, memoryMiB: 8192 });
    assert.deepEqual(nodeReservation(node('a', 'h', { cpuMillis: 250, memoryMiB: 512 }), sized), {
      cpuMillis: 250,
      memoryMiB: 512,
    });
    assert.deepEqual(nodeReservation(node('b', 'h'), sized), { cpuMillis: 2000, memoryMiB: 8192 });
    assert.deepEqual(nodeReservation(node('c', 'h', undefined, { cpu: '2', memory: '4Gi' })), {
      cpuMillis: 2000,
      memoryMiB: 4096,
    });
    assert.deepEqual(nodeReservation(node('d', 'h')), { cpuMillis: 250, memoryMiB: 512 });
  });

  it('nodes of one size read their shared skiff.io/reserved text once, each getting its own copy', () => {
    const first = nodeReservation(node('a', 'h', { cpuMillis: 500, memoryMiB: 1024 }));
    const second = nodeReservation(node('b', 'h', { cpuMillis: 500, memoryMiB: 1024 }));
    assert.deepEqual(second, { cpuMillis: 500, memoryMiB: 1024 });
    assert.notEqual(first, second);
    const unreadable = node('c', 'h');
    unreadable.metadata.annotations = { ...unreadable.metadata.annotations, 'skiff.io/reserved': '{"cpuMillis":' };
    assert.deepEqual(nodeReservation(unreadable), { cpuMillis: 250, memoryMiB: 512 });
    assert.deepEqual(
      nodeReservation(unreadable, () => ({ cpuMillis: 1, memoryMiB: 2 })),
      { cpuMillis: 1, memoryMiB: 2 },
    );
  });

  const hosts = liveHosts(
    [
      lease('h1', { cpuMillis: 1000, memoryMiB: 4096, sandboxes: 10 }),
      lease('h2', { cpuMillis: 2000, memoryMiB: 4096, sandboxes: 8 }),
    ],
    now,
  );
  const quarter = { cpuMillis: 250, memoryMiB: 512 };
  const cases: [string, KubeObject[], { cpuMillis: number; memoryMiB: number }, string | undefined][] = [
    ['the least loaded after placing (h1 would be at 25% CPU, h2 at 12.5%)', [], quarter, 'h2'],
    ['equal load: by name', [node('n', 'h2', quarter)], quarter, 'h1'],
    ['memory counts', [node('n', 'h2', { cpuMillis: 0, memoryMiB: 4000 })], quarter, 'h1'],
    [
      'a host holds at most `sandboxes` nodes',
      Array.from({ length: 8 }, (_, i) => node(`n${i}`, 'h2', { cpuMillis: 0, memoryMiB: 0 })),
      quarter,
      'h1',
    ],
    ['none has room', [], { cpuMillis: 2500, memoryMiB: 512 }, undefined],
  ];
  for (const [what, nodes, need, expected] of cases) {
    it(what, () => {
      const used = usageByHost(nodes);
      assert.equal(
        pickHost(hosts, (h) => used.get(h), need),
        expected,
      );
    });
  }
  it('says why no host was picked', () => {
    assert.equal(noRoomMessage(0), '0/0 hosts are available: no host agent is running');
    assert.equal(noRoomMessage(2), '0/2 hosts are available: 2 host(s) had no room for the pod');
  });
});
