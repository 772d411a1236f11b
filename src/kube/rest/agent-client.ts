// How the kube API reaches the agent that runs a node's pods, as kube-apiserver reaches a kubelet: pod →
// spec.nodeName → the Node's skiff.io/host → the host Lease kube-system/skiff-host-<host> with its endpoint.
import { internalError, notFound } from '../api/errors.js';
import { getObject } from '../storage/objects.js';
import type { ApiContext } from './context.js';

const hostAnnotation = 'skiff.io/host';
const endpointAnnotation = 'skiff.io/agent-endpoint';
const tokenAnnotation = 'skiff.io/agent-token';

export interface AgentAddress {
  host: string;
  url: string;
  token: string;
}

export type AgentConnection = AgentAddress;

/** The TLS options of a request to the agent. */
export function agentTls(_agent: AgentConnection): { ca?: string; cert?: string; key?: string } {
  return {};
}

async function stored(ctx: ApiContext, resource: string, namespace: string | undefined, name: string) {
  const info = ctx.registry.lookup(resource === 'leases' ? 'coordination.k8s.io' : '', 'v1', resource)!;
  return getObject(ctx.store, info, namespace, name);
}

/** The agent running `nodeName`: its endpoint and token from the host Lease. */
export async function agentOf(ctx: ApiContext, nodeName: string): Promise<AgentAddress> {
  const node = await stored(ctx, 'nodes', undefined, nodeName);
  if (!node) throw notFound('nodes', nodeName);
  const host = node.metadata.annotations?.[hostAnnotation];
  if (!host) throw internalError(`node "${nodeName}" has no ${hostAnnotation} annotation: no agent serves its logs`);
  const lease = await stored(ctx, 'leases', 'kube-system', `skiff-host-${host}`);
  const url = lease?.metadata.annotations?.[endpointAnnotation];
  const token = lease?.metadata.annotations?.[tokenAnnotation];
  if (!url || !token) {
    throw internalError(
      `the agent of host "${host}" (node "${nodeName}") publishes no endpoint: Lease kube-system/skiff-host-${host} ` +
        `has no ${endpointAnnotation} annotation`,
    );
  }
  return { host, url, token };
}
