// What the Job controller reads from and writes into pods: the tracking finalizer, terminal / failed / active /
// terminating states, when a pod finished, its completion index, and the pod a Job's template makes.
import type { KubeObject } from '../../kube/api/types.js';
import { podFromTemplate } from '../replicaset/pods.js';

export const trackingFinalizer = 'batch.kubernetes.io/job-tracking';
export const completionIndexKey = 'batch.kubernetes.io/job-completion-index';
export const completionIndexEnv = 'JOB_COMPLETION_INDEX';
/** A generated name's prefix leaves room for the 5 random characters in a 63-character name. */
const maxGeneratedNameLength = 58;

export const hasTrackingFinalizer = (pod: KubeObject) => Boolean(pod.metadata.finalizers?.includes(trackingFinalizer));
export const isSucceeded = (pod: KubeObject) => pod.status?.phase === 'Succeeded';
export const isTerminal = (pod: KubeObject) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/** Not finished and not being deleted. */
export const isActive = (pod: KubeObject) => !isTerminal(pod) && !pod.metadata.deletionTimestamp;

/** Being deleted but not finished yet. */
export const isTerminating = (pod: KubeObject) => !isTerminal(pod) && Boolean(pod.metadata.deletionTimestamp);

/** Whether the pod counts as a failure; with podReplacementPolicy Failed only the Failed phase does. */
export function isPodFailed(pod: KubeObject, job: KubeObject): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  // A pod deleted before it could finish counts as failed, as Kubernetes counts orphans that never reach Failed.
  return Boolean(pod.metadata.deletionTimestamp) && pod.status?.phase !== 'Succeeded';
}

export function onlyReplaceFailedPods(job: KubeObject): boolean {
  return job.spec?.podReplacementPolicy === 'Failed' || Boolean(job.spec?.podFailurePolicy);
}

export function isReady(pod: KubeObject): boolean {
  return (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}

/** The latest container finish time, else when it stopped being ready, else its deletion, else its creation. */
export function finishedTime(pod: KubeObject): number {
  const statuses: any[] = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const finishes = statuses.map((s) => Date.parse(s.state?.terminated?.finishedAt ?? '')).filter((t) => t > 0);
  if (finishes.length) return Math.max(...finishes);
  const notReady = (pod.status?.conditions ?? []).find((c: any) => c.type === 'Ready' && c.status === 'False');
  if (notReady?.lastTransitionTime) return Date.parse(notReady.lastTransitionTime);
  if (pod.metadata.deletionTimestamp) return Date.parse(pod.metadata.deletionTimestamp as string);
  return Date.parse((pod.metadata.creationTimestamp as string | undefined) ?? '') || 0;
}

/** The pod's completion index (Indexed Jobs), or undefined when missing or malformed. */
export function completionIndexOf(pod: KubeObject): number | undefined {
  const value = pod.metadata.annotations?.[completionIndexKey] ?? pod.metadata.labels?.[completionIndexKey];
  if (value === undefined || !/^(0|[1-9]\d*)$/.test(value)) return undefined;
  return Number(value);
}

/** The pod the Job creates: its template, the tracking finalizer and, for Indexed Jobs, the completion index. */
export function podForJob(job: KubeObject, index?: number): KubeObject {
  const pod = podFromTemplate(job, job.spec?.template);
  pod.metadata.finalizers = [
    ...(pod.metadata.finalizers ?? []).filter((f) => f !== trackingFinalizer),
    trackingFinalizer,
  ];
  if (index === undefined) return pod;
  const name = job.metadata.name!;
  const suffix = `-${index}-`;
  pod.metadata.generateName = `${name.slice(0, Math.max(0, maxGeneratedNameLength - suffix.length))}${suffix}`;
  pod.metadata.annotations = { ...pod.metadata.annotations, [completionIndexKey]: String(index) };
  pod.metadata.labels = { ...pod.metadata.labels, [completionIndexKey]: String(index) };
  pod.spec.hostname = `${name}-${index}`;
  const env = {
    name: completionIndexEnv,
    valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${completionIndexKey}']` } },
  };
  for (const container of [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])]) {
    if ((container.env ?? []).some((e: { name: string }) => e.name === completionIndexEnv)) continue;
    container.env = [...(container.env ?? []), env];
  }
  return pod;
}
