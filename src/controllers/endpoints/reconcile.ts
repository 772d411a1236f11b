// Reconciles one Service's Endpoints object (Kubernetes' endpoints controller `syncService`): ready pods as
// addresses, others as notReadyAddresses, ports resolved per pod, service labels plus the headless label,
// the last-change trigger time; the Endpoints go with the Service. Services without a selector are left alone.

import { isDeepStrictEqual } from 'node:util';
import { recordEvent } from '../../client/events.js';
import type { Lister } from '../../client/lister.js';
import { getIfExists } from '../../client/objects.js';
import type { ReconcileResult } from '../../client/queue.js';
import { ignoreNotFound } from '../../kube/api/errors.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import {
  findPort,
  hasSelector,
  headlessLabel,
  isPodReady,
  isServiceIPSet,
  podIPv4,
  podsOf,
  serviceRef,
  shouldPodBeInEndpoints,
  shouldSetHostname,
  targetRefOf,
} from './pods.js';
import {
  capacityAnnotationCorrect,
  type EndpointAddress,
  type EndpointPort,
  type EndpointSubset,
  overCapacity,
  repackSubsets,
  truncateSubsets,
} from './subsets.js';
import { type TriggerTimeTracker, withTriggerTime } from './trigger-time.js';

export const component = 'endpoint-controller';
export const endpointsRef = (namespace: string) => ({ apiVersion: 'v1', kind: 'Endpoints', namespace });

export async function reconcileEndpoints(
  client: KubeClient,
  podLister: Lister,
  namespace: string,
  name: string,
  triggerTimes: TriggerTimeTracker,
): Promise<ReconcileResult> {
  const service = await getIfExists(client, serviceRef(namespace), name);
  if (!service) {
    await client.delete(endpointsRef(namespace), name).catch(ignoreNotFound);
    triggerTimes.forget(namespace, name);
    return {};
  }
  if (!hasSelector(service)) return {};
  const pods = podsOf(podLister, service);
  const triggerTime = triggerTimes.compute(service, pods);
  const subsets = desiredSubsets(service, pods);
  const current = await getIfExists(client, endpointsRef(namespace), name);
  const serviceLabels = service.metadata.labels ?? {};
  if (current) {
    const { [headlessLabel]: _headless, ...labels } = current.metadata.labels ?? {};
    const unchanged =
      isDeepStrictEqual(withoutTargetVersions(current.subsets ?? []), subsets) &&
      isDeepStrictEqual(labels, serviceLabels) &&
      capacityAnnotationCorrect(current.metadata.annotations, current.subsets ?? []);
    if (unchanged) return {};
  }
  const next: KubeObject = current
    ? structuredClone(current)
    : { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace } };
  next.subsets = subsets;
  const annotations = withTriggerTime(next.metadata.annotations, triggerTime);
  if (truncateSubsets(subsets)) annotations[overCapacity] = 'truncated';
  else delete annotations[overCapacity];
  next.metadata.annotations = annotations;
  next.metadata.labels = { ...serviceLabels };
  if (!isServiceIPSet(service)) next.metadata.labels[headlessLabel] = '';
  for (const field of ['annotations', 'labels'] as const) {
    if (Object.keys(next.metadata[field]!).length === 0) delete next.metadata[field];
  }
  if (subsets.length === 0) delete next.subsets;
  try {
    if (current) await client.update(next);
    else await client.create(next);
  } catch (error: any) {
    const terminating = error?.details?.causes?.some((c: { reason?: string }) => c.reason === 'NamespaceTerminating');
    if (!current && (terminating || /being terminated/.test(error?.message ?? ''))) return {};
    const message = current
      ? `Failed to update endpoint ${namespace}/${name}: ${error?.message ?? error}`
      : `Failed to create endpoint for service ${namespace}/${name}: ${error?.message ?? error}`;
    const reason = current ? 'FailedToUpdateEndpoint' : 'FailedToCreateEndpoint';
    await recordEvent(client, component, current ?? next, 'Warning', reason, message).catch(() => {});
    throw error;
  }
  return {};
}

function desiredSubsets(service: KubeObject, pods: KubeObject[]): EndpointSubset[] {
  const publish = Boolean(service.spec?.publishNotReadyAddresses);
  const servicePorts: any[] = service.spec?.ports ?? [];
  const entries: { address: EndpointAddress; port?: EndpointPort; ready: boolean }[] = [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publish)) continue;
    const address: EndpointAddress = { ip: podIPv4(pod)! };
    if (shouldSetHostname(pod, service)) address.hostname = pod.spec.hostname;
    if (pod.spec?.nodeName) address.nodeName = pod.spec.nodeName;
    address.targetRef = targetRefOf(pod);
    const ready = publish || isPodReady(pod);
    if (servicePorts.length === 0) {
      if (service.spec?.clusterIP === 'None') entries.push({ address, ready });
      continue;
    }
    for (const servicePort of servicePorts) {
      const number = findPort(pod, servicePort);
      if (number === undefined) continue;
      const port: EndpointPort = { port: number, protocol: servicePort.protocol ?? 'TCP' };
      if (servicePort.name) port.name = servicePort.name;
      if (servicePort.appProtocol) port.appProtocol = servicePort.appProtocol;
      entries.push({ address, port: orderedPort(port), ready });
    }
  }
  return repackSubsets(entries);
}

const orderedPort = ({ name, port, protocol, appProtocol }: EndpointPort): EndpointPort => ({
  ...(name ? { name } : {}),
  port,
  protocol,
  ...(appProtocol ? { appProtocol } : {}),
});

/** Pod resourceVersions in targetRefs (older writers set them) do not count as a change. */
function withoutTargetVersions(subsets: EndpointSubset[]): EndpointSubset[] {
  return subsets.map((subset) => {
    const strip = (list?: EndpointAddress[]) =>
      list?.map((a) => {
        if (!a.targetRef || !('resourceVersion' in a.targetRef)) return a;
        const { resourceVersion: _rv, ...targetRef } = a.targetRef as any;
        return { ...a, targetRef };
      });
    const copy: EndpointSubset = { ...subset };
    if (subset.addresses) copy.addresses = strip(subset.addresses);
    if (subset.notReadyAddresses) copy.notReadyAddresses = strip(subset.notReadyAddresses);
    return copy;
  });
}
