// ComponentStatuses over HTTPS: the store answers for etcd-0; the scheduler and controller manager are Unhealthy
// until something registers their checks, then say what the checks say; the deprecation warning; an unknown name.
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, it } from 'node:test';
import { startTestApi, type TestApi } from '../testing/api.js';
import { registerComponentHealth } from './status.js';

let api: TestApi;
before(async () => {
  api = await startTestApi();
});
after(() => api.close());

function get(path: string, accept = 'application/json'): Promise<{ status: number; warning?: string; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, api.server.url),
      { ca: api.caCert, headers: { Authorization: `Bearer ${api.token}`, Accept: accept } },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () =>
          resolve({ status: res.statusCode!, warning: res.headers.warning as string, body: JSON.parse(text) }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const statuses = async () =>
  Object.fromEntries(
    (await get('/api/v1/componentstatuses')).body.items.map((cs: any) => [cs.metadata.name, cs.conditions[0]]),
  );

it('etcd-0 answers from the store; unregistered components are Unhealthy', async () => {
  const reply = await get('/api/v1/componentstatuses');
  assert.equal(reply.status, 200);
  assert.equal(reply.warning, '299 - "v1 ComponentStatus is deprecated in v1.19+"');
  assert.deepEqual(reply.body.metadata, {});
  const all = await statuses();
  assert.deepEqual(all['etcd-0'], { type: 'Healthy', status: 'True', message: 'ok' });
  assert.equal(all.scheduler.status, 'False');
  assert.equal(all.scheduler.error, 'no scheduler runs with this API server');
});

it('registered checks decide, and a Table shows Healthy/Unhealthy with message and error', async () => {
  const withdraw = registerComponentHealth(api.ctx, 'scheduler', async () => undefined);
  registerComponentHealth(api.ctx, 'controller-manager', async () => {
    throw new Error('watch of Pod failed: boom');
  });
  const all = await statuses();
  assert.equal(all.scheduler.status, 'True');
  assert.deepEqual(all['controller-manager'], {
    type: 'Healthy',
    status: 'False',
    message: 'watch of Pod failed: boom',
    error: 'watch of Pod failed: boom',
  });
  const table = await get('/api/v1/componentstatuses', 'application/json;as=Table;v=v1;g=meta.k8s.io');
  assert.deepEqual(
    table.body.columnDefinitions.map((c: any) => c.name),
    ['Name', 'Status', 'Message', 'Error'],
  );
  assert.deepEqual(table.body.rows[1].cells, [
    'controller-manager',
    'Unhealthy',
    'watch of Pod failed: boom',
    'watch of Pod failed: boom',
  ]);
  withdraw();
  assert.equal((await statuses()).scheduler.status, 'False');
});

it('one by name, and an unknown name as kube-apiserver answers it', async () => {
  assert.equal((await get('/api/v1/componentstatuses/etcd-0')).body.metadata.name, 'etcd-0');
  const unknown = await get('/api/v1/componentstatuses/nope');
  assert.equal(unknown.status, 500);
  assert.equal(unknown.body.message, 'Internal error occurred: Component not found: nope');
});
