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
