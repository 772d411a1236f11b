// CreateNodegroup refuses scaling sizes that are not whole numbers (the SDK can send 0.5) with EKS'
// InvalidParameterException "<member> is not valid", before anything is stored.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startTestEksApi, type TestEksApi } from '../testing/api.js';

let api: TestEksApi;
before(async () => {
  api = await startTestEksApi();
});
after(() => api.close());

it('answers desiredSize 0.5 and a negative minSize with InvalidParameterException', async () => {
  const cluster = await api.call('GET', '/clusters/skiff');
  const subnets = cluster.body.cluster.resourcesVpcConfig.subnetIds.slice(0, 1);
  const nodeRole = 'arn:aws:iam::111122223333:role/node';
  for (const [scalingConfig, member] of [
    [{ minSize: 0, maxSize: 2, desiredSize: 0.5 }, 'desiredSize'],
    [{ minSize: -1, maxSize: 2, desiredSize: 1 }, 'minSize'],
    [{ minSize: 0, maxSize: 2 ** 60, desiredSize: 1 }, 'maxSize'],
  ] as const) {
    const body = JSON.stringify({ nodegroupName: 'half', nodeRole, subnets, scalingConfig });
    const reply = await api.call('POST', '/clusters/skiff/node-groups', body);
    assert.equal(reply.status, 400, JSON.stringify(reply.body));
    assert.equal(reply.errorType, 'InvalidParameterException');
    assert.equal(reply.body.message, `${member} is not valid`);
  }
  assert.equal((await api.call('GET', '/clusters/skiff/node-groups/half')).status, 404);
});
