// The RBAC objects the authorizer evaluates, held in memory and kept current by one store watch on
// /registry/rbac.authorization.k8s.io/ (listed once at start, then watched; never listed per request). A
// ClusterRole with an aggregationRule is read with the rules of every ClusterRole its selectors match, as the
// clusterrole-aggregation controller fills them in (aggregation.ts writes them back to the object).
import type { Backend, KeyValue, Watch } from '../../store/types.js';
import type { KubeObject } from '../api/types.js';
import { matchesLabels, requirementsOf } from '../selectors/labels.js';
import type { PolicyRule } from './rules.js';

export const rbacPrefix = '/registry/rbac.authorization.k8s.io/';

export interface Subject {
  kind: string;
  name: string;
  namespace?: string;
  apiGroup?: string;
}

export interface RoleRef {
  kind: string;
  name: string;
  apiGroup?: string;
}

export interface Binding {
  name: string;
  namespace?: string;
  kind: 'RoleBinding' | 'ClusterRoleBinding';
  roleRef: RoleRef;
  subjects: Subject[];
}

export interface Role {
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  rules: PolicyRule[];
  aggregationRule?: { clusterRoleSelectors?: KubeObject['spec'][] };
}

/** `/registry/rbac.authorization.k8s.io/<resource>/[<ns>/]<name>` → its parts. */
function keyParts(key: string): { resource: string; namespace?: string; name: string } {
  const parts = key.slice(rbacPrefix.length).split('/');
  return parts.length === 3
    ? { resource: parts[0], namespace: parts[1], name: parts[2] }
    : { resource: parts[0], name: parts[1] };
}

export class RbacCache {
  readonly roles = new Map<string, Role>();
  readonly clusterRoles = new Map<string, Role>();
  readonly roleBindings = new Map<string, Binding[]>();
  readonly clusterRoleBindings = new Map<string, Binding>();
  private watch?: Watch;
  private listeners: (() => void)[] = [];

  /** Lists once, then follows every change. */
  async start(store: Backend): Promise<void> {
    const listed = await store.list(rbacPrefix);
    for (const kv of listed.items) this.apply(kv, false);
    this.watch = await store.watch(rbacPrefix, { afterRevision: listed.revision }, (event) => {
      this.apply(event.kv, event.type === 'delete');
      for (const listener of this.listeners) listener();
    });
  }

  stop(): void {
    this.watch?.close();
  }

  /** Called after every change the watch delivers. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Applies one stored object (tests feed objects directly). */
  put(object: KubeObject, deleted = false): void {
    const resource = `${object.kind.toLowerCase()}s`;
    const ns = object.metadata.namespace;
    const key = `${rbacPrefix}${resource}/${ns ? `${ns}/` : ''}${object.metadata.name}`;
    this.apply({ key, value: JSON.stringify(object), createRevision: 0, modRevision: 0 }, deleted);
  }

  private apply(kv: KeyValue, deleted: boolean): void {
    const { resource, namespace, name } = keyParts(kv.key);
    const id = namespace ? `${namespace}/${name}` : name;
    const object = JSON.parse(kv.value) as KubeObject;
    switch (resource) {
      case 'roles':
        setOrDelete(this.roles, id, deleted ? undefined : roleOf(object));
        break;
      case 'clusterroles':
        setOrDelete(this.clusterRoles, id, deleted ? undefined : roleOf(object));
        break;
      case 'clusterrolebindings':
        setOrDelete(this.clusterRoleBindings, id, deleted ? undefined : bindingOf(object, 'ClusterRoleBinding'));
        break;
      case 'rolebindings': {
        const list = (this.roleBindings.get(namespace!) ?? []).filter((b) => b.name !== name);
        if (!deleted) list.push(bindingOf(object, 'RoleBinding'));
        this.roleBindings.set(namespace!, list);
        break;
      }
    }
  }

  /** A ClusterRole's rules: its own, or for an aggregated role the rules of every ClusterRole it selects. */
  clusterRoleRules(name: string, visiting = new Set<string>()): PolicyRule[] | undefined {
    const role = this.clusterRoles.get(name);
    if (!role) return undefined;
    if (!role.aggregationRule?.clusterRoleSelectors || visiting.has(name)) return role.rules;
    visiting.add(name);
    const rulesOf = (candidate: Role) => this.clusterRoleRules(candidate.name, visiting) ?? [];
    const rules = aggregatedRules(role, this.clusterRoles.values(), rulesOf);
    visiting.delete(name);
    return rules;
  }

  /** The rules a binding's roleRef grants; undefined when the role does not exist. */
  rulesOf(binding: Binding): PolicyRule[] | undefined {
    if (binding.roleRef.kind === 'ClusterRole') return this.clusterRoleRules(binding.roleRef.name);
    return this.roles.get(`${binding.namespace}/${binding.roleRef.name}`)?.rules;
  }
}

/**
 * The rules of every role (other than `role`) that one of `role`'s selectors matches, without duplicates, in name
 * order; `rulesOf` reads a candidate's rules (an aggregated candidate's own aggregation).
 */
export function aggregatedRules(
  role: Role,
  candidates: Iterable<Role>,
  rulesOf: (candidate: Role) => PolicyRule[] = (c) => c.rules,
): PolicyRule[] {
  const selectors = (role.aggregationRule?.clusterRoleSelectors ?? []).map((s) => requirementsOf(s as never));
  const rules: PolicyRule[] = [];
  const seen = new Set<string>();
  const sorted = [...candidates].sort((a, b) => a.name.localeCompare(b.name));
  for (const candidate of sorted) {
    if (candidate.name === role.name) continue;
    if (!selectors.some((s) => s.length > 0 && matchesLabels(s, candidate.labels))) continue;
    for (const rule of rulesOf(candidate)) {
      const key = JSON.stringify(rule);
      if (!seen.has(key) && seen.add(key)) rules.push(rule);
    }
  }
  return rules;
}

function setOrDelete<T>(map: Map<string, T>, id: string, value: T | undefined): void {
  if (value === undefined) map.delete(id);
  else map.set(id, value);
}

function roleOf(object: KubeObject): Role {
  return {
    name: object.metadata.name!,
    namespace: object.metadata.namespace,
    labels: object.metadata.labels ?? {},
    rules: (object.rules as PolicyRule[] | undefined) ?? [],
    aggregationRule: object.aggregationRule as Role['aggregationRule'],
  };
}

function bindingOf(object: KubeObject, kind: Binding['kind']): Binding {
  return {
    name: object.metadata.name!,
    namespace: object.metadata.namespace,
    kind,
    roleRef: object.roleRef as RoleRef,
    subjects: (object.subjects as Subject[] | undefined) ?? [],
  };
}
