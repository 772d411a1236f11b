// An OIDC identity provider associated with `aws eks associate-identity-provider-config` on a running Skiff: once
// ACTIVE, the real kubectl authenticates with a token a local test issuer signed (RS256, discovery and JWKS on
// 127.0.0.1), as `<prefix><claim>` in the prefixed groups, and RBAC decides; a token for another client id is 401;
// after disassociation the issuer's tokens are refused.
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type Walkthrough, walkthrough } from './harness/cluster.js';
import { type SkiffProcess, startSkiff } from './harness/skiff.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
let skiff: SkiffProcess;
let w: Walkthrough;
let idp: Server;
let issuer: string;

function idToken(claims: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${part({ alg: 'RS256', kid: 'test' })}.${part({ iss: issuer, exp: Math.floor(Date.now() / 1000) + 600, ...claims })}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

describe('an associated OIDC identity provider', () => {
  before(async () => {
    idp = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/.well-known/openid-configuration')
        res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/keys` }));
      else if (req.url === '/keys')
        res.end(JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'test', use: 'sig' }] }));
      else res.writeHead(404).end('{}');
    });
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
    skiff = await startSkiff(['--runtime', 'simulated']);
    w = await walkthrough(skiff);
  });
  after(async () => {
    await skiff?.stop();
    idp?.close();
  });

  it('lets kubectl in with its tokens while the config is ACTIVE', async () => {
    const associate = await w.aws(
      'eks',
      'associate-identity-provider-config',
      '--cluster-name',
      'skiff',
      '--oidc',
      `identityProviderConfigName=corp,issuerUrl=${issuer},clientId=kubernetes,usernamePrefix=corp:,groupsClaim=groups,groupsPrefix=corp:`,
    );
    assert.equal(associate.code, 0, associate.stderr);
    const status = async () =>
      JSON.parse(
        (
          await w.aws(
            'eks',
            'describe-identity-provider-config',
            '--cluster-name',
            'skiff',
            '--identity-provider-config',
            'type=oidc,name=corp',
          )
        ).stdout,
      ).identityProviderConfig.oidc.status;
    await w.waitFor(async () => (await status()) === 'ACTIVE', 'the identity provider config to be ACTIVE');
    const binding = await skiff.kubectl([
      'create',
      'clusterrolebinding',
      'corp-dev-view',
      '--clusterrole=view',
      '--group=corp:dev',
    ]);
    assert.equal(binding.code, 0, binding.stderr);

    const alice = idToken({ aud: 'kubernetes', sub: 'alice', groups: ['dev'] });
    const whoami = await skiff.kubectl(['--token', alice, 'auth', 'whoami', '-o', 'json']);
    assert.equal(whoami.code, 0, whoami.stderr);
    const user = JSON.parse(whoami.stdout).status.userInfo;
    assert.equal(user.username, 'corp:alice');
    assert.deepEqual(user.groups, ['corp:dev', 'system:authenticated']);
    assert.equal((await skiff.kubectl(['--token', alice, 'get', 'pods', '-A'])).code, 0);
    const denied = await skiff.kubectl(['--token', alice, 'delete', 'namespace', 'default', '--dry-run=server']);
    assert.match(denied.stderr, /User "corp:alice" cannot delete resource "namespaces"/);
    const stranger = idToken({ aud: 'someone-else', sub: 'mallory' });
    assert.match(
      (await skiff.kubectl(['--token', stranger, 'get', 'pods'])).stderr,
      /Unauthorized|provide credentials/,
    );

    const dropped = await w.aws(
      'eks',
      'disassociate-identity-provider-config',
      '--cluster-name',
      'skiff',
      '--identity-provider-config',
      'type=oidc,name=corp',
    );
    assert.equal(dropped.code, 0, dropped.stderr);
    assert.match((await skiff.kubectl(['--token', alice, 'get', 'pods'])).stderr, /Unauthorized|provide credentials/);
  });
});
