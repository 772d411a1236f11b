// AssumeRoleWithWebIdentity for an issuer that is not a Skiff cluster: a test issuer on 127.0.0.1 (RS256) registered
// as an IAM OIDC provider with its own client id; the keys are fetched from its discovery document; the session
// starts for the trusted subject and is refused for another audience or subject.
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, it } from 'node:test';
import { openStore } from '../../store/index.js';
import type { Backend } from '../../store/types.js';
import { generateAwsCredentials } from '../credentials.js';
import { createOidcProvider } from '../iam/oidc-providers.js';
import { createRole } from '../iam/roles.js';
import { IamSessions, type StsFault } from '../iam/sessions.js';
import { assumeRoleWithWebIdentity } from './web-identity.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const account = generateAwsCredentials();
let server: Server;
let issuer: string;
let store: Backend;
let sessions: IamSessions;

function idToken(claims: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${part({ alg: 'RS256', kid: 'k' })}.${part({ iss: issuer, exp: Math.floor(Date.now() / 1000) + 600, ...claims })}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

before(async () => {
  server = createServer((req, res) => {
    if (req.url === '/.well-known/openid-configuration') res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/k` }));
    else if (req.url === '/k')
      res.end(JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k' }] }));
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  store = await openStore({ kind: 'memory' });
  sessions = new IamSessions(account);
  const provider = await createOidcProvider(store, {
    accountId: account.accountId,
    url: issuer,
    clientIds: ['ci'],
    thumbprints: [],
    tags: [],
    now: Date.now(),
  });
  const host = issuer.replace('http://', '');
  await createRole(store, {
    accountId: account.accountId,
    roleName: 'ci-deploy',
    now: Date.now(),
    assumeRolePolicyDocument: JSON.stringify({
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: provider.arn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringLike: { [`${host}:sub`]: 'repo:skiff/*' }, StringEquals: { [`${host}:aud`]: 'ci' } },
        },
      ],
    }),
  });
});
after(async () => {
  server.close();
  await store.close();
});

const exchange = (token: string) =>
  assumeRoleWithWebIdentity(
    { store, sessions, accountId: account.accountId, now: Date.now },
    new URLSearchParams({
      RoleArn: `arn:aws:iam::${account.accountId}:role/ci-deploy`,
      RoleSessionName: 'ci',
      WebIdentityToken: token,
    }),
  );

it("trusts a registered provider's subject with keys from its discovery document", async () => {
  const xml = await exchange(idToken({ sub: 'repo:skiff/main', aud: 'ci' }));
  assert.match(xml, /<SubjectFromWebIdentityToken>repo:skiff\/main<\/SubjectFromWebIdentityToken>/);
  assert.match(xml, /<Audience>ci<\/Audience>/);
  const keyId = /<AccessKeyId>(ASIA\w+)<\/AccessKeyId>/.exec(xml)?.[1];
  assert.equal(sessions.lookup(keyId!)?.identity.arn, `arn:aws:sts::${account.accountId}:assumed-role/ci-deploy/ci`);
  await assert.rejects(exchange(idToken({ sub: 'repo:skiff/main', aud: 'sts.amazonaws.com' })), (e: StsFault) => {
    assert.equal(e.message, 'Incorrect token audience');
    return true;
  });
  await assert.rejects(exchange(idToken({ sub: 'repo:other/main', aud: 'ci' })), (e: StsFault) => {
    assert.deepEqual([e.code, e.status], ['AccessDenied', 403]);
    return true;
  });
});
