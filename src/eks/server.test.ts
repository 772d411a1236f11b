// Hostile input to the EKS API, signed like an SDK request and sent byte for byte: a malformed percent-escape,
// `..` and encoded slashes in path parameters, a body that is not an object and members of the wrong type are
// answered with the service's error types (`x-amzn-ErrorType` + `{"message"}`), never a 500 or another route.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type EksReply as Reply, startTestEksApi, type TestEksApi } from './testing/api.js';

const role = 'arn:aws:iam::111122223333:role/fargate-pod-role';
let api: TestEksApi;

before(async () => {
  api = await startTestEksApi();
});
after(() => api.close());

const call = (method: string, path: string, body?: string) => api.call(method, path, body);

function expectError(reply: Reply, status: number, errorType: string) {
  assert.equal(reply.status, status, JSON.stringify(reply.body));
  assert.equal(reply.errorType, errorType);
  assert.equal(typeof reply.body.message, 'string');
  assert.doesNotMatch(reply.body.message, /is not a function|undefined|URI malformed|TypeError/);
}

const profile = (name: unknown) =>
  JSON.stringify({ fargateProfileName: name, podExecutionRoleArn: role, selectors: [{ namespace: 'default' }] });

describe('EKS API hostile input', () => {
  it('answers a malformed percent-escape in a path parameter with InvalidParameterException', async () => {
    expectError(await call('GET', '/clusters/skiff/fargate-profiles/%zz'), 400, 'InvalidParameterException');
    expectError(await call('DELETE', '/clusters/skiff/fargate-profiles/%zz'), 400, 'InvalidParameterException');
    expectError(await call('GET', '/clusters/%e2%28'), 400, 'InvalidParameterException');
  });

  it('treats `..` and encoded slashes as names no resource has, not as a way to another route', async () => {
    const created = await call('POST', '/clusters/skiff/fargate-profiles', profile('kept'));
    assert.equal(created.status, 200, JSON.stringify(created.body));
    for (const name of ['%2e%2e', '..', 'kept%2F%2e%2e', '%2e']) {
      const reply = await call('DELETE', `/clusters/skiff/fargate-profiles/${name}`);
      expectError(reply, 404, 'ResourceNotFoundException');
    }
    expectError(await call('GET', '/clusters/%2e%2e'), 404, 'ResourceNotFoundException');
    const kept = await call('GET', '/clusters/skiff/fargate-profiles/kept');
    assert.equal(kept.status, 200);
    assert.equal(kept.body.fargateProfile.fargateProfileName, 'kept');
  });

  it('refuses a body that is not a JSON object and members of the wrong type', async () => {
    for (const body of ['[]', 'true', '"x"', '7']) {
      expectError(await call('POST', '/clusters/skiff/fargate-profiles', body), 400, 'SerializationException');
    }
    for (const name of [true, 7, ['a'], { a: 1 }]) {
      const reply = await call('POST', '/clusters/skiff/fargate-profiles', profile(name));
      expectError(reply, 400, 'SerializationException');
    }
    const labels = JSON.stringify({
      fargateProfileName: 'typed',
      podExecutionRoleArn: role,
      selectors: [{ namespace: 'default', labels: { app: 7 } }],
    });
    const wrongLabel = await call('POST', '/clusters/skiff/fargate-profiles', labels);
    expectError(wrongLabel, 400, 'SerializationException');
    assert.match(wrongLabel.body.message, /selectors\[0\]\.labels\.app/);
    const nodegroup = await call('POST', '/clusters/skiff/node-groups', JSON.stringify({ nodegroupName: true }));
    expectError(nodegroup, 400, 'SerializationException');
  });
});
