import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseProfile, type MatchableProfile, selectorMatches, wildcardMatch } from './matching.js';
import type { PodShape } from './pod-shape.js';

const wildcardCases: [string, string, boolean][] = [
  ['default', 'default', true],
  ['default', 'defaults', false],
  ['prod*', 'prod', true],
  ['prod*', 'production', true],
  ['prod*', 'pro', false],
  ['*dev', 'team-dev', true],
  ['*dev', 'dev', true],
  ['*dev', 'devx', false],
  ['frontend*?', 'frontend', false],
  ['frontend*?', 'frontend1', true],
  ['frontend*?', 'frontend-long', true],
  ['app?', 'app1', true],
  ['app?', 'app', false],
  ['app?', 'app12', false],
  ['a*b*c', 'aXXbYYc', true],
  ['a*b*c', 'aXXcYYb', false],
  ['*', '', true],
  ['', '', true],
  ['', 'x', false],
  ['?', '', false],
  ['**', 'anything', true],
  ['a.c', 'abc', false],
  ['a.c', 'a.c', true],
  ['[ab]', 'a', false],
  ['[ab]', '[ab]', true],
  ['ns+', 'nss', false],
  ['^ns$', '^ns$', true],
  ['kube-*', 'kube-system', true],
];

for (const [pattern, text, want] of wildcardCases) {
  test(`wildcard ${JSON.stringify(pattern)} vs ${JSON.stringify(text)} → ${want}`, () => {
    assert.equal(wildcardMatch(pattern, text), want);
  });
}

const selectorCases: [string, Parameters<typeof selectorMatches>, boolean][] = [
  ['namespace only', [{ namespace: 'app' }, 'app', { any: 'thing' }], true],
  ['other namespace', [{ namespace: 'app' }, 'web', {}], false],
  [
    'all labels present, extra pod labels fine',
    [{ namespace: 'app', labels: { a: '1', b: '2' } }, 'app', { a: '1', b: '2', c: '3' }],
    true,
  ],
  ['one label missing', [{ namespace: 'app', labels: { a: '1', b: '2' } }, 'app', { a: '1' }], false],
  ['label value differs', [{ namespace: 'app', labels: { node: 'fargate' } }, 'app', { node: 'ec2' }], false],
  ['wildcard key', [{ namespace: 'app', labels: { 'tier-*': 'web' } }, 'app', { 'tier-front': 'web' }], true],
  ['wildcard value', [{ namespace: 'app', labels: { env: 'prod?' } }, 'app', { env: 'prod1' }], true],
  [
    'key and value must match on the same label',
    [{ namespace: 'app', labels: { 'k*': 'v1' } }, 'app', { k1: 'x', k2: 'y', other: 'v1' }],
    false,
  ],
  ['wildcard namespace', [{ namespace: 'team-*', labels: {} }, 'team-a', {}], true],
];

for (const [name, args, want] of selectorCases) {
  test(`selector: ${name}`, () => assert.equal(selectorMatches(...args), want));
}

const profile = (name: string, namespace: string, labels?: Record<string, string>, status = 'ACTIVE') =>
  ({ name, status, selectors: [{ namespace, labels }] }) as MatchableProfile;

const pod = (
  namespace: string,
  labels: Record<string, string> = {},
  extra: Partial<NonNullable<PodShape['metadata']>> = {},
) => ({ metadata: { namespace, labels, ...extra } }) as PodShape;

const seedProfile = profile('wsi-fargate-profile', 'wsi-skills-namespace', { node: 'fargate' });
const choiceCases: [string, PodShape, MatchableProfile[], string][] = [
  [
    'seed 003 pod matches',
    pod('wsi-skills-namespace', { node: 'fargate', app: 'nginx' }),
    [seedProfile],
    'wsi-fargate-profile',
  ],
  ['seed 003 label missing', pod('wsi-skills-namespace', { app: 'nginx' }), [seedProfile], 'NoMatchingProfile'],
  ['no profiles', pod('default'), [], 'NoMatchingProfile'],
  [
    'alphabetically first of several',
    pod('prod'),
    [profile('prod-workload', 'prod*'), profile('beta-workload', 'prod')],
    'beta-workload',
  ],
  ['ordinal order: upper case sorts first', pod('x'), [profile('b', 'x'), profile('B', 'x'), profile('a', 'x')], 'B'],
  ['a non-matching profile sorting first is skipped', pod('prod'), [profile('a', 'dev'), profile('z', 'prod')], 'z'],
  ['CREATING profile does not match', pod('app'), [profile('fp', 'app', undefined, 'CREATING')], 'NoMatchingProfile'],
  [
    'DELETING profile does not match',
    pod('app'),
    [profile('a', 'app', undefined, 'DELETING'), profile('b', 'app')],
    'b',
  ],
  [
    'CREATE_FAILED profile does not match',
    pod('app'),
    [profile('fp', 'app', undefined, 'CREATE_FAILED')],
    'NoMatchingProfile',
  ],
  [
    'explicit profile label picks a later name',
    pod('prod', { 'eks.amazonaws.com/fargate-profile': 'prod-workload' }),
    [profile('prod-workload', 'prod*'), profile('beta-workload', 'prod')],
    'prod-workload',
  ],
  [
    'explicit profile must still match',
    pod('dev', { 'eks.amazonaws.com/fargate-profile': 'prod-workload' }),
    [profile('prod-workload', 'prod'), profile('dev', 'dev')],
    'ExplicitProfileNotMatching',
  ],
  [
    'explicit profile that does not exist',
    pod('dev', { 'eks.amazonaws.com/fargate-profile': 'gone' }),
    [profile('dev', 'dev')],
    'ExplicitProfileNotFound',
  ],
  [
    'explicit profile that is not ACTIVE',
    pod('dev', { 'eks.amazonaws.com/fargate-profile': 'dev' }),
    [profile('dev', 'dev', undefined, 'DELETING')],
    'ExplicitProfileNotFound',
  ],
  [
    'compute-type ec2 opts out',
    pod('kube-system', {}, { annotations: { 'eks.amazonaws.com/compute-type': 'ec2' } }),
    [profile('kube-system', 'kube-system')],
    'OptedOut',
  ],
  [
    'compute-type fargate (eksctl) is captured',
    pod('kube-system', {}, { annotations: { 'eks.amazonaws.com/compute-type': 'fargate' } }),
    [profile('kube-system', 'kube-system')],
    'kube-system',
  ],
  [
    'DaemonSet pods are never captured',
    pod('kube-system', {}, { ownerReferences: [{ kind: 'DaemonSet', name: 'cilium', controller: true }] }),
    [profile('kube-system', 'kube-system')],
    'DaemonSetPod',
  ],
  [
    'ReplicaSet pods are captured',
    pod('kube-system', {}, { ownerReferences: [{ kind: 'ReplicaSet', name: 'coredns-1', controller: true }] }),
    [profile('kube-system', 'kube-system')],
    'kube-system',
  ],
  ['namespace defaults to default', { metadata: {} }, [profile('d', 'default')], 'd'],
  [
    'any selector of a profile is enough',
    pod('b'),
    [{ name: 'multi', status: 'ACTIVE', selectors: [{ namespace: 'a' }, { namespace: 'b' }] }],
    'multi',
  ],
];

for (const [name, p, profiles, want] of choiceCases) {
  test(`choose: ${name}`, () => {
    const got = chooseProfile(p, profiles);
    assert.equal('profile' in got ? got.profile : got.reason, want);
    if ('reason' in got) assert.ok(got.message.length > 0);
  });
}
