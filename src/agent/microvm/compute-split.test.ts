// The split by compute type: Fargate pods to the micro-VM driver, node-group pods to the process driver, and every
// later call (delete, logs, streams) to the driver that took the pod.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SandboxDriver, SandboxPod } from '../driver.js';
import { ComputeSplitDriver } from './compute-split.js';

function fake(name: string, calls: string[]): SandboxDriver {
  return {
    name,
    readyNote: name === 'process' ? 'nofile capped' : undefined,
    createPod: (pod) => calls.push(`${name} create ${pod.uid}`),
    updatePod: (pod) => calls.push(`${name} update ${pod.uid}`),
    deletePod: async (uid) => void calls.push(`${name} delete ${uid}`),
    usage: async () => [],
    async *logs(ref) {
      yield `${name} log of ${ref.podUid}\n`;
    },
    streamUrl: async (request) => `${name}:${request.podUid}`,
    close: async () => void calls.push(`${name} close`),
  };
}

const pod = (uid: string, fargate: boolean) => ({ uid, fargate }) as SandboxPod;
const listener = { status() {}, event() {} };

test('Fargate pods go to the micro-VM driver and node-group pods to the process driver, for good', async () => {
  const calls: string[] = [];
  const split = new ComputeSplitDriver(fake('microvm', calls), fake('process', calls));
  split.createPod(pod('f', true), listener);
  split.createPod(pod('n', false), listener);
  split.updatePod(pod('f', true));
  assert.equal(await split.streamUrl({ verb: 'portforward', podUid: 'n', ports: [80] }), 'process:n');
  const ref = { podUid: 'f', namespace: 'a', podName: 'p', container: 'c', containerId: 'x' };
  const lines: string[] = [];
  for await (const line of split.logs(ref, {})) lines.push(line);
  assert.deepEqual(lines, ['microvm log of f\n']);
  await split.deletePod('f', 30);
  await split.deletePod('unknown', 30);
  await split.close();
  assert.deepEqual(calls, [
    'microvm create f',
    'process create n',
    'microvm update f',
    'microvm delete f',
    'microvm close',
    'process close',
  ]);
  assert.equal(split.readyNote, 'node-group pods: nofile capped');
  await assert.rejects(split.streamUrl({ verb: 'portforward', podUid: 'f', ports: [80] }), /not found/);
});
