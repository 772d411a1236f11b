// The access-entry operations through the EKS API as the SDK calls them: the creator's entry, create, describe,
// list (and by policy), update, associate at cluster and namespace scope, disassociate, delete, and EKS's errors.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestEksApi, type TestEksApi } from '../testing/api.js';

let api: TestEksApi;
before(async () => {
  api = await startTestEksApi();
});
after(() => api.close());

const view = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy';
const entries = '/clusters/skiff/access-entries';
const entryPath = (arn: string) => `${entries}/${encodeURIComponent(arn)}`;

describe('access entries', () => {
  let account: string;
  it("holds the creator's entry with AmazonEKSClusterAdminPolicy", async () => {
    const listed = await api.call('GET', entries);
    assert.equal(listed.status, 200);
    const creator = listed.body.accessEntries.find((a: string) => a.endsWith(':root'));
    account = /::(\d{12}):/.exec(creator)![1];
    const policies = await api.call('GET', `${entryPath(creator)}/access-policies`);
    assert.deepEqual(
      policies.body.associatedAccessPolicies.map((p: any) => [p.policyArn, p.accessScope]),
      [['arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy', { type: 'cluster', namespaces: [] }]],
    );
  });

  it('creates, describes, updates, associates, disassociates and deletes an entry', async () => {
    const role = `arn:aws:iam::${account}:role/dev`;
    const created = await api.call('POST', entries, JSON.stringify({ principalArn: role, kubernetesGroups: ['devs'] }));
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assert.equal(created.body.accessEntry.username, `arn:aws:sts::${account}:assumed-role/dev/{{SessionName}}`);
    assert.equal(created.body.accessEntry.type, 'STANDARD');
    const again = await api.call('POST', entries, JSON.stringify({ principalArn: role }));
    assert.equal(again.errorType, 'ResourceInUseException');
    const updated = await api.call('POST', entryPath(role), JSON.stringify({ kubernetesGroups: ['ops'] }));
    assert.deepEqual(updated.body.accessEntry.kubernetesGroups, ['ops']);
    const bad = await api.call('POST', entryPath(role), JSON.stringify({ kubernetesGroups: ['system:masters'] }));
    assert.equal(bad.errorType, 'InvalidParameterException');
    const noNamespaces = await api.call(
      'POST',
      `${entryPath(role)}/access-policies`,
      JSON.stringify({ policyArn: view, accessScope: { type: 'namespace' } }),
    );
    assert.equal(noNamespaces.errorType, 'InvalidParameterException');
    const associated = await api.call(
      'POST',
      `${entryPath(role)}/access-policies`,
      JSON.stringify({ policyArn: view, accessScope: { type: 'namespace', namespaces: ['dev'] } }),
    );
    assert.deepEqual(associated.body.associatedAccessPolicy.accessScope, { type: 'namespace', namespaces: ['dev'] });
    const byPolicy = await api.call('GET', `${entries}?associatedPolicyArn=${encodeURIComponent(view)}`);
    assert.deepEqual(byPolicy.body.accessEntries, [role]);
    assert.equal(
      (await api.call('DELETE', `${entryPath(role)}/access-policies/${encodeURIComponent(view)}`)).status,
      200,
    );
    const none = await api.call('GET', `${entryPath(role)}/access-policies`);
    assert.deepEqual(none.body.associatedAccessPolicies, []);
    assert.equal((await api.call('DELETE', entryPath(role))).status, 200);
    const gone = await api.call('GET', entryPath(role));
    assert.equal(gone.errorType, 'ResourceNotFoundException');
  });

  it('lists the four access policies', async () => {
    const listed = await api.call('GET', '/access-policies');
    assert.deepEqual(
      listed.body.accessPolicies.map((p: any) => p.name),
      ['AmazonEKSAdminPolicy', 'AmazonEKSClusterAdminPolicy', 'AmazonEKSEditPolicy', 'AmazonEKSViewPolicy'],
    );
  });
});
