// The authorizer against kube-apiserver's bootstrap policy: rule matching (wildcards, subresources,
// resourceNames, nonResourceURLs), aggregation, bindings by user, group and ServiceAccount, and 403 texts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../api/types.js';
import type { UserInfo } from '../auth/types.js';
import { nonResourceAttributes, resourceAttributes } from './attributes.js';
import { Authorizer } from './authorizer.js';
import { bootstrapPolicy } from './bootstrap.js';
import { RbacCache } from './cache.js';
import { forbiddenError } from './forbidden.js';
import { type PolicyRule, ruleAllows } from './rules.js';

const viewer: UserInfo = {
  username: 'system:serviceaccount:default:viewer',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
};

function authorizerWith(...objects: KubeObject[]): Authorizer {
  const cache = new RbacCache();
  for (const object of [...bootstrapPolicy(), ...objects]) cache.put(object);
  return new Authorizer(cache);
}

const res = (user: UserInfo, verb: string, resource: string, extra: Record<string, string> = {}) =>
  resourceAttributes(user, verb, {
    group: extra.group ?? '',
    version: 'v1',
    resource,
    namespace: extra.namespace ?? 'default',
    name: extra.name,
    subresource: extra.subresource,
  });

const binding = (
  kind: string,
  name: string,
  roleKind: string,
  role: string,
  subjects: object[],
  namespace?: string,
) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: role },
  subjects,
});

describe('rules', () => {
  const rule = (r: Partial<PolicyRule>): PolicyRule => ({ verbs: ['get'], apiGroups: [''], resources: ['pods'], ...r });
  it('match verbs, groups and resources, with wildcards', () => {
    assert.ok(ruleAllows(rule({}), res(viewer, 'get', 'pods')));
    assert.ok(!ruleAllows(rule({}), res(viewer, 'list', 'pods')));
    assert.ok(ruleAllows(rule({ verbs: ['*'] }), res(viewer, 'delete', 'pods')));
    assert.ok(!ruleAllows(rule({}), res(viewer, 'get', 'pods', { group: 'apps' })));
    assert.ok(
      ruleAllows(rule({ apiGroups: ['*'], resources: ['*'] }), res(viewer, 'get', 'deployments', { group: 'apps' })),
    );
  });
  it('match subresources only when named', () => {
    assert.ok(!ruleAllows(rule({}), res(viewer, 'get', 'pods', { subresource: 'log' })));
    assert.ok(ruleAllows(rule({ resources: ['pods/log'] }), res(viewer, 'get', 'pods', { subresource: 'log' })));
    assert.ok(ruleAllows(rule({ resources: ['*/log'] }), res(viewer, 'get', 'pods', { subresource: 'log' })));
    assert.ok(ruleAllows(rule({ resources: ['pods/*'] }), res(viewer, 'get', 'pods', { subresource: 'exec' })));
    assert.ok(!ruleAllows(rule({ resources: ['pods/*'] }), res(viewer, 'get', 'pods')));
  });
  it('match resourceNames', () => {
    const named = rule({ resourceNames: ['web'] });
    assert.ok(ruleAllows(named, res(viewer, 'get', 'pods', { name: 'web' })));
    assert.ok(!ruleAllows(named, res(viewer, 'get', 'pods', { name: 'db' })));
    assert.ok(!ruleAllows(named, res(viewer, 'get', 'pods')));
  });
  it('match nonResourceURLs exactly or by a trailing *', () => {
    const urls: PolicyRule = { verbs: ['get'], nonResourceURLs: ['/healthz', '/apis/*'] };
    assert.ok(ruleAllows(urls, nonResourceAttributes(viewer, 'GET', '/healthz')));
    assert.ok(ruleAllows(urls, nonResourceAttributes(viewer, 'GET', '/apis/apps/v1')));
    assert.ok(!ruleAllows(urls, nonResourceAttributes(viewer, 'GET', '/metrics')));
    assert.ok(!ruleAllows(urls, res(viewer, 'get', 'pods')));
  });
});

describe('authorizer', () => {
  it('lets system:masters do anything and an unbound ServiceAccount only discovery and self-reviews', () => {
    const authorizer = authorizerWith();
    const admin = { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
    assert.ok(authorizer.authorize(res(admin, 'delete', 'pods', { name: 'x' })).allowed);
    assert.ok(!authorizer.authorize(res(viewer, 'list', 'pods')).allowed);
    assert.ok(authorizer.authorize(nonResourceAttributes(viewer, 'GET', '/apis/apps/v1')).allowed);
    const review = res(viewer, 'create', 'selfsubjectreviews', { group: 'authentication.k8s.io', namespace: '' });
    assert.ok(authorizer.authorize(review).allowed);
  });

  it('aggregates view into edit into admin by their labels', () => {
    const cache = new RbacCache();
    for (const object of bootstrapPolicy()) cache.put(object);
    const view = cache.clusterRoleRules('view')!;
    const admin = cache.clusterRoleRules('admin')!;
    assert.ok(view.some((r) => r.resources?.includes('pods/log')));
    assert.ok(
      admin.some((r) => r.resources?.includes('pods/log')),
      'admin holds view through edit',
    );
    assert.ok(admin.some((r) => r.resources?.includes('rolebindings')));
    assert.ok(!view.some((r) => r.verbs.includes('delete')));
  });

  it('honours a RoleBinding to view in its namespace only, and new aggregated roles', () => {
    const authorizer = authorizerWith(
      binding(
        'RoleBinding',
        'viewer',
        'ClusterRole',
        'view',
        [{ kind: 'ServiceAccount', name: 'viewer', namespace: 'default' }],
        'default',
      ),
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'widgets-view', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
        rules: [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get', 'list'] }],
      },
    );
    const decision = authorizer.authorize(res(viewer, 'list', 'pods'));
    assert.deepEqual(decision, {
      allowed: true,
      reason:
        'RBAC: allowed by RoleBinding "viewer" of ClusterRole "view" to ServiceAccount "default/viewer" in namespace "default"',
    });
    assert.ok(authorizer.authorize(res(viewer, 'get', 'pods', { subresource: 'log', name: 'p' })).allowed);
    assert.ok(!authorizer.authorize(res(viewer, 'delete', 'pods', { name: 'p' })).allowed);
    assert.ok(!authorizer.authorize(res(viewer, 'list', 'pods', { namespace: 'other' })).allowed);
    assert.ok(!authorizer.authorize(res(viewer, 'create', 'pods', { subresource: 'exec', name: 'p' })).allowed);
    assert.ok(authorizer.authorize(res(viewer, 'list', 'widgets', { group: 'example.com' })).allowed);
  });

  it('binds groups and users through ClusterRoleBindings and ignores bindings to missing roles', () => {
    const authorizer = authorizerWith(
      binding('ClusterRoleBinding', 'ops', 'ClusterRole', 'edit', [{ kind: 'Group', name: 'ops' }]),
      binding('ClusterRoleBinding', 'ghost', 'ClusterRole', 'missing', [{ kind: 'User', name: 'jane' }]),
    );
    const ops = { username: 'bob', groups: ['ops', 'system:authenticated'] };
    assert.ok(authorizer.authorize(res(ops, 'delete', 'pods', { name: 'p', namespace: 'any' })).allowed);
    assert.ok(
      !authorizer.authorize(res(ops, 'create', 'rolebindings', { group: 'rbac.authorization.k8s.io' })).allowed,
    );
    const jane = { username: 'jane', groups: ['system:authenticated'] };
    assert.ok(!authorizer.authorize(res(jane, 'get', 'pods', { name: 'p' })).allowed);
    assert.equal(authorizer.rulesFor(jane, 'default').incomplete, true);
  });

  it('lets a node do what system:node allows', () => {
    const authorizer = authorizerWith();
    const node = { username: 'system:node:fargate-ip-10-0-1-5', groups: ['system:nodes', 'system:authenticated'] };
    assert.ok(authorizer.authorize(res(node, 'update', 'pods', { subresource: 'status', name: 'p' })).allowed);
    assert.ok(!authorizer.authorize(res(node, 'update', 'deployments', { group: 'apps', name: 'd' })).allowed);
  });
});

describe('403 texts', () => {
  it('are kube-apiserver’s for namespaced, cluster-scoped, named and non-resource requests', () => {
    const message = (e: { status: { message?: string } }) => e.status.message;
    assert.equal(
      message(forbiddenError(res(viewer, 'delete', 'pods'))),
      'pods is forbidden: User "system:serviceaccount:default:viewer" cannot delete resource "pods" in API group "" in the namespace "default"',
    );
    assert.equal(
      message(forbiddenError(res(viewer, 'get', 'deployments', { group: 'apps', name: 'web', subresource: 'scale' }))),
      'deployments.apps "web" is forbidden: User "system:serviceaccount:default:viewer" cannot get resource "deployments/scale" in API group "apps" in the namespace "default"',
    );
    assert.equal(
      message(forbiddenError(res(viewer, 'list', 'nodes', { namespace: '' }))),
      'nodes is forbidden: User "system:serviceaccount:default:viewer" cannot list resource "nodes" in API group "" at the cluster scope',
    );
    assert.equal(
      message(forbiddenError(nonResourceAttributes(viewer, 'GET', '/metrics'))),
      'forbidden: User "system:serviceaccount:default:viewer" cannot get path "/metrics"',
    );
  });
});
