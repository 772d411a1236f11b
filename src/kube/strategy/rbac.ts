// Roles, ClusterRoles and their bindings, as kube-apiserver's rbac registry: names are path segments (so
// `system:node` is valid), a binding must name its role, and its roleRef never changes once created.
import type { FieldCause } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import type { Strategy } from './types.js';

function goRoleRef(ref: { apiGroup?: string; kind?: string; name?: string } | undefined): string {
  return `rbac.RoleRef{APIGroup:"${ref?.apiGroup ?? ''}", Kind:"${ref?.kind ?? ''}", Name:"${ref?.name ?? ''}"}`;
}

function validateBinding(object: KubeObject, old: KubeObject | undefined, roleKinds: string[]): FieldCause[] {
  const ref = object.roleRef as { apiGroup?: string; kind?: string; name?: string } | undefined;
  const causes: FieldCause[] = [];
  if (old && JSON.stringify(old.roleRef) !== JSON.stringify(ref)) {
    causes.push({
      field: 'roleRef',
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${goRoleRef(ref)}: cannot change roleRef`,
    });
    return causes;
  }
  if (!ref?.name) causes.push({ field: 'roleRef.name', reason: 'FieldValueRequired', message: 'Required value' });
  if (ref?.apiGroup !== 'rbac.authorization.k8s.io')
    causes.push({
      field: 'roleRef.apiGroup',
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: "${ref?.apiGroup ?? ''}": supported values: "rbac.authorization.k8s.io"`,
    });
  if (!roleKinds.includes(ref?.kind ?? ''))
    causes.push({
      field: 'roleRef.kind',
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: "${ref?.kind ?? ''}": supported values: ${roleKinds.map((k) => `"${k}"`).join(', ')}`,
    });
  return causes;
}

const roleStrategy: Strategy = { nameFormat: 'path', tracksGeneration: false };

export const rbacStrategies: Record<string, Strategy> = {
  'rbac.authorization.k8s.io/Role': roleStrategy,
  'rbac.authorization.k8s.io/ClusterRole': roleStrategy,
  'rbac.authorization.k8s.io/RoleBinding': {
    ...roleStrategy,
    validate: (object, old) => validateBinding(object, old, ['Role', 'ClusterRole']),
  },
  'rbac.authorization.k8s.io/ClusterRoleBinding': {
    ...roleStrategy,
    validate: (object, old) => validateBinding(object, old, ['ClusterRole']),
  },
};
