// The built-in printers, keyed by "group/Kind" (core kinds have an empty group).
import type { Printer } from '../types.js';
import {
  componentStatusPrinter,
  configMapPrinter,
  endpointsPrinter,
  eventPrinter,
  namespacePrinter,
  nodePrinter,
  secretPrinter,
  serviceAccountPrinter,
  servicePrinter,
} from './core.js';
import { endpointSlicePrinter } from './discovery.js';
import { ingressClassPrinter, ingressPrinter } from './networking.js';
import { podPrinter } from './pod.js';
import {
  horizontalPodAutoscalerPrinter,
  leasePrinter,
  podDisruptionBudgetPrinter,
  priorityClassPrinter,
  resourceQuotaPrinter,
} from './policy.js';
import {
  csiDriverPrinter,
  csiNodePrinter,
  podTemplatePrinter,
  storageClassPrinter,
  volumeAttachmentPrinter,
} from './storage.js';
import {
  cronJobPrinter,
  daemonSetPrinter,
  deploymentPrinter,
  jobPrinter,
  replicaSetPrinter,
  replicationControllerPrinter,
  statefulSetPrinter,
} from './workloads.js';

const builtins: Record<string, () => Printer> = {
  '/Pod': () => podPrinter,
  '/PodTemplate': () => podTemplatePrinter,
  '/ReplicationController': () => replicationControllerPrinter,
  'storage.k8s.io/StorageClass': () => storageClassPrinter,
  'storage.k8s.io/CSIDriver': () => csiDriverPrinter,
  'storage.k8s.io/CSINode': () => csiNodePrinter,
  'storage.k8s.io/VolumeAttachment': () => volumeAttachmentPrinter,
  '/Service': () => servicePrinter,
  '/Node': () => nodePrinter,
  '/Namespace': () => namespacePrinter,
  '/Event': () => eventPrinter,
  '/ConfigMap': () => configMapPrinter,
  '/ComponentStatus': () => componentStatusPrinter,
  '/Secret': () => secretPrinter,
  '/ServiceAccount': () => serviceAccountPrinter,
  '/Endpoints': () => endpointsPrinter,
  '/ResourceQuota': () => resourceQuotaPrinter,
  'apps/Deployment': () => deploymentPrinter,
  'apps/ReplicaSet': () => replicaSetPrinter,
  'apps/StatefulSet': () => statefulSetPrinter,
  'apps/DaemonSet': () => daemonSetPrinter,
  'batch/Job': () => jobPrinter,
  'batch/CronJob': () => cronJobPrinter,
  'coordination.k8s.io/Lease': () => leasePrinter,
  'discovery.k8s.io/EndpointSlice': () => endpointSlicePrinter,
  'networking.k8s.io/Ingress': () => ingressPrinter,
  'networking.k8s.io/IngressClass': () => ingressClassPrinter,
  'scheduling.k8s.io/PriorityClass': () => priorityClassPrinter,
  'policy/PodDisruptionBudget': () => podDisruptionBudgetPrinter,
  'autoscaling/HorizontalPodAutoscaler': () => horizontalPodAutoscalerPrinter,
};

/** The printer kube-apiserver registers for a kind, or undefined when it uses the default convertor. */
export function builtinPrinter(group: string, kind: string): Printer | undefined {
  return builtins[`${group}/${kind}`]?.();
}
