// Reconciles one Service's EndpointSlices (Kubernetes' EndpointSlice controller `syncService`): every pod with
// an IP becomes an endpoint with ready/serving/terminating conditions, nodeName, zone, targetRef and hostname;
// slices are planned by slices.ts and written; a pod whose Node is missing is retried later.

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
} from '../endpoints/pods.js';
import { type TriggerTimeTracker, withTriggerTime } from '../endpoints/trigger-time.js';
import { controllerName, type DesiredGroup, managedByLabel, planSlices, portsKey, serviceNameLabel } from './slices.js';

export const component = 'endpoint-slice-controller';
export const sliceRef = (namespace: string) => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  namespace,
});
const zoneLabel = 'topology.kubernetes.io/zone';

export type NodeLookup = (name: string) => Promise<KubeObject | undefined>;

export async function reconcileEndpointSlices(
  client: KubeClient,
  podLister: Lister,
  namespace: string,
  name: string,
  triggerTimes: TriggerTimeTracker,
  nodeOf: NodeLookup,
): Promise<ReconcileResult> {
  const selector = `${serviceNameLabel}=${name},${managedByLabel}=${controllerName}`;
  const existing = (await client.list(sliceRef(namespace), { labelSelector: selector })).items;
  const service = await getIfExists(client, serviceRef(namespace), name);
  if (!service) {
    for (const slice of existing) await deleteSlice(client, slice);
    triggerTimes.forget(namespace, name);
    return {};
  }
  if (!hasSelector(service)) return {};
  const pods = podsOf(podLister, service);
  const triggerTime = triggerTimes.compute(service, pods);
  const missingNodes: string[] = [];
  const desired = new Map<string, DesiredGroup>();
  for (const pod of pods.sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!))) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const node = pod.spec?.nodeName ? await nodeOf(pod.spec.nodeName) : undefined;
    if (pod.spec?.nodeName && !node) {
      missingNodes.push(
        `skipping Pod ${pod.metadata.name} for Service ${namespace}/${name}: Node ${pod.spec.nodeName} Not Found`,
      );
      continue;
    }
    const ports = endpointPorts(service, pod);
    const key = portsKey(ports);
    const group = desired.get(key) ?? { ports, endpoints: [] };
    group.endpoints.push(podToEndpoint(pod, node, service));
    desired.set(key, group);
  }
  const plan = planSlices(service, sliceLabels(service), desired, existing);
  try {
    for (const slice of plan.create) await client.create(finished(slice, triggerTime));
    for (const slice of plan.update) await client.update(finished(slice, triggerTime));
    for (const slice of plan.delete) await deleteSlice(client, slice);
  } catch (error: any) {
    const terminating = /being terminated/.test(error?.message ?? '');
    if (terminating) return {};
    const message = `Error updating Endpoint Slices for Service ${namespace}/${name}: ${error?.message ?? error}`;
    await recordEvent(client, component, service, 'Warning', 'FailedToUpdateEndpointSlices', message).catch(() => {});
    throw error;
  }
  if (missingNodes.length) throw new Error(missingNodes.join('; '));
  return {};
}

/** `setEndpointSliceLabels`: the service's labels (reserved keys aside), headless, service name, managed-by. */
function sliceLabels(service: KubeObject): Record<string, string> {
  const reserved = [serviceNameLabel, managedByLabel, headlessLabel];
  const labels = Object.fromEntries(
    Object.entries(service.metadata.labels ?? {}).filter(([key]) => !reserved.includes(key)),
  );
  if (!isServiceIPSet(service)) labels[headlessLabel] = '';
  labels[serviceNameLabel] = service.metadata.name!;
  labels[managedByLabel] = controllerName;
  return labels;
}

function endpointPorts(service: KubeObject, pod: KubeObject): any[] {
  const ports: any[] = [];
  for (const servicePort of service.spec?.ports ?? []) {
    const port = findPort(pod, servicePort);
    if (port === undefined) continue;
    const entry: Record<string, unknown> = {
      name: servicePort.name ?? '',
      port,
      protocol: servicePort.protocol ?? 'TCP',
    };
    if (servicePort.appProtocol) entry.appProtocol = servicePort.appProtocol;
    ports.push(entry);
  }
  return ports;
}

function podToEndpoint(pod: KubeObject, node: KubeObject | undefined, service: KubeObject) {
  const serving = isPodReady(pod);
  const terminating = Boolean(pod.metadata.deletionTimestamp);
  const ready = Boolean(service.spec?.publishNotReadyAddresses) || (serving && !terminating);
  const endpoint: Record<string, unknown> = { addresses: [podIPv4(pod)], conditions: { ready, serving, terminating } };
  if (shouldSetHostname(pod, service)) endpoint.hostname = pod.spec.hostname;
  endpoint.targetRef = targetRefOf(pod);
  if (pod.spec?.nodeName) endpoint.nodeName = pod.spec.nodeName;
  const zone = node?.metadata.labels?.[zoneLabel];
  if (zone) endpoint.zone = zone;
  return endpoint;
}

/** The slice as written: trigger time annotated, empty lists stored as null like the real API's. */
function finished(slice: KubeObject, triggerTime: number): KubeObject {
  const annotations = withTriggerTime(slice.metadata.annotations, triggerTime);
  const metadata: KubeObject['metadata'] = { ...slice.metadata, annotations };
  if (Object.keys(annotations).length === 0) delete metadata.annotations;
  return {
    ...slice,
    metadata,
    endpoints: slice.endpoints?.length ? slice.endpoints : null,
    ports: slice.ports?.length ? slice.ports : null,
  };
}

async function deleteSlice(client: KubeClient, slice: KubeObject): Promise<void> {
  await client.delete(sliceRef(slice.metadata.namespace!), slice.metadata.name!).catch(ignoreNotFound);
}
