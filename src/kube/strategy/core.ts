// Strategies for core/v1 kinds: namespaces (Active phase, the kubernetes finalizer), pods (Pending phase, QoS
// class and the defaults the real server fills in; only the mutable fields of a spec may change), services and nodes.
import { invalid } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import { validatePodSpec } from './pod-spec.js';
import { forbiddenPodSpecChange } from './pod-update.js';
import type { Strategy } from './types.js';

export const namespaceStrategy: Strategy = {
  nameFormat: 'label',
  tracksGeneration: false,
  prepareForCreate(ns) {
    ns.spec = { finalizers: ['kubernetes'], ...ns.spec };
    ns.status = { phase: 'Active' };
    ns.metadata.labels = { ...ns.metadata.labels, 'kubernetes.io/metadata.name': ns.metadata.name! };
  },
  prepareForUpdate(ns, old) {
    ns.spec = old.spec;
    ns.metadata.labels = { ...ns.metadata.labels, 'kubernetes.io/metadata.name': ns.metadata.name! };
  },
};

function qosClass(pod: KubeObject): string {
  const containers: any[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  let guaranteed = containers.length > 0;
  let any = false;
  for (const c of containers) {
    const requests = c.resources?.requests ?? {};
    const limits = c.resources?.limits ?? {};
    if (Object.keys(requests).length || Object.keys(limits).length) any = true;
    for (const r of ['cpu', 'memory']) {
      if (!limits[r] || (requests[r] && requests[r] !== limits[r])) guaranteed = false;
    }
  }
  return guaranteed ? 'Guaranteed' : any ? 'Burstable' : 'BestEffort';
}

function defaultProbe(probe: any): void {
  if (!probe) return;
  probe.timeoutSeconds ??= 1;
  probe.periodSeconds ??= 10;
  probe.successThreshold ??= 1;
  probe.failureThreshold ??= 3;
  if (probe.httpGet) {
    probe.httpGet.path ??= '/';
    probe.httpGet.scheme ??= 'HTTP';
  }
}

/** A container's defaults, in pods and pod templates alike (Kubernetes' SetDefaults_Container and _Probe). */
export function defaultContainer(c: any): void {
  c.imagePullPolicy ??=
    c.image && (!/:[^/]+$/.test(c.image) || c.image.endsWith(':latest')) ? 'Always' : 'IfNotPresent';
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  for (const p of c.ports ?? []) p.protocol ??= 'TCP';
  for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) defaultProbe(probe);
}

/** A pod's containers request what they limit unless they say otherwise (SetDefaults_Pod; not for templates). */
function requestsFromLimits(c: any): void {
  const limits = c.resources?.limits;
  if (!limits) return;
  c.resources.requests ??= {};
  for (const [name, value] of Object.entries(limits)) c.resources.requests[name] ??= value;
}

export const podStrategy: Strategy = {
  tracksGeneration: false,
  prepareForCreate(pod) {
    pod.spec ??= {};
    const spec = pod.spec;
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      defaultContainer(c);
      requestsFromLimits(c);
    }
    spec.restartPolicy ??= 'Always';
    spec.terminationGracePeriodSeconds ??= 30;
    spec.dnsPolicy ??= 'ClusterFirst';
    spec.schedulerName ??= 'default-scheduler';
    spec.serviceAccountName ??= spec.serviceAccount ?? 'default';
    spec.serviceAccount = spec.serviceAccountName;
    spec.securityContext ??= {};
    spec.enableServiceLinks ??= true;
    spec.preemptionPolicy ??= 'PreemptLowerPriority';
    spec.priority ??= 0;
    pod.status = { phase: 'Pending', qosClass: qosClass(pod) };
  },
  prepareForUpdate(pod, old) {
    // Pod specs are immutable but for a few fields; binding and status go through their own subresources.
    const forbidden = forbiddenPodSpecChange(pod.spec, old.spec);
    if (forbidden) throw invalid('Pod', '', old.metadata.name ?? '', [forbidden]);
    pod.spec = {
      ...old.spec,
      activeDeadlineSeconds: pod.spec?.activeDeadlineSeconds ?? old.spec?.activeDeadlineSeconds,
    };
    if (Array.isArray(pod.spec.containers)) {
      pod.spec.containers = old.spec.containers.map((c: any, i: number) => ({
        ...c,
        image: pod.spec.containers[i]?.image ?? c.image,
      }));
    }
  },
  validate: (pod) => validatePodSpec(pod.spec, 'spec'),
};

export const serviceStrategy: Strategy = {
  nameFormat: 'label',
  tracksGeneration: false,
  prepareForCreate(svc) {
    svc.spec ??= {};
    const spec = svc.spec;
    spec.type ??= 'ClusterIP';
    spec.sessionAffinity ??= 'None';
    spec.internalTrafficPolicy ??= 'Cluster';
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
    for (const p of spec.ports ?? []) {
      p.protocol ??= 'TCP';
      p.targetPort ??= p.port;
    }
    svc.status = { loadBalancer: {} };
  },
};

export const nodeStrategy: Strategy = { tracksGeneration: false };
