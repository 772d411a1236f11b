// IRSA against a standalone Skiff EKS API with the real aws CLI: the cluster's OIDC issuer in describe-cluster, its
// discovery document and JWKS served unsigned, `aws iam create-role` with an IRSA trust policy, `aws sts
// assume-role-with-web-identity` exchanging a ServiceAccount token signed by the cluster's key for a role session
// whose key then calls `aws eks list-clusters` and `aws sts get-caller-identity`; STS's refusals in its own words;
// the AWS SDK's default chain doing the same from AWS_ROLE_ARN / AWS_WEB_IDENTITY_TOKEN_FILE (as in an IRSA pod);
// pod identity associations and identity provider configs round-tripped with the aws CLI.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { issuerHostPath, publishClusterIssuer } from '../../src/eks/identity/issuer.js';
import { TokenSigner } from '../../src/kube/serviceaccount/signer.js';
import { REGION, type Standalone, sleep, standalone } from './eks-support.js';

let s: Standalone;
let signer: TokenSigner;
let issuer: string;

before(async () => {
  s = await standalone({ delayMs: 3000 });
  signer = TokenSigner.generate();
  issuer = await publishClusterIssuer(s.store, 'demo', s.api.url, signer);
});
after(() => s?.close());

const token = (sa: string, audiences = ['sts.amazonaws.com'], expirationSeconds = 3600, now?: number) =>
  signer.issue({ namespace: 'default', serviceAccount: { name: sa, uid: 'u-1' }, audiences, expirationSeconds, now })
    .token;

function awsAs(env: Record<string, string>, ...args: string[]) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      'aws',
      ['--endpoint-url', s.api.url, '--region', REGION, ...args],
      { env: { ...s.env, ...env } },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

const assume = (roleArn: string, webToken: string) =>
  s.aws(
    'sts',
    'assume-role-with-web-identity',
    '--role-arn',
    roleArn,
    '--role-session-name',
    'pod-session',
    '--web-identity-token',
    webToken,
  );

test('describe-cluster names the issuer, served with its discovery document and keys', async () => {
  const cluster = (await s.awsJson<any>('eks', 'describe-cluster', '--name', 'demo')).cluster;
  assert.equal(cluster.identity.oidc.issuer, issuer);
  assert.match(issuer, /^http:\/\/127\.0\.0\.1:\d+\/id\/[0-9A-F]{32}$/);
  const config: any = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
  assert.equal(config.issuer, issuer);
  assert.equal(config.jwks_uri, `${issuer}/keys`);
  const keys = await (await fetch(config.jwks_uri)).json();
  assert.deepEqual(keys, signer.jwks());
  assert.equal((await fetch(`${issuer.replace(/.{4}$/, '0000')}/keys`)).status, 404);
});

test('a ServiceAccount token becomes a role session that calls EKS', async () => {
  const hostPath = issuerHostPath(issuer);
  const trust = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${s.creds.accountId}:oidc-provider/${hostPath}` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${hostPath}:sub`]: 'system:serviceaccount:default:app',
            [`${hostPath}:aud`]: 'sts.amazonaws.com',
          },
        },
      },
    ],
  };
  const created = await s.awsJson<any>(
    'iam',
    'create-role',
    '--role-name',
    'app-role',
    '--assume-role-policy-document',
    JSON.stringify(trust),
  );
  const roleArn = created.Role.Arn;
  assert.equal(roleArn, `arn:aws:iam::${s.creds.accountId}:role/app-role`);
  assert.deepEqual(created.Role.AssumeRolePolicyDocument, trust);
  assert.equal((await s.awsJson<any>('iam', 'get-role', '--role-name', 'app-role')).Role.RoleId, created.Role.RoleId);
  const doc = JSON.stringify(trust);
  const again = await s.aws('iam', 'create-role', '--role-name', 'app-role', '--assume-role-policy-document', doc);
  assert.match(
    again.stderr,
    /\(EntityAlreadyExists\) when calling the CreateRole operation: Role with name app-role already exists\./,
  );

  const unregistered = await assume(roleArn, token('app'));
  assert.match(
    unregistered.stderr,
    new RegExp(
      `\\(InvalidIdentityToken\\) when calling the AssumeRoleWithWebIdentity operation: No OpenIDConnect provider found in your account for ${issuer}`,
    ),
  );
  const provider = await s.awsJson<any>(
    'iam',
    'create-open-id-connect-provider',
    '--url',
    issuer,
    '--client-id-list',
    'sts.amazonaws.com',
    '--thumbprint-list',
    '9e99a48a9960b14926bb7f3b02e22da2b0ab7280',
  );
  assert.equal(provider.OpenIDConnectProviderArn, `arn:aws:iam::${s.creds.accountId}:oidc-provider/${hostPath}`);
  const fetched = await s.awsJson<any>(
    'iam',
    'get-open-id-connect-provider',
    '--open-id-connect-provider-arn',
    provider.OpenIDConnectProviderArn,
  );
  assert.equal(fetched.Url, hostPath);
  assert.deepEqual(fetched.ClientIDList, ['sts.amazonaws.com']);
  const providers = await s.awsJson<any>('iam', 'list-open-id-connect-providers');
  assert.deepEqual(providers.OpenIDConnectProviderList, [{ Arn: provider.OpenIDConnectProviderArn }]);
  const reply = await assume(roleArn, token('app'));
  assert.equal(reply.code, 0, reply.stderr);
  const answer = JSON.parse(reply.stdout);
  assert.equal(answer.SubjectFromWebIdentityToken, 'system:serviceaccount:default:app');
  assert.equal(answer.Audience, 'sts.amazonaws.com');
  assert.equal(answer.AssumedRoleUser.Arn, `arn:aws:sts::${s.creds.accountId}:assumed-role/app-role/pod-session`);
  assert.equal(answer.Provider, `arn:aws:iam::${s.creds.accountId}:oidc-provider/${hostPath}`);
  const env = {
    AWS_ACCESS_KEY_ID: answer.Credentials.AccessKeyId,
    AWS_SECRET_ACCESS_KEY: answer.Credentials.SecretAccessKey,
    AWS_SESSION_TOKEN: answer.Credentials.SessionToken,
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
  const clusters = await awsAs(env, 'eks', 'list-clusters');
  assert.equal(clusters.code, 0, clusters.stderr);
  assert.deepEqual(JSON.parse(clusters.stdout).clusters, ['demo']);
  const whoami = JSON.parse((await awsAs(env, 'sts', 'get-caller-identity')).stdout);
  assert.equal(whoami.Arn, answer.AssumedRoleUser.Arn);

  const denied =
    'An error occurred (AccessDenied) when calling the AssumeRoleWithWebIdentity operation: Not authorized to perform sts:AssumeRoleWithWebIdentity';
  assert.match((await assume(roleArn, token('other'))).stderr, new RegExp(denied.replace(/[()]/g, '\\$&')));
  const missing = `arn:aws:iam::${s.creds.accountId}:role/nobody`;
  assert.match((await assume(missing, token('app'))).stderr, /\(AccessDenied\)/);
  assert.match(
    (await assume(roleArn, token('app', ['https://kubernetes.default.svc']))).stderr,
    /\(InvalidIdentityToken\) when calling the AssumeRoleWithWebIdentity operation: Incorrect token audience/,
  );
  const stale = token('app', ['sts.amazonaws.com'], 600, Date.now() - 3600_000);
  assert.match(
    (await assume(roleArn, stale)).stderr,
    /\(ExpiredTokenException\) when calling the AssumeRoleWithWebIdentity operation: Token expired: current date\/time \d+ must be before the expiration date\/time\d+/,
  );
  const forged = TokenSigner.generate();
  forged.useIssuer(issuer);
  const foreign = forged.issue({
    namespace: 'default',
    serviceAccount: { name: 'app', uid: 'u' },
    audiences: ['sts.amazonaws.com'],
    expirationSeconds: 3600,
  }).token;
  assert.match(
    (await assume(roleArn, foreign)).stderr,
    /\(InvalidIdentityToken\).*Couldn't retrieve verification key from your identity provider/,
  );
  const elsewhere = TokenSigner.generate();
  elsewhere.useIssuer('https://oidc.example.com/id/ABC');
  const strange = elsewhere.issue({
    namespace: 'default',
    serviceAccount: { name: 'app', uid: 'u' },
    audiences: ['sts.amazonaws.com'],
    expirationSeconds: 3600,
  }).token;
  assert.match(
    (await assume(roleArn, strange)).stderr,
    /\(InvalidIdentityToken\) when calling the AssumeRoleWithWebIdentity operation: No OpenIDConnect provider found in your account for https:\/\/oidc\.example\.com\/id\/ABC/,
  );
  assert.equal((await s.aws('iam', 'delete-role', '--role-name', 'app-role')).code, 0);
  assert.match((await s.aws('iam', 'get-role', '--role-name', 'app-role')).stderr, /\(NoSuchEntity\)/);
});

test('pod identity associations round-trip', async () => {
  const role = `arn:aws:iam::${s.creds.accountId}:role/pod-identity`;
  const created = (
    await s.awsJson<any>(
      'eks',
      'create-pod-identity-association',
      '--cluster-name',
      'demo',
      '--namespace',
      'default',
      '--service-account',
      'app',
      '--role-arn',
      role,
      '--tags',
      'team=a',
    )
  ).association;
  assert.match(created.associationId, /^a-[a-z0-9]{17}$/);
  assert.equal(
    created.associationArn,
    `arn:aws:eks:${REGION}:${s.creds.accountId}:podidentityassociation/demo/${created.associationId}`,
  );
  assert.deepEqual(
    { ns: created.namespace, sa: created.serviceAccount, role: created.roleArn, tags: created.tags },
    { ns: 'default', sa: 'app', role, tags: { team: 'a' } },
  );
  const twice = await s.aws(
    'eks',
    'create-pod-identity-association',
    '--cluster-name',
    'demo',
    '--namespace',
    'default',
    '--service-account',
    'app',
    '--role-arn',
    role,
  );
  assert.match(twice.stderr, /\(ResourceInUseException\) when calling the CreatePodIdentityAssociation operation/);
  const id = created.associationId;
  const described = await s.awsJson<any>(
    'eks',
    'describe-pod-identity-association',
    '--cluster-name',
    'demo',
    '--association-id',
    id,
  );
  assert.deepEqual(described.association, created);
  const listed = await s.awsJson<any>(
    'eks',
    'list-pod-identity-associations',
    '--cluster-name',
    'demo',
    '--namespace',
    'default',
  );
  assert.deepEqual(listed.associations, [
    {
      clusterName: 'demo',
      namespace: 'default',
      serviceAccount: 'app',
      associationArn: created.associationArn,
      associationId: id,
    },
  ]);
  const none = await s.awsJson<any>(
    'eks',
    'list-pod-identity-associations',
    '--cluster-name',
    'demo',
    '--namespace',
    'other',
  );
  assert.deepEqual(none.associations, []);
  const other = `arn:aws:iam::${s.creds.accountId}:role/other`;
  const updated = await s.awsJson<any>(
    'eks',
    'update-pod-identity-association',
    '--cluster-name',
    'demo',
    '--association-id',
    id,
    '--role-arn',
    other,
  );
  assert.equal(updated.association.roleArn, other);
  const deleted = await s.awsJson<any>(
    'eks',
    'delete-pod-identity-association',
    '--cluster-name',
    'demo',
    '--association-id',
    id,
  );
  assert.equal(deleted.association.roleArn, other);
  const gone = await s.aws(
    'eks',
    'describe-pod-identity-association',
    '--cluster-name',
    'demo',
    '--association-id',
    id,
  );
  assert.match(gone.stderr, /\(ResourceNotFoundException\)/);
});

test('identity provider configs: associate, describe, list, disassociate', async () => {
  const associated = await s.awsJson<any>(
    'eks',
    'associate-identity-provider-config',
    '--cluster-name',
    'demo',
    '--oidc',
    'identityProviderConfigName=corp,issuerUrl=https://idp.example.com,clientId=kubernetes,usernameClaim=email,groupsClaim=groups,groupsPrefix=corp:',
  );
  assert.equal(associated.update.type, 'AssociateIdentityProviderConfig');
  assert.equal(associated.update.status, 'InProgress');
  assert.deepEqual(associated.update.params, [
    { type: 'IdentityProviderConfig', value: '[{"type":"oidc","name":"corp"}]' },
  ]);
  const describe = () =>
    s.awsJson<any>(
      'eks',
      'describe-identity-provider-config',
      '--cluster-name',
      'demo',
      '--identity-provider-config',
      'type=oidc,name=corp',
    );
  const creating = (await describe()).identityProviderConfig.oidc;
  assert.equal(creating.status, 'CREATING');
  assert.equal(creating.issuerUrl, 'https://idp.example.com');
  assert.equal(creating.groupsPrefix, 'corp:');
  assert.match(
    creating.identityProviderConfigArn,
    /^arn:aws:eks:.+:identityproviderconfig\/demo\/oidc\/corp\/[0-9a-f-]{36}$/,
  );
  while ((await describe()).identityProviderConfig.oidc.status === 'CREATING') await sleep(300);
  const listed = await s.awsJson<any>('eks', 'list-identity-provider-configs', '--cluster-name', 'demo');
  assert.deepEqual(listed.identityProviderConfigs, [{ type: 'oidc', name: 'corp' }]);
  const second = await s.aws(
    'eks',
    'associate-identity-provider-config',
    '--cluster-name',
    'demo',
    '--oidc',
    'identityProviderConfigName=two,issuerUrl=https://idp2.example.com,clientId=k',
  );
  assert.match(second.stderr, /\(ResourceLimitExceededException\)/);
  const plain = await s.aws(
    'eks',
    'associate-identity-provider-config',
    '--cluster-name',
    'demo',
    '--oidc',
    'identityProviderConfigName=plain,issuerUrl=http://idp.example.com,clientId=k',
  );
  assert.match(plain.stderr, /\(InvalidParameterException\).*https/);
  const dropped = await s.awsJson<any>(
    'eks',
    'disassociate-identity-provider-config',
    '--cluster-name',
    'demo',
    '--identity-provider-config',
    'type=oidc,name=corp',
  );
  assert.equal(dropped.update.type, 'DisassociateIdentityProviderConfig');
  assert.equal((await describe()).identityProviderConfig.oidc.status, 'DELETING');
  await sleep(3000);
  const gone = await s.aws(
    'eks',
    'describe-identity-provider-config',
    '--cluster-name',
    'demo',
    '--identity-provider-config',
    'type=oidc,name=corp',
  );
  assert.match(gone.stderr, /\(ResourceNotFoundException\)/);
});

test("the AWS SDK's default chain makes the exchange from AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE", async () => {
  const hostPath = issuerHostPath(issuer);
  const trust = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${s.creds.accountId}:oidc-provider/${hostPath}` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringLike: { [`${hostPath}:sub`]: 'system:serviceaccount:default:sdk-*' } },
      },
    ],
  };
  const role = await s.awsJson<any>(
    'iam',
    'create-role',
    '--role-name',
    'sdk-role',
    '--assume-role-policy-document',
    JSON.stringify(trust),
  );
  const tokenFile = join(s.dir, 'sdk-token');
  writeFileSync(tokenFile, token('sdk-app'));
  const script = [
    "import { EKSClient, ListClustersCommand } from '@aws-sdk/client-eks';",
    'const eks = new EKSClient({});',
    'const out = await eks.send(new ListClustersCommand({}));',
    'console.log(JSON.stringify(out.clusters));',
  ].join('\n');
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: s.dir };
  Object.assign(env, {
    AWS_REGION: REGION,
    AWS_ROLE_ARN: role.Role.Arn,
    AWS_ROLE_SESSION_NAME: 'sdk',
    AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
    AWS_ENDPOINT_URL_STS: s.api.url,
    AWS_ENDPOINT_URL_EKS: s.api.url,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  });
  const out = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', script],
      { env, cwd: new URL('../../', import.meta.url).pathname },
      (error, stdout, stderr) => resolve({ code: error ? 1 : 0, stdout, stderr }),
    );
  });
  assert.equal(out.code, 0, out.stderr);
  assert.deepEqual(JSON.parse(out.stdout), ['demo']);
});
