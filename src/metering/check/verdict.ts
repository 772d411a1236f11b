// What Fargate would do with one pod template, by the same rules admission and fargate-scheduler run (all in
// src/fargate/): which profile captures it or why none does, whether fargate-scheduler refuses it and with which
// message, its CapacityProvisioned size with the arithmetic behind it, what its replicas cost per hour and month,
// what they would cost on an EC2 instance type, and what costs money users do not expect.
import type { InstanceType } from '../../controllers/nodegroup/instance-types.js';
import { nodeResources } from '../../controllers/nodegroup/instance-types.js';
import { fargateHourlyRate, type HourlyRate, hoursPerMonth } from '../../fargate/billing.js';
import { chooseProfile, type MatchableProfile } from '../../fargate/matching.js';
import type { ContainerShape } from '../../fargate/pod-shape.js';
import { ec2HourlyPrice, type FargateRates, includedStorageGB } from '../../fargate/prices.js';
import { quantityMilliValue, quantityValue } from '../../fargate/quantity.js';
import { kubernetesOverheadMiB, podRequests, sizePod } from '../../fargate/sizing.js';
import { notSupportedMessage } from '../../fargate/support.js';
import type { PodTemplate } from './templates.js';

export interface Sizing {
  capacityProvisioned: string;
  vcpu: number;
  memoryGB: number;
  storageGB: number;
  /** How the size was reached, in words. */
  explanation: string;
}

export interface Ec2Comparison {
  instanceType: string;
  hourlyPerInstance: number;
  podsPerInstance: number;
  instances: number;
  hourly: number;
  monthly: number;
}

export interface Verdict {
  template: PodTemplate;
  /** The capturing profile, or undefined with `notCaptured` saying why. */
  profile?: string;
  notCaptured?: string;
  /** fargate-scheduler's FailedScheduling message when it would refuse the pod. */
  refused?: string;
  sizing?: Sizing;
  perPod?: HourlyRate;
  hourly?: number;
  monthly?: number;
  ec2?: Ec2Comparison | { instanceType: string; error: string };
  warnings: string[];
}

export interface CheckContext {
  profiles: MatchableProfile[];
  rates: FargateRates;
  region: string;
  instanceType?: InstanceType;
}

const MiB = 1024 * 1024;
const round = (n: number, places = 3) => Number(n.toFixed(places));
const cpuText = (millis: number) => (millis === 0 ? '0 CPU' : `${round(millis / 1000)} vCPU`);
const memText = (bytes: number) => (bytes === 0 ? '0 memory' : `${round(bytes / MiB, 1)}Mi memory`);

function explainSize(template: PodTemplate, capacity: string): string {
  const req = podRequests(template.pod);
  const memoryMiB = Math.ceil(req.memoryBytes / MiB) + kubernetesOverheadMiB;
  const how =
    req.cpuMillis === 0 && req.memoryBytes === 0
      ? ' (none set)'
      : (template.pod.spec?.initContainers ?? []).length > 0
        ? ' (the larger of the biggest init container and the sum of the app containers)'
        : (template.pod.spec?.containers ?? []).length > 1
          ? ' (the sum of the containers)'
          : '';
  return (
    `requests ${cpuText(req.cpuMillis)}, ${memText(req.memoryBytes)}${how}` +
    ` + ${kubernetesOverheadMiB}MB for kubelet, kube-proxy and containerd = ${cpuText(req.cpuMillis)}, ${memoryMiB}Mi;` +
    ` rounded up to the smallest Fargate size that holds both: ${capacity}`
  );
}

const containersOf = (t: PodTemplate): ContainerShape[] => [
  ...(t.pod.spec?.initContainers ?? []),
  ...(t.pod.spec?.containers ?? []),
];

function limitWarnings(t: PodTemplate, sizing: Sizing | undefined): string[] {
  const warnings: string[] = [];
  for (const c of containersOf(t)) {
    for (const [resource, read] of [
      ['cpu', quantityMilliValue],
      ['memory', quantityValue],
    ] as const) {
      const limit = c.resources?.limits?.[resource];
      const request = c.resources?.requests?.[resource];
      if (limit === undefined || request === undefined) continue;
      let l: number;
      let r: number;
      try {
        l = read(limit);
        r = read(request);
      } catch {
        continue;
      }
      if (r > 0 && l >= 2 * r) {
        warnings.push(
          `container ${c.name}: ${resource} request ${request} is far below its limit ${limit}; Fargate sizes the pod by requests, so the limit cannot be reached`,
        );
      }
    }
  }
  if (sizing) {
    const cpuLimit = sumLimits(t, 'cpu', quantityMilliValue) / 1000;
    const memLimitGB = sumLimits(t, 'memory', quantityValue) / (1024 * MiB);
    if (cpuLimit > sizing.vcpu || memLimitGB > sizing.memoryGB) {
      warnings.push(
        `limits (${round(cpuLimit)} vCPU, ${round(memLimitGB)}GB) exceed the provisioned ${sizing.capacityProvisioned}: the container may fail to start on Fargate`,
      );
    }
  }
  return warnings;
}

function sumLimits(t: PodTemplate, resource: string, read: (q: string | number) => number): number {
  let sum = 0;
  for (const c of t.pod.spec?.containers ?? []) {
    const q = c.resources?.limits?.[resource];
    if (q === undefined) continue;
    try {
      sum += read(q);
    } catch {}
  }
  return sum;
}

function ttlWarning(t: PodTemplate): string | undefined {
  const jobSpec =
    t.kind === 'Job' ? t.object.spec : t.kind === 'CronJob' ? t.object.spec?.jobTemplate?.spec : undefined;
  if (!jobSpec || jobSpec.ttlSecondsAfterFinished !== undefined) return undefined;
  return `${t.kind} without ttlSecondsAfterFinished: each finished pod keeps its Fargate node and is billed until it is deleted`;
}

function ec2Comparison(t: PodTemplate, type: InstanceType, region: string, replicas: number) {
  let hourlyPerInstance: number;
  try {
    hourlyPerInstance = ec2HourlyPrice(region, type);
  } catch (error) {
    return { instanceType: type.name, error: (error as Error).message };
  }
  const allocatable = nodeResources(type).allocatable;
  const req = podRequests(t.pod);
  const fits = [Number(allocatable.pods)];
  if (req.cpuMillis > 0) fits.push(Math.floor(quantityMilliValue(allocatable.cpu) / req.cpuMillis));
  if (req.memoryBytes > 0) fits.push(Math.floor(quantityValue(allocatable.memory) / req.memoryBytes));
  const podsPerInstance = Math.max(0, Math.min(...fits));
  if (podsPerInstance === 0) {
    return { instanceType: type.name, error: `the pod's requests do not fit on one ${type.name}` };
  }
  const instances = Math.ceil(replicas / podsPerInstance);
  const hourly = instances * hourlyPerInstance;
  return {
    instanceType: type.name,
    hourlyPerInstance,
    podsPerInstance,
    instances,
    hourly,
    monthly: hourly * hoursPerMonth,
  };
}

export function checkTemplate(t: PodTemplate, ctx: CheckContext): Verdict {
  const warnings: string[] = [];
  const verdict: Verdict = { template: t, warnings };
  const choice = chooseProfile(t.pod, ctx.profiles);
  if ('profile' in choice) verdict.profile = choice.profile;
  else verdict.notCaptured = choice.message;
  if (t.kind === 'DaemonSet') {
    warnings.push('DaemonSet pods never run on Fargate: on a cluster of Fargate profiles only it runs no pod');
  }
  const sized = sizePod(t.pod);
  if (!('reason' in sized)) {
    verdict.sizing = {
      capacityProvisioned: sized.capacityProvisioned,
      vcpu: sized.size.cpuMillis / 1000,
      memoryGB: sized.size.memoryMiB / 1024,
      storageGB: sized.ephemeralStorageGiB,
      explanation: explainSize(t, sized.capacityProvisioned),
    };
  }
  if (verdict.profile) {
    // fargate-scheduler's checks, in its order: supported, then sizable.
    verdict.refused = notSupportedMessage(t.pod) ?? ('reason' in sized ? sized.message : undefined);
    if (!verdict.refused && verdict.sizing) {
      try {
        verdict.perPod = fargateHourlyRate(verdict.sizing, ctx.rates);
        verdict.hourly = verdict.perPod.total * (t.replicas ?? 1);
        verdict.monthly = verdict.hourly * hoursPerMonth;
      } catch (error) {
        warnings.push((error as Error).message);
      }
      if (verdict.sizing.storageGB > includedStorageGB) {
        warnings.push(
          `ephemeral storage ${verdict.sizing.storageGB}GB: the ${verdict.sizing.storageGB - includedStorageGB}GB above the included ${includedStorageGB}GB is billed`,
        );
      }
    }
    const ttl = ttlWarning(t);
    if (ttl) warnings.push(ttl);
  }
  warnings.push(...limitWarnings(t, verdict.profile ? verdict.sizing : undefined));
  if (ctx.instanceType && t.replicas !== undefined) {
    verdict.ec2 = ec2Comparison(t, ctx.instanceType, ctx.region, t.replicas);
  }
  return verdict;
}
