// fargate-scheduler's HostBook: reservations and placed nodes count against a host until they go away (the room
// rules themselves are tested in src/scheduler/hosts/).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostLease, placedNode as node } from '../hosts/testing.js';
import { HostBook } from './hosts.js';

test('reservations and nodes count against a host; the least loaded host that fits is picked', () => {
  const book = new HostBook();
  book.leaseChanged(undefined, hostLease('h1', { cpuMillis: 1000, memoryMiB: 4096, sandboxes: 10 }));
  book.leaseChanged(undefined, hostLease('h2', { cpuMillis: 2000, memoryMiB: 4096, sandboxes: 10 }));
  const quarter = { cpuMillis: 250, memoryMiB: 512 };
  assert.deepEqual(book.reserve('n1', quarter), { host: 'h2' });
  assert.deepEqual(book.reserve('n2', quarter), { host: 'h1' }, 'both at 25% cpu: by name');
  book.nodeChanged(undefined, node('n1', 'h2', quarter));
  book.nodeChanged(undefined, node('n2', 'h1', quarter));
  assert.deepEqual(
    book.hosts().map((h) => [h.host, h.used]),
    [
      ['h1', { cpuMillis: 250, memoryMiB: 512, nodes: 1 }],
      ['h2', { cpuMillis: 250, memoryMiB: 512, nodes: 1 }],
    ],
  );
  assert.deepEqual(book.reserve('big', { cpuMillis: 1000, memoryMiB: 2048 }), { host: 'h2' });
  assert.deepEqual(book.reserve('too-big', { cpuMillis: 2000, memoryMiB: 2048 }), {
    message: '0/2 hosts are available: 2 host(s) had no room for the pod',
  });
  book.unreserve('big');
  book.nodeChanged(node('n1', 'h2', quarter), undefined);
  assert.deepEqual(book.reserve('again', { cpuMillis: 2000, memoryMiB: 2048 }), { host: 'h2' });
  book.leaseChanged(hostLease('h1'), undefined);
  assert.deepEqual(
    book.hosts().map((h) => h.host),
    ['h2'],
  );
});

test('a renewal that reaches the book late still makes its host live for a lease duration from its arrival', () => {
  const book = new HostBook();
  const t0 = Date.parse('2026-12-05T10:00:00Z');
  const quarter = { cpuMillis: 250, memoryMiB: 512 };
  book.leaseChanged(undefined, hostLease('h1', undefined, new Date(t0)), t0);
  // Renewed at t0+10 s, delivered 45 s late by a busy API: by renewTime alone it would expire at t0+50 s.
  book.leaseChanged(
    hostLease('h1', undefined, new Date(t0)),
    hostLease('h1', undefined, new Date(t0 + 10_000)),
    t0 + 55_000,
  );
  assert.equal(book.roomFor(quarter, t0 + 90_000), undefined);
  assert.deepEqual(book.reserve('n1', quarter, t0 + 90_000), { host: 'h1' });
  // Nothing more arrives: 40 s after the last arrival the host is gone, and no room is found without reserving any.
  assert.deepEqual(book.roomFor(quarter, t0 + 96_000), {
    message: '0/0 hosts are available: no host agent is running',
  });
});

test('a Lease first seen counts from its renewTime alone (a stale host is not live after a restart)', () => {
  const book = new HostBook();
  const t0 = Date.parse('2026-12-05T10:00:00Z');
  book.leaseChanged(undefined, hostLease('h1', undefined, new Date(t0)), t0 + 60_000);
  assert.ok(book.roomFor({ cpuMillis: 250, memoryMiB: 512 }, t0 + 60_000));
});
