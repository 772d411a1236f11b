// Who may do what on `skiff up --runtime simulated`, with the real kubectl (1.32 and 1.28) and aws CLI: a
// ServiceAccount bound to `view` lists pods but may not delete them, and `auth can-i --list` / `auth whoami` say
// so; `--as` impersonation is the admin's, not the ServiceAccount's; IAM roles (STS AssumeRole on the EKS endpoint,
// `aws eks get-token`) mapped through an access entry with AmazonEKSViewPolicy or through aws-auth read but do not
// write; an unmapped role is refused with kube-apiserver's 403.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run, type SkiffProcess, startSkiff } from './harness/skiff.js';

const kubectl128 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.28';
const kubectls = ['kubectl', ...(existsSync(kubectl128) ? [kubectl128] : [])];

let skiff: SkiffProcess;
let account: string;
let awsEnv: NodeJS.ProcessEnv;

before(async () => {
  skiff = await startSkiff(['--runtime', 'simulated']);
  const credentials = readFileSync(join(skiff.dataDir, 'aws', 'credentials'), 'utf8');
  account = /aws_account_id = (\d+)/.exec(credentials)![1];
  awsEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_SHARED_CREDENTIALS_FILE: join(skiff.dataDir, 'aws', 'credentials'),
    AWS_CONFIG_FILE: join(skiff.dataDir, 'aws', 'config'),
    AWS_ENDPOINT_URL: skiff.eksEndpoint,
    AWS_REGION: 'ap-northeast-2',
  };
});
after(() => skiff?.stop());

const admin = (...args: string[]) => skiff.kubectl(args);

/** kubectl (of the given binary) with a bearer token and nothing else from the kubeconfig's user. */
const as = (bin: string, token: string, ...args: string[]) =>
  run(bin, ['--kubeconfig', skiff.kubeconfig, '--token', token, ...args], { env: { KUBECONFIG: skiff.kubeconfig } });

async function eventually(check: () => Promise<void>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const aws = async (env: NodeJS.ProcessEnv, ...args: string[]) => {
  const r = await run('aws', [...args, '--output', 'json'], { env });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout || '{}');
};

/** An `aws eks get-token` token for a session of `role` (STS AssumeRole on Skiff's EKS endpoint). */
async function roleToken(role: string, session: string): Promise<string> {
  const assumed = await aws(
    awsEnv,
    'sts',
    'assume-role',
    '--role-arn',
    `arn:aws:iam::${account}:role/${role}`,
    '--role-session-name',
    session,
  );
  const c = assumed.Credentials;
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: c.AccessKeyId,
    AWS_SECRET_ACCESS_KEY: c.SecretAccessKey,
    AWS_SESSION_TOKEN: c.SessionToken,
    AWS_REGION: 'ap-northeast-2',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
  return (await aws(env, 'eks', 'get-token', '--cluster-name', 'skiff')).status.token;
}

const forbidden = (user: string, verb: string, resource: string, subject = resource) =>
  `${subject} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "" in the namespace "default"`;

describe('a ServiceAccount bound to view', () => {
  let token: string;
  const sa = 'system:serviceaccount:default:viewer';
  before(async () => {
    for (const args of [
      ['create', 'serviceaccount', 'viewer'],
      ['create', 'rolebinding', 'viewer', '--clusterrole=view', '--serviceaccount=default:viewer'],
      ['create', 'configmap', 'settings', '--from-literal=a=1'],
    ]) {
      const r = await admin(...args);
      assert.equal(r.code, 0, r.stderr);
    }
    token = (await admin('create', 'token', 'viewer')).stdout.trim();
  });

  for (const bin of kubectls) {
    it(`lists but may not delete, with ${bin}`, async () => {
      await eventually(async () => {
        const r = await as(bin, token, 'get', 'configmaps', 'settings');
        assert.equal(r.code, 0, r.stderr);
      });
      const del = await as(bin, token, 'delete', 'configmap', 'settings');
      assert.equal(del.code, 1);
      assert.equal(
        del.stderr.trim(),
        `Error from server (Forbidden): ${forbidden(sa, 'delete', 'configmaps', 'configmaps "settings"')}`,
      );
      const pods = await as(bin, token, 'get', 'pods', '-n', 'kube-system');
      assert.match(
        pods.stderr,
        /pods is forbidden: User "system:serviceaccount:default:viewer" cannot list resource "pods" in API group "" in the namespace "kube-system"/,
      );
    });

    it(`says so through auth can-i, can-i --list and whoami, with ${bin}`, async () => {
      assert.equal((await as(bin, token, 'auth', 'can-i', 'list', 'pods')).stdout.trim(), 'yes');
      const no = await as(bin, token, 'auth', 'can-i', 'delete', 'pods');
      assert.equal(no.stdout.trim(), 'no');
      assert.equal(no.code, 1);
      const list = await as(bin, token, 'auth', 'can-i', '--list');
      assert.match(list.stdout, /^pods\s+\[\]\s+\[\]\s+\[get list watch\]$/m, list.stderr);
      assert.match(list.stdout, /^selfsubjectreviews\.authentication\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$/m);
      assert.doesNotMatch(list.stdout, /delete/);
      const whoami = await as(bin, token, 'auth', 'whoami', '-o', 'json');
      const info = JSON.parse(whoami.stdout).status.userInfo;
      assert.equal(info.username, sa);
      assert.deepEqual(info.groups, [
        'system:serviceaccounts',
        'system:serviceaccounts:default',
        'system:authenticated',
      ]);
    });
  }

  it('may not impersonate; the admin may', async () => {
    const refused = await as('kubectl', token, 'get', 'pods', '--as', 'jane');
    assert.equal(
      refused.stderr.trim(),
      `Error from server (Forbidden): users "jane" is forbidden: User "${sa}" cannot impersonate resource "users" in API group "" at the cluster scope`,
    );
    const whoami = await admin('auth', 'whoami', '--as', 'jane', '--as-group', 'devs', '-o', 'json');
    const info = JSON.parse(whoami.stdout).status.userInfo;
    assert.equal(info.username, 'jane');
    assert.deepEqual(info.groups, ['devs', 'system:authenticated']);
    const asViewer = await admin('delete', 'configmap', 'settings', `--as=${sa}`);
    assert.equal(
      asViewer.stderr.trim(),
      `Error from server (Forbidden): ${forbidden(sa, 'delete', 'configmaps', 'configmaps "settings"')}`,
    );
  });
});

describe('IAM roles', () => {
  it('through an access entry with AmazonEKSViewPolicy read but do not write', async () => {
    const roleArn = `arn:aws:iam::${account}:role/eks-viewer`;
    await aws(awsEnv, 'eks', 'create-access-entry', '--cluster-name', 'skiff', '--principal-arn', roleArn);
    await aws(
      awsEnv,
      'eks',
      'associate-access-policy',
      '--cluster-name',
      'skiff',
      '--principal-arn',
      roleArn,
      '--policy-arn',
      'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
      '--access-scope',
      'type=namespace,namespaces=default',
    );
    const listed = await aws(
      awsEnv,
      'eks',
      'list-associated-access-policies',
      '--cluster-name',
      'skiff',
      '--principal-arn',
      roleArn,
    );
    assert.equal(listed.associatedAccessPolicies[0].accessScope.type, 'namespace');
    const token = await roleToken('eks-viewer', 'alice');
    const user = `arn:aws:sts::${account}:assumed-role/eks-viewer/alice`;
    for (const bin of kubectls) {
      await eventually(async () => assert.equal((await as(bin, token, 'get', 'configmaps')).code, 0));
      const write = await as(bin, token, 'create', 'configmap', 'x');
      assert.equal(
        write.stderr.trim(),
        `error: failed to create configmap: ${forbidden(user, 'create', 'configmaps')}`,
      );
      const elsewhere = await as(bin, token, 'get', 'configmaps', '-n', 'kube-system');
      assert.equal(elsewhere.code, 1, 'the policy is scoped to the default namespace');
    }
  });

  it('through aws-auth mapRoles with {{SessionName}} read but do not write', async () => {
    const mapRoles = `- rolearn: arn:aws:iam::${account}:role/auditor\n  username: auditor:{{SessionName}}\n  groups: [auditors]\n`;
    for (const args of [
      ['create', 'configmap', 'aws-auth', '-n', 'kube-system', `--from-literal=mapRoles=${mapRoles}`],
      ['create', 'clusterrolebinding', 'auditors', '--clusterrole=view', '--group=auditors'],
    ]) {
      const r = await admin(...args);
      assert.equal(r.code, 0, r.stderr);
    }
    const token = await roleToken('auditor', 'bob@example.com');
    for (const bin of kubectls) {
      await eventually(async () => assert.equal((await as(bin, token, 'get', 'configmaps')).code, 0));
      const write = await as(bin, token, 'create', 'configmap', 'x');
      assert.equal(
        write.stderr.trim(),
        `error: failed to create configmap: ${forbidden('auditor:bob-example.com', 'create', 'configmaps')}`,
      );
    }
  });

  it('unmapped are authenticated and authorised for nothing', async () => {
    const token = await roleToken('stranger', 'eve');
    const user = `arn:aws:sts::${account}:assumed-role/stranger/eve`;
    for (const bin of kubectls) {
      const r = await as(bin, token, 'get', 'pods');
      assert.equal(r.stderr.trim(), `Error from server (Forbidden): ${forbidden(user, 'list', 'pods')}`);
    }
  });
});
