// Service cluster IPs and node ports against the real API over a store: allocated once, chosen or given,
// refused when taken or out of range, kept on update, released on delete; the `kubernetes` Service exists.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { openStore } from '../../store/index.js';
import type { Backend } from '../../store/types.js';
import type { KubeObject } from '../api/types.js';
import { type ApiContext, createApiContext, inProcessClient } from '../index.js';

let store: Backend;
let ctx: ApiContext;
let client: ReturnType<typeof inProcessClient>;
const ref = { apiVersion: 'v1', kind: 'Service', namespace: 'default' };

before(async () => {
  store = await openStore({ kind: 'memory' });
  ctx = await createApiContext(store);
  client = inProcessClient(ctx);
});
after(() => store.close());

const service = (name: string, spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec: { ports: [{ port: 80 }], ...spec },
});

it('has the kubernetes Service at 10.100.0.1', async () => {
  const svc = await client.get(ref, 'kubernetes');
  assert.equal(svc.spec.clusterIP, '10.100.0.1');
  assert.deepEqual(svc.spec.ports[0], { name: 'https', port: 443, protocol: 'TCP', targetPort: 443 });
});

it('allocates distinct cluster IPs in the range, and node ports for NodePort services', async () => {
  const ips = new Set<string>();
  for (let i = 0; i < 20; i++) {
    const svc = await client.create(service(`s${i}`));
    assert.match(svc.spec.clusterIP, /^10\.100\.\d+\.\d+$/);
    assert.deepEqual(svc.spec.clusterIPs, [svc.spec.clusterIP]);
    ips.add(svc.spec.clusterIP);
  }
  assert.equal(ips.size, 20);
  const np = await client.create(service('np', { type: 'NodePort' }));
  assert.ok(np.spec.ports[0].nodePort >= 30000 && np.spec.ports[0].nodePort <= 32767);
  const headless = await client.create(service('headless', { clusterIP: 'None' }));
  assert.equal(headless.spec.clusterIP, 'None');
});

it('refuses a taken or out-of-range address with 422 and stores nothing', async () => {
  await client.create(service('fixed', { clusterIP: '10.100.7.7' }));
  await assert.rejects(
    client.create(service('clash', { clusterIP: '10.100.7.7' })),
    (e: any) => e.code === 422 && /already allocated/.test(e.message),
  );
  await assert.rejects(
    client.create(service('outside', { clusterIP: '192.168.0.1' })),
    (e: any) => e.code === 422 && /not in the valid range/.test(e.message),
  );
  await assert.rejects(client.get(ref, 'clash'), (e: any) => e.code === 404);
});

it('keeps the address on update and frees it on delete', async () => {
  const updated = await client.patch(ref, 'fixed', { spec: { clusterIP: '10.100.9.9' } }, 'merge');
  assert.equal(updated.spec.clusterIP, '10.100.7.7');
  await client.delete(ref, 'fixed');
  const again = await client.create(service('reuse', { clusterIP: '10.100.7.7' }));
  assert.equal(again.spec.clusterIP, '10.100.7.7');
});
