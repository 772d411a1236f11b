// A watch client that stops reading over HTTPS is cut off once its events back up (the stream ends, as
// kube-apiserver ends an unresponsive watcher) while writes go on at full speed; one that reads gets everything.
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, it } from 'node:test';
import { inProcessClient } from '../index.js';
import { startTestApi, type TestApi } from '../testing/api.js';
import { maxPendingWatchEvents } from './watch-sender.js';

let api: TestApi;
before(async () => {
  api = await startTestApi();
});
after(() => api.close());

/** Opens a watch on ConfigMaps; the returned stream is paused until `resume`. */
function openWatch(resourceVersion: string) {
  const { hostname, port } = new URL(api.server.url);
  return new Promise<{ lines: () => number; ended: Promise<void>; resume: () => void }>((resolve, reject) => {
    const req = request(
      {
        host: hostname,
        port,
        path: `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${resourceVersion}`,
        ca: api.caCert,
        headers: { Authorization: `Bearer ${api.token}` },
      },
      (res) => {
        res.pause();
        let count = 0;
        let rest = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const parts = (rest + chunk).split('\n');
          rest = parts.pop()!;
          count += parts.length;
        });
        const ended = new Promise<void>((done) => {
          res.on('end', done);
          res.on('close', done);
        });
        resolve({ lines: () => count, ended, resume: () => res.resume() });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

it('ends the watch of a client that does not read, without slowing the writers', async () => {
  const client = inProcessClient(api.ctx);
  const start = await client.list({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default' });
  const stalled = await openWatch(start.metadata.resourceVersion!);
  const reading = await openWatch(start.metadata.resourceVersion!);
  reading.resume();
  const total = maxPendingWatchEvents * 3;
  const data = { blob: 'x'.repeat(30_000) };
  for (let i = 0; i < total; i++) {
    const metadata = { name: `cm-${i}`, namespace: 'default' };
    await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata, data });
    // Let the sockets move, as writes arriving over HTTP would.
    await new Promise((resolve) => setImmediate(resolve));
  }
  stalled.resume();
  await stalled.ended;
  assert.ok(stalled.lines() < total, `the stalled watcher got ${stalled.lines()} of ${total} events, then its end`);
  const deadline = Date.now() + 20_000;
  while (reading.lines() < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(reading.lines(), total);
});
