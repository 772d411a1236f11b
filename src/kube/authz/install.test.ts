// Authorization installed on an API context: the bootstrap policy is stored, the aggregation controller writes
// aggregated rules into `view` (and follows a new aggregate-to-view role), and impersonation headers are checked
// with the impersonate verb.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { openStore } from '../../store/index.js';
import type { Backend } from '../../store/types.js';
import type { KubeObject } from '../api/types.js';
import { type ApiContext, createApiContext, inProcessClient } from '../index.js';
import { nodeUser } from './identities.js';
import { impersonate } from './impersonation.js';

let store: Backend;
let ctx: ApiContext;
const clusterRoles = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' };

before(async () => {
  store = await openStore({ kind: 'memory', path: '' });
  ctx = await createApiContext(store);
});
after(async () => {
  ctx.authorizer?.stop();
  await store.close();
});

async function eventually(check: () => Promise<void>): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      return await check();
    } catch (error) {
      if (i > 100) throw error;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

const headers = (h: Record<string, string[]>) => ({ headersDistinct: h }) as unknown as IncomingMessage;

describe('installed authorization', () => {
  it('stores the bootstrap policy and fills aggregated rules, following new roles', async () => {
    const client = inProcessClient(ctx);
    const admin = await client.get<KubeObject>(clusterRoles, 'cluster-admin');
    assert.equal(admin.metadata.labels?.['kubernetes.io/bootstrapping'], 'rbac-defaults');
    await eventually(async () => {
      const view = await client.get<KubeObject>(clusterRoles, 'view');
      assert.ok(view.rules.some((r: { resources?: string[] }) => r.resources?.includes('pods/log')));
    });
    await client.create({
      ...clusterRoles,
      metadata: { name: 'widgets-view', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
      rules: [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get'] }],
    });
    await eventually(async () => {
      const admin = await client.get<KubeObject>(clusterRoles, 'admin');
      assert.ok(admin.rules.some((r: { resources?: string[] }) => r.resources?.includes('widgets')));
    });
  });

  it('authorizes the in-process client: an agent is a node, allowed its metrics but not workloads', async () => {
    const agent = inProcessClient(ctx, nodeUser('vm'));
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'default' } };
    await assert.rejects(
      agent.create(deployment),
      (e: any) =>
        e.status.message ===
        'deployments.apps is forbidden: User "system:node:vm" cannot create resource "deployments" in API group "apps" in the namespace "default"',
    );
    const usage = { cpu: '1m', memory: '1Mi' };
    const metrics = { apiVersion: 'metrics.k8s.io/v1beta1', kind: 'NodeMetrics', metadata: { name: 'vm' }, usage };
    await agent.create({ ...metrics, timestamp: new Date().toISOString(), window: '10s' });
    assert.equal((await agent.list({ apiVersion: 'v1', kind: 'Pod' })).kind, 'PodList');
  });

  it('checks impersonation with the impersonate verb', () => {
    const viewer = { username: 'system:serviceaccount:default:viewer', groups: ['system:authenticated'] };
    assert.throws(
      () => impersonate(ctx.authorizer, headers({ 'impersonate-user': ['jane'] }), viewer),
      (e: any) =>
        e.status.message ===
        'users "jane" is forbidden: User "system:serviceaccount:default:viewer" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
    const root = { username: 'admin', groups: ['system:masters'] };
    const as = impersonate(
      ctx.authorizer,
      headers({ 'impersonate-user': ['system:serviceaccount:ns:sa'], 'impersonate-extra-scopes': ['a', 'b'] }),
      root,
    );
    assert.deepEqual(as, {
      username: 'system:serviceaccount:ns:sa',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:ns', 'system:authenticated'],
      extra: { scopes: ['a', 'b'] },
    });
    assert.equal(impersonate(ctx.authorizer, headers({}), viewer), viewer);
  });
});
