// UpdateNodegroupConfig through the in-process EKS API: updateConfig replaced (a percentage replaces a count, the
// strategy kept), its params, and the refusals of an empty or contradictory request.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestEksApi, type TestEksApi } from '../testing/api.js';

let api: TestEksApi;
before(async () => {
  api = await startTestEksApi();
  const { body } = await api.call('GET', '/clusters/skiff');
  const created = await api.call(
    'POST',
    '/clusters/skiff/node-groups',
    JSON.stringify({
      nodegroupName: 'ng',
      nodeRole: 'arn:aws:iam::111122223333:role/node',
      subnets: body.cluster.resourcesVpcConfig.subnetIds.slice(2),
      updateConfig: { maxUnavailable: 2, updateStrategy: 'MINIMAL' },
    }),
  );
  assert.equal(created.status, 200, JSON.stringify(created.body));
  await new Promise((r) => setTimeout(r, 150));
});
after(() => api.close());

const update = (body: unknown) =>
  api.call('POST', '/clusters/skiff/node-groups/ng/update-config', JSON.stringify(body));

describe('UpdateNodegroupConfig', () => {
  it('refuses an empty request and a count with a percentage', async () => {
    const empty = await update({});
    assert.equal(empty.errorType, 'InvalidParameterException');
    assert.equal(empty.body.message, 'No changes needed for the nodegroup config.');
    const both = await update({ updateConfig: { maxUnavailable: 1, maxUnavailablePercentage: 10 } });
    assert.equal(both.body.message, 'Only one of maxUnavailable and maxUnavailablePercentage may be specified.');
    const badEffect = await update({ taints: { addOrUpdateTaints: [{ key: 'k', effect: 'NOPE' }] } });
    assert.equal(badEffect.errorType, 'InvalidParameterException');
    assert.match(
      badEffect.body.message,
      /at 'taints\.addOrUpdateTaints\.1\.member\.effect' failed to satisfy constraint/,
    );
  });

  it('a percentage replaces the count and the strategy stays', async () => {
    const reply = await update({ updateConfig: { maxUnavailablePercentage: 30 } });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.deepEqual(reply.body.update.params, [{ type: 'MaxUnavailablePercentage', value: '30' }]);
    const { body } = await api.call('GET', '/clusters/skiff/node-groups/ng');
    assert.deepEqual(body.nodegroup.updateConfig, { maxUnavailablePercentage: 30, updateStrategy: 'MINIMAL' });
    assert.equal(body.nodegroup.status, 'UPDATING');
  });
});
