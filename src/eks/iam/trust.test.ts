// Trust policies evaluated for AssumeRoleWithWebIdentity: the IRSA shape, StringLike wildcards, an explicit Deny,
// the federated principal, set operators, a missing condition key and an operator this evaluator cannot evaluate.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type TrustRequest, trustAllows } from './trust.js';

const host = '127.0.0.1:4566/id/0123456789ABCDEF0123456789ABCDEF';
const provider = `arn:aws:iam::111122223333:oidc-provider/${host}`;
const request = (sub: string): TrustRequest => ({
  action: 'sts:AssumeRoleWithWebIdentity',
  federatedPrincipal: provider,
  context: { [`${host}:sub`]: [sub], [`${host}:aud`]: ['sts.amazonaws.com'] },
});
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allow = (condition?: object, extra: object = {}) => ({
  Effect: 'Allow',
  Principal: { Federated: provider },
  Action: 'sts:AssumeRoleWithWebIdentity',
  ...(condition ? { Condition: condition } : {}),
  ...extra,
});

describe('trust policies', () => {
  it('allows the ServiceAccount the IRSA condition names, and no other', () => {
    const doc = policy(
      allow({
        StringEquals: { [`${host}:sub`]: 'system:serviceaccount:default:app', [`${host}:aud`]: 'sts.amazonaws.com' },
      }),
    );
    assert.equal(trustAllows(doc, request('system:serviceaccount:default:app')), true);
    assert.equal(trustAllows(doc, request('system:serviceaccount:default:other')), false);
  });

  it('matches StringLike wildcards and lets an explicit Deny win', () => {
    const like = allow({ StringLike: { [`${host}:sub`]: 'system:serviceaccount:team-?:*' } });
    assert.equal(trustAllows(policy(like), request('system:serviceaccount:team-a:x')), true);
    assert.equal(trustAllows(policy(like), request('system:serviceaccount:team-ab:x')), false);
    const deny = { ...allow({ StringEquals: { [`${host}:sub`]: 'system:serviceaccount:team-a:x' } }), Effect: 'Deny' };
    assert.equal(trustAllows(policy(like, deny), request('system:serviceaccount:team-a:x')), false);
    assert.equal(trustAllows(policy(like, deny), request('system:serviceaccount:team-b:x')), true);
  });

  it('needs the federated principal and the action', () => {
    const other = allow(undefined, { Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/elsewhere' } });
    assert.equal(trustAllows(policy(other), request('s')), false);
    assert.equal(trustAllows(policy(allow(undefined, { Action: 'sts:AssumeRole' })), request('s')), false);
    assert.equal(trustAllows(policy(allow(undefined, { Action: ['sts:*'] })), request('s')), true);
    assert.equal(trustAllows(policy(allow(undefined, { Principal: '*' })), request('s')), true);
  });

  it('fails a condition on a missing key and an operator it cannot evaluate', () => {
    assert.equal(trustAllows(policy(allow({ StringEquals: { [`${host}:amr`]: 'x' } })), request('s')), false);
    assert.equal(trustAllows(policy(allow({ StringNotEquals: { [`${host}:amr`]: 'x' } })), request('s')), true);
    assert.equal(
      trustAllows(policy(allow({ DateGreaterThan: { 'aws:CurrentTime': '2020-01-01' } })), request('s')),
      false,
    );
    const anyValue = allow({ 'ForAnyValue:StringEquals': { [`${host}:aud`]: ['a', 'sts.amazonaws.com'] } });
    assert.equal(trustAllows(policy(anyValue), request('s')), true);
    assert.equal(trustAllows('not json', request('s')), false);
  });
});
