// What Fargate refuses to run (reference §3.5, §6.5): the reasons a pod is unsupported and the exact
// comma-joined `Pod not supported on Fargate: …` text fargate-scheduler reports with FailedScheduling.

import type { ContainerShape, PodShape, VolumeShape } from './pod-shape.js';

export const notSupportedPrefix = 'Pod not supported on Fargate: ';

/** Volume sources a Fargate pod may use; a persistentVolumeClaim must also be bound to an EFS volume. */
export const supportedVolumeTypes = [
  'emptyDir',
  'configMap',
  'secret',
  'downwardAPI',
  'projected',
  'persistentVolumeClaim',
];
/**
 * EKS Fargate refuses added capabilities (CAP_CHOWN, NET_ADMIN and SYS_PTRACE are refused in the field) except
 * NET_BIND_SERVICE: EKS' own CoreDNS Deployment adds it and runs on Fargate once its compute-type annotation is
 * removed (UG fargate-getting-started, "Update CoreDNS").
 */
export const allowedAddedCapabilities: string[] = ['NET_BIND_SERVICE', 'CAP_NET_BIND_SERVICE'];
export const efsCsiDriver = 'efs.csi.aws.com';
/** Accelerator resources Fargate has no hardware for (§6.5 "GPUs and Inferentia"). */
export const acceleratorResources = [
  'nvidia.com/gpu',
  'amd.com/gpu',
  'aws.amazon.com/neuron',
  'aws.amazon.com/neuroncore',
  'aws.amazon.com/neurondevice',
];

/** What the caller knows of a claim: its bound volume and that volume's CSI driver or in-tree type. */
export interface ClaimFacts {
  volumeName?: string;
  csiDriver?: string;
  volumeType?: string;
}

export interface SupportContext {
  /** Looks a claim up in the pod's namespace; undefined when it does not exist. Without it claims are not checked. */
  claim?: (claimName: string) => ClaimFacts | undefined;
}

const allContainers = (pod: PodShape): ContainerShape[] => [
  ...(pod.spec?.initContainers ?? []),
  ...(pod.spec?.containers ?? []),
];
const unique = (items: string[]) => [...new Set(items)];

function securityContextFields(containers: ContainerShape[]): string[] {
  const fields: string[] = [];
  if (containers.some((c) => c.securityContext?.privileged)) fields.push('Privileged');
  const added = unique(containers.flatMap((c) => c.securityContext?.capabilities?.add ?? [])).filter(
    (cap) => !allowedAddedCapabilities.includes(cap),
  );
  if (added.length > 0) fields.push(`Capabilities added: ${added.join(', ')}`);
  return fields;
}

function volumeProblem(volume: VolumeShape, ctx: SupportContext): string | undefined {
  const type = Object.entries(volume).find(([k, v]) => k !== 'name' && v !== undefined)?.[0];
  if (!type || !supportedVolumeTypes.includes(type)) return `${volume.name} is of an unsupported volume Type`;
  const claimName = volume.persistentVolumeClaim?.claimName;
  if (claimName === undefined || !ctx.claim) return undefined;
  const facts = ctx.claim(claimName);
  const because = `${volume.name} not supported because: `;
  if (!facts) return `${because}persistentvolumeclaim "${claimName}" not found`;
  if (!facts.volumeName) return undefined;
  if (facts.csiDriver !== undefined && facts.csiDriver !== efsCsiDriver) {
    return `${because}PVC ${claimName} bound to invalid PV ${facts.volumeName} with CSI Driver: ${facts.csiDriver}`;
  }
  if (facts.csiDriver === undefined && facts.volumeType !== undefined) {
    return `${because}PVC ${claimName} bound to invalid PV ${facts.volumeName} with volume Type: ${facts.volumeType}`;
  }
  return undefined;
}

function requestedAccelerators(containers: ContainerShape[]): string[] {
  const asked = (c: ContainerShape, r: string) =>
    [c.resources?.requests?.[r], c.resources?.limits?.[r]].some((q) => q !== undefined && Number(q) !== 0);
  return acceleratorResources.filter((r) => containers.some((c) => asked(c, r)));
}

/** The reasons, in the order fargate-scheduler lists them; empty when Fargate can run the pod. */
export function unsupportedReasons(pod: PodShape, ctx: SupportContext = {}): string[] {
  const containers = allContainers(pod);
  const reasons: string[] = [];
  if (pod.spec?.hostNetwork) reasons.push('fields not supported: HostNetwork');
  const fields = securityContextFields(containers);
  if (fields.length > 0) reasons.push(`invalid SecurityContext fields: ${fields.join(', ')}`);
  if (containers.some((c) => c.ports?.some((p) => p.hostPort || p.hostIP))) {
    reasons.push('port contains HostIP or HostPort');
  }
  const volumes = (pod.spec?.volumes ?? []).map((v) => volumeProblem(v, ctx)).filter((p) => p !== undefined);
  if (volumes.length > 0) reasons.push(`volumes not supported: ${volumes.join(', ')}`);
  const accelerators = requestedAccelerators(containers);
  // Skiff's wording: no public capture of EKS's text for accelerator requests exists.
  if (accelerators.length > 0) reasons.push(`resources not supported: ${accelerators.join(', ')}`);
  return reasons;
}

/** `Pod not supported on Fargate: …`, or undefined when the pod is supported. */
export function notSupportedMessage(pod: PodShape, ctx: SupportContext = {}): string | undefined {
  const reasons = unsupportedReasons(pod, ctx);
  return reasons.length === 0 ? undefined : notSupportedPrefix + reasons.join(', ');
}
