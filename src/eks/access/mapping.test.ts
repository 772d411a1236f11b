// IAM identity → Kubernetes user: access entries and aws-auth by authenticationMode, username templates, node
// entry types, the creator in CONFIG_MAP mode, and unmapped callers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallerIdentity } from '../iam/identity.js';
import { parseAwsAuth, renderUsername } from './aws-auth.js';
import { type MappingSources, mapCaller } from './mapping.js';
import { type AccessEntry, defaultUsername } from './records.js';

const account = '111122223333';
const session = (role: string, name: string): CallerIdentity => ({
  accountId: account,
  accessKeyId: 'ASIAEXAMPLE',
  arn: `arn:aws:sts::${account}:assumed-role/${role}/${name}`,
  canonicalArn: `arn:aws:iam::${account}:role/${role}`,
  userId: `AROAEXAMPLE:${name}`,
  sessionName: name,
});
const root: CallerIdentity = {
  accountId: account,
  accessKeyId: 'AKIAEXAMPLE',
  arn: `arn:aws:iam::${account}:root`,
  canonicalArn: `arn:aws:iam::${account}:root`,
  userId: account,
};

const entry = (principalArn: string, type: AccessEntry['type'] = 'STANDARD', groups: string[] = []): AccessEntry => ({
  clusterName: 'skiff',
  principalArn,
  kubernetesGroups: groups,
  accessEntryArn: 'arn',
  createdAt: 0,
  modifiedAt: 0,
  tags: {},
  username: defaultUsername(principalArn, type),
  type,
});

const awsAuth = parseAwsAuth({
  mapRoles: `- rolearn: arn:aws:iam::${account}:role/auditor\n  username: auditor:{{SessionName}}\n  groups:\n    - auditors\n- rolearn: arn:aws:iam::${account}:role/dev\n  username: dev\n  groups: [devs]\n`,
  mapUsers: `- userarn: arn:aws:iam::${account}:user/ops\n  username: ops\n  groups: [system:masters]\n`,
});

const sources = (mode: MappingSources['mode'], entries: AccessEntry[] = []): MappingSources => ({
  mode,
  entries,
  awsAuth,
  creatorArn: root.arn,
});

describe('IAM mapping', () => {
  it('maps a role with an access entry to its session ARN and groups', () => {
    const user = mapCaller(
      session('dev', 'alice'),
      sources('API', [entry(`arn:aws:iam::${account}:role/dev`, 'STANDARD', ['team'])]),
    );
    assert.deepEqual(user, {
      username: `arn:aws:sts::${account}:assumed-role/dev/alice`,
      groups: ['team', 'system:authenticated'],
    });
  });

  it('maps a Fargate pod execution role as EKS does', () => {
    const role = `arn:aws:iam::${account}:role/pod-exec`;
    const user = mapCaller(
      session('pod-exec', 'fargate-ip-10-0-1-5'),
      sources('API_AND_CONFIG_MAP', [entry(role, 'FARGATE_LINUX')]),
    );
    assert.deepEqual(user, {
      username: 'system:node:fargate-ip-10-0-1-5',
      groups: ['system:bootstrappers', 'system:nodes', 'system:node-proxier', 'system:authenticated'],
    });
  });

  it('reads aws-auth in CONFIG_MAP and API_AND_CONFIG_MAP modes only, entries first', () => {
    const caller = session('auditor', 'bob@example.com');
    assert.equal(mapCaller(caller, sources('CONFIG_MAP')).username, 'auditor:bob-example.com');
    assert.deepEqual(mapCaller(caller, sources('API_AND_CONFIG_MAP')).groups, ['auditors', 'system:authenticated']);
    assert.deepEqual(mapCaller(caller, sources('API')), { username: caller.arn, groups: ['system:authenticated'] });
    const entries = [entry(`arn:aws:iam::${account}:role/auditor`)];
    const viaEntry = `arn:aws:sts::${account}:assumed-role/auditor/bob-example.com`;
    assert.equal(mapCaller(caller, sources('API_AND_CONFIG_MAP', entries)).username, viaEntry);
    assert.equal(mapCaller(caller, sources('CONFIG_MAP', entries)).username, 'auditor:bob-example.com');
  });

  it('maps the creator to system:masters only in CONFIG_MAP mode', () => {
    assert.deepEqual(mapCaller(root, sources('CONFIG_MAP')), {
      username: 'kubernetes-admin',
      groups: ['system:masters', 'system:authenticated'],
    });
    assert.deepEqual(mapCaller(root, sources('API')), { username: root.arn, groups: ['system:authenticated'] });
  });

  it('leaves an unmapped role authenticated with no groups', () => {
    const caller = session('stranger', 'eve');
    assert.deepEqual(mapCaller(caller, sources('API_AND_CONFIG_MAP')), {
      username: caller.arn,
      groups: ['system:authenticated'],
    });
  });

  it('fills username templates and refuses what it cannot know', () => {
    const caller = session('r', 'a@b');
    assert.equal(renderUsername('x:{{AccountID}}:{{SessionName}}:{{SessionNameRaw}}', caller), `x:${account}:a-b:a@b`);
    assert.equal(renderUsername('system:node:{{EC2PrivateDNSName}}', caller), undefined);
  });
});
