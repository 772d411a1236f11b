// StatusWriter with a recording client: a burst of changes is one write, a status given as a function is made once
// for it, an unchanged status is not written again, and flush waits for the write.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeClient } from '../kube/client/types.js';
import { StatusWriter } from './status-writer.js';

function recordingClient() {
  const patches: { name: string; operations: { op: string; path: string; value: unknown }[] }[] = [];
  const client = {
    async patch(_ref: unknown, name: string, operations: any) {
      patches.push({ name, operations });
      return {};
    },
  } as unknown as KubeClient;
  return { client, patches };
}

const target = { namespace: 'default', name: 'web', uid: 'u1' };

test('a burst of changes is one write; a status given as a function is made once, when the write is due', async () => {
  const { client, patches } = recordingClient();
  const writer = new StatusWriter(client, { batchMs: 5 });
  let made = 0;
  let phase = 'Pending';
  const status = () => {
    made++;
    return { phase };
  };
  writer.set(target, status);
  phase = 'Running';
  writer.set(target, status);
  writer.set(target, status);
  assert.equal(made, 0, 'nothing assembled before the write is due');
  await writer.flush(target.uid);
  assert.equal(made, 1);
  assert.equal(patches.length, 1);
  assert.deepEqual(patches[0].operations, [
    { op: 'test', path: '/metadata/uid', value: 'u1' },
    { op: 'add', path: '/status/phase', value: 'Running' },
  ]);
});

test('a status equal to the last one written is not written again, in either form', async () => {
  const { client, patches } = recordingClient();
  const writer = new StatusWriter(client, { batchMs: 5 });
  writer.set(target, { phase: 'Running' });
  await writer.flush(target.uid);
  writer.set(target, { phase: 'Running' });
  await writer.flush(target.uid);
  writer.set(target, () => ({ phase: 'Running' }));
  await writer.flush(target.uid);
  assert.equal(patches.length, 1);
  writer.set(target, () => ({ phase: 'Succeeded' }));
  await writer.flush(target.uid);
  assert.equal(patches.length, 2);
  await writer.stop();
});
