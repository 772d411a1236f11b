// Managed fields through the kube API over HTTPS: who owns what after create, update and apply; apply conflicts
// with kube-apiserver's 409 and its texts; force moves ownership; a second apply by the same manager drops the
// fields it no longer applies; an apply without fieldManager is refused.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi } from '../testing/api.js';
import { callApi } from '../testing/call.js';

let api: TestApi;
const call = (method: string, path: string, body?: unknown, contentType?: string) =>
  callApi({ url: api.server.url, caCert: api.caCert, token: api.token }, method, path, body, {
    contentType,
    userAgent: 'kubectl/v1.32.0 (linux/amd64) kubernetes/abc',
  });
before(async () => {
  api = await startTestApi();
});
after(() => api.close());

const deployments = '/apis/apps/v1/namespaces/default/deployments';
const deployment = (replicas: number, image = 'nginx') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } },
  },
});
const managers = (object: any) =>
  object.metadata.managedFields.map(
    (e: any) => `${e.manager}/${e.operation}${e.subresource ? `/${e.subresource}` : ''}`,
  );

describe('managed fields', () => {
  it('records the creating manager with every field it set, defaults included', async () => {
    const created = await call('POST', `${deployments}?fieldManager=kubectl-create`, deployment(1));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(managers(created.body), ['kubectl-create/Update']);
    const [entry] = created.body.metadata.managedFields;
    assert.equal(entry.apiVersion, 'apps/v1');
    assert.equal(entry.fieldsType, 'FieldsV1');
    assert.deepEqual(entry.fieldsV1['f:spec']['f:replicas'], {});
    assert.ok(entry.fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"web"}']['f:image']);
    assert.equal(entry.fieldsV1['f:status'], undefined);
  });

  it('gives a field to the manager that changed it; the user agent names a manager left unnamed', async () => {
    const scaled = await call('PATCH', `${deployments}/web`, { spec: { replicas: 3 } }, 'application/merge-patch+json');
    assert.equal(scaled.status, 200, JSON.stringify(scaled.body));
    assert.deepEqual(managers(scaled.body), ['kubectl-create/Update', 'kubectl/Update']);
    const [creator, scaler] = scaled.body.metadata.managedFields;
    assert.equal(creator.fieldsV1['f:spec']['f:replicas'], undefined);
    assert.deepEqual(scaler.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
  });

  it('refuses an apply that changes another manager’s field with 409 and the conflict, unless forced', async () => {
    const path = `${deployments}/web?fieldManager=ci`;
    const refused = await call('PATCH', path, deployment(5), 'application/apply-patch+yaml');
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.equal(refused.body.reason, 'Conflict');
    assert.equal(
      refused.body.message,
      'Apply failed with 1 conflict: conflict with "kubectl" using apps/v1: .spec.replicas',
    );
    assert.deepEqual(refused.body.details.causes, [
      { reason: 'FieldManagerConflict', message: 'conflict with "kubectl" using apps/v1', field: '.spec.replicas' },
    ]);
    const forced = await call('PATCH', `${path}&force=true`, deployment(5), 'application/apply-patch+yaml');
    assert.equal(forced.status, 200, JSON.stringify(forced.body));
    assert.equal(forced.body.spec.replicas, 5);
    assert.deepEqual(managers(forced.body), ['kubectl-create/Update', 'ci/Apply']);
  });

  it('shares a field an apply sets to the value it already has, and drops what the manager stops applying', async () => {
    const path = `${deployments}/web?fieldManager=ci`;
    const withLabel = deployment(5);
    (withLabel.metadata.labels as Record<string, string>).tier = 'front';
    const applied = await call('PATCH', path, withLabel, 'application/apply-patch+yaml');
    assert.equal(applied.status, 200, JSON.stringify(applied.body));
    assert.equal(applied.body.metadata.labels.tier, 'front');
    const dropped = await call('PATCH', path, deployment(5), 'application/apply-patch+yaml');
    assert.equal(dropped.status, 200, JSON.stringify(dropped.body));
    assert.equal(dropped.body.metadata.labels.tier, undefined);
    assert.equal(dropped.body.metadata.labels.app, 'web');
  });

  it('keeps managed fields untouched by a no-op and refuses an apply without a manager', async () => {
    const before = await call('GET', `${deployments}/web`);
    const again = await call(
      'PATCH',
      `${deployments}/web?fieldManager=ci`,
      deployment(5),
      'application/apply-patch+yaml',
    );
    assert.equal(again.body.metadata.resourceVersion, before.body.metadata.resourceVersion);
    const anonymous = await call('PATCH', `${deployments}/web`, deployment(5), 'application/apply-patch+yaml');
    assert.equal(anonymous.status, 400);
    assert.equal(anonymous.body.message, 'fieldManager is required for apply requests');
  });
});
