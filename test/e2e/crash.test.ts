// kill -9 of `skiff up` during a stream of writes: after `skiff up` again on the same data dir every write the
// API acknowledged is there, and the server starts cleanly and keeps working.
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, it } from 'node:test';
import { type SkiffProcess, startSkiff } from './harness/skiff.js';

let skiff: SkiffProcess;
before(async () => {
  skiff = await startSkiff(['--runtime', 'simulated']);
});
after(async () => {
  await skiff?.stop();
});

function post(name: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      new URL('/api/v1/namespaces/default/configmaps', skiff.kubeEndpoint),
      {
        method: 'POST',
        ca: skiff.caCert,
        headers: { Authorization: `Bearer ${skiff.token}`, 'Content-Type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(JSON.stringify({ metadata: { name }, data: { payload: 'x'.repeat(512) } }));
  });
}

it('keeps every acknowledged write across kill -9', async () => {
  const acknowledged: string[] = [];
  let stop = false;
  const writers = [0, 1, 2, 3].map(async (w) => {
    for (let i = 0; !stop; i++) {
      const name = `w${w}-${i}`;
      const code = await post(name);
      if (code === 201) acknowledged.push(name);
      else if (code === 0) return;
    }
  });
  while (acknowledged.length < 200) await new Promise((r) => setTimeout(r, 10));
  await skiff.kill('SIGKILL');
  stop = true;
  await Promise.all(writers);
  await skiff.restart();
  const out = await skiff.kubectl(['get', 'configmaps', '-o', 'jsonpath={.items[*].metadata.name}']);
  assert.equal(out.code, 0, out.stderr);
  const stored = new Set(out.stdout.split(' '));
  const lost = acknowledged.filter((name) => !stored.has(name));
  assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.length} acknowledged writes lost`);
  const again = await skiff.kubectl(
    ['create', '-f', '-'],
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: after-restart}\n',
  );
  assert.equal(again.code, 0, again.stderr);
});
