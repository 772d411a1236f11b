// Loads k8s.proto once and maps each apiVersion/kind kubectl may send to its message type.
import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';

let root: protobuf.Root | undefined;

export function schema(): protobuf.Root {
  if (!root) {
    const text = readFileSync(new URL('./k8s.proto', import.meta.url), 'utf8');
    root = protobuf.parse(text, { keepCase: true }).root;
    root.resolveAll();
  }
  return root;
}

const kinds: Record<string, string> = {
  'v1/Namespace': 'Namespace',
  'v1/ConfigMap': 'ConfigMap',
  'v1/Secret': 'Secret',
  'v1/ServiceAccount': 'ServiceAccount',
  'v1/Service': 'Service',
  'v1/ResourceQuota': 'ResourceQuota',
  'apps/v1/Deployment': 'Deployment',
  'batch/v1/Job': 'Job',
  'batch/v1/CronJob': 'CronJob',
  'scheduling.k8s.io/v1/PriorityClass': 'PriorityClass',
  'authorization.k8s.io/v1/SelfSubjectAccessReview': 'SelfSubjectAccessReview',
  'autoscaling/v1/HorizontalPodAutoscaler': 'HorizontalPodAutoscaler',
  'authentication.k8s.io/v1/TokenRequest': 'TokenRequest',
  'authentication.k8s.io/v1/SelfSubjectReview': 'SelfSubjectReview',
  'authorization.k8s.io/v1/SelfSubjectRulesReview': 'SelfSubjectRulesReview',
  'rbac.authorization.k8s.io/v1/Role': 'Role',
  'rbac.authorization.k8s.io/v1/ClusterRole': 'ClusterRole',
  'rbac.authorization.k8s.io/v1/RoleBinding': 'RoleBinding',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': 'ClusterRoleBinding',
};

/** The message type for an apiVersion and kind, or undefined when Skiff cannot decode it. */
export function messageFor(apiVersion: string, kind: string): protobuf.Type | undefined {
  const name = kinds[`${apiVersion}/${kind}`];
  return name ? schema().lookupType(`k8s.${name}`) : undefined;
}

export const supportedKinds = (): string[] => Object.keys(kinds);
