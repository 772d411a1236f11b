// The kube API's OIDC authenticator against a test issuer on 127.0.0.1 (RS256, discovery and JWKS over HTTP): the
// username and groups claims with their prefixes (the issuer-URL default, "-", email), requiredClaims, the client
// id, expiry, a key the issuer does not publish, and a config that is not ACTIVE.
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { openStore } from '../../store/index.js';
import type { Backend } from '../../store/types.js';
import { identityProviderAuthenticator } from './authenticator.js';
import { type OidcConfig, providerKeys, type StoredIdentityProviderConfig } from './records.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
let server: Server;
let issuer: string;
let store: Backend;

function jwt(claims: Record<string, unknown>, key = privateKey, kid = 'k1'): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${part({ alg: 'RS256', kid })}.${part(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

async function configure(config: Partial<OidcConfig>, activeAt = 0) {
  const stored: StoredIdentityProviderConfig = {
    config: {
      identityProviderConfigName: 'corp',
      identityProviderConfigArn: 'arn:aws:eks:ap-northeast-2:111122223333:identityproviderconfig/demo/oidc/corp/x',
      clusterName: 'demo',
      issuerUrl: issuer,
      clientId: 'kubernetes',
      tags: {},
      ...config,
    },
    activeAt,
  };
  const key = providerKeys.one('demo', 'corp');
  const found = await store.get(key);
  if (found) await store.update(key, JSON.stringify(stored));
  else await store.create(key, JSON.stringify(stored));
}

before(async () => {
  store = await openStore({ kind: 'memory' });
  server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration')
      res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
    else if (req.url === '/jwks')
      res.end(
        JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', use: 'sig', alg: 'RS256' }] }),
      );
    else res.writeHead(404).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.close();
  await store.close();
});

const exp = () => Math.floor(Date.now() / 1000) + 600;

describe('the OIDC identity provider authenticator', () => {
  it('maps sub with the issuer-URL prefix by default, and groups with their prefix', async () => {
    await configure({ groupsClaim: 'groups', groupsPrefix: 'corp:' });
    const auth = identityProviderAuthenticator(store, 'demo');
    const user = await auth(jwt({ iss: issuer, aud: 'kubernetes', sub: 'alice', groups: ['dev', 'ops'], exp: exp() }));
    assert.deepEqual(user, { username: `${issuer}#alice`, groups: ['corp:dev', 'corp:ops', 'system:authenticated'] });
    assert.equal(await auth(jwt({ iss: issuer, aud: 'other', sub: 'alice', exp: exp() })), undefined, 'client id');
    assert.equal(await auth(jwt({ iss: issuer, aud: 'kubernetes', sub: 'alice', exp: 1 })), undefined, 'expired');
    const forged = jwt({ iss: issuer, aud: 'kubernetes', sub: 'alice', exp: exp() }, stranger);
    assert.equal(await auth(forged), undefined, 'a key the issuer does not publish');
    assert.equal(await auth('not-a-jwt'), undefined);
  });

  it('honours usernameClaim, "-", email_verified and requiredClaims', async () => {
    await configure({ usernameClaim: 'email', requiredClaims: { hd: 'example.com' } });
    const auth = identityProviderAuthenticator(store, 'demo');
    const claims = {
      iss: issuer,
      aud: ['kubernetes'],
      sub: 's',
      email: 'bob@example.com',
      hd: 'example.com',
      exp: exp(),
    };
    assert.deepEqual(await auth(jwt(claims)), { username: 'bob@example.com', groups: ['system:authenticated'] });
    assert.equal(await auth(jwt({ ...claims, email_verified: false })), undefined);
    assert.equal(await auth(jwt({ ...claims, hd: 'evil.com' })), undefined);
    await configure({ usernamePrefix: '-' });
    assert.equal((await auth(jwt(claims)))?.username, 's');
    await configure({ usernamePrefix: 'oidc:' });
    assert.equal((await auth(jwt(claims)))?.username, 'oidc:s');
  });

  it('accepts nothing from a config that is not ACTIVE yet', async () => {
    await configure({}, Date.now() + 60_000);
    const auth = identityProviderAuthenticator(store, 'demo');
    assert.equal(await auth(jwt({ iss: issuer, aud: 'kubernetes', sub: 'alice', exp: exp() })), undefined);
  });
});
