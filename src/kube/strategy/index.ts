// The strategy of each kind, by "group/Kind"; kinds without one get the generic behaviour.
import type { ResourceInfo } from '../resources/types.js';
import {
  cronJobStrategy,
  daemonSetStrategy,
  deploymentStrategy,
  jobStrategy,
  replicaSetStrategy,
  replicationControllerStrategy,
  statefulSetStrategy,
} from './apps.js';
import { horizontalPodAutoscalerStrategy } from './autoscaling.js';
import { namespaceStrategy, nodeStrategy, podStrategy, serviceStrategy } from './core.js';
import { crdStrategy } from './crd.js';
import { configMapStrategy } from './data-size.js';
import { rbacStrategies } from './rbac.js';
import { secretStrategy } from './secret.js';
import type { Strategy } from './types.js';

const strategies: Record<string, Strategy> = {
  '/Namespace': namespaceStrategy,
  '/Pod': podStrategy,
  '/Service': serviceStrategy,
  '/Secret': secretStrategy,
  '/ConfigMap': configMapStrategy,
  '/Node': nodeStrategy,
  '/ReplicationController': replicationControllerStrategy,
  'apps/Deployment': deploymentStrategy,
  'apps/ReplicaSet': replicaSetStrategy,
  'apps/StatefulSet': statefulSetStrategy,
  'apps/DaemonSet': daemonSetStrategy,
  'batch/Job': jobStrategy,
  'batch/CronJob': cronJobStrategy,
  'apiextensions.k8s.io/CustomResourceDefinition': crdStrategy,
  'autoscaling/HorizontalPodAutoscaler': horizontalPodAutoscalerStrategy,
  ...rbacStrategies,
};

export function strategyFor(info: ResourceInfo): Strategy {
  return strategies[`${info.group}/${info.kind}`] ?? {};
}

export function tracksGeneration(info: ResourceInfo): boolean {
  return strategyFor(info).tracksGeneration ?? (info.hasStatus || info.custom !== undefined);
}

export type { Strategy } from './types.js';
