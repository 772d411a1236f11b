import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { ensureAwsCredentials, generateAwsCredentials } from '../credentials.js';
import { decodeEksToken, eksTokenAuthenticator } from './token.js';

const run = promisify(execFile);

async function awsGetToken(dir: string, cluster: string): Promise<string> {
  const env = {
    ...process.env,
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_CONFIG_FILE: join(dir, 'config'),
  };
  const { stdout } = await run('aws', ['--region', 'ap-northeast-2', 'eks', 'get-token', '--cluster-name', cluster], {
    env,
  });
  return JSON.parse(stdout).status.token;
}

test('accepts the token aws eks get-token makes, and only for its cluster and key', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-token-'));
  try {
    const creds = await ensureAwsCredentials(dir, 'ap-northeast-2');
    const token = await awsGetToken(dir, 'demo');
    const url = decodeEksToken(token);
    assert.equal(url?.hostname, 'sts.ap-northeast-2.amazonaws.com');

    const user = await eksTokenAuthenticator({ credentials: () => [creds], clusterName: 'demo' })(token);
    assert.equal(user?.username, 'kubernetes-admin');
    assert.deepEqual(user?.groups, ['system:masters', 'system:authenticated']);

    const otherCluster = eksTokenAuthenticator({ credentials: () => [creds], clusterName: 'other' });
    assert.equal(await otherCluster(token), undefined);
    const otherKey = eksTokenAuthenticator({ credentials: () => [generateAwsCredentials()], clusterName: 'demo' });
    assert.equal(await otherKey(token), undefined);
    const later = eksTokenAuthenticator({
      credentials: () => [creds],
      clusterName: 'demo',
      now: () => new Date(Date.now() + 30 * 60_000),
    });
    assert.equal(await later(token), undefined, 'expired');

    const tampered = `k8s-aws-v1.${Buffer.from(url!.toString().replace('Action=GetCallerIdentity', 'Action=GetCallerIdentity&x=1')).toString('base64url')}`;
    assert.equal(await eksTokenAuthenticator({ credentials: () => [creds], clusterName: 'demo' })(tampered), undefined);
    assert.equal(
      await eksTokenAuthenticator({ credentials: () => [creds], clusterName: 'demo' })('not-a-token'),
      undefined,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
