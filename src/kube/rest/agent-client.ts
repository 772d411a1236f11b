// How the kube API reaches the agent that runs a node's pods, as kube-apiserver reaches a kubelet: pod →
// spec.nodeName → the Node's skiff.io/host → the host Lease kube-system/skiff-host-<host> with its HTTPS endpoint,
// which is called with the kube API's client certificate and trusted through the cluster CA.
import { internalError, notFound } from '../api/errors.js';
import { getObject } from '../storage/objects.js';
import type { ApiContext } from './context.js';

const hostAnnotation = 'skiff.io/host';
const endpointAnnotation = 'skiff.io/agent-endpoint';

export interface AgentConnection {
  host: string;
  url: string;
  /** The CA that signed the agent's serving certificate, and the kube API's client certificate. */
  tls: { ca: string; cert: string; key: string };
}

async function stored(ctx: ApiContext, resource: string, namespace: string | undefined, name: string) {
  const info = ctx.registry.lookup(resource === 'leases' ? 'coordination.k8s.io' : '', 'v1', resource)!;
  return getObject(ctx.store, info, namespace, name);
}

/** The agent running `nodeName`: its endpoint from the host Lease, and the credentials to call it. */
export async function agentOf(ctx: ApiContext, nodeName: string): Promise<AgentConnection> {
  const node = await stored(ctx, 'nodes', undefined, nodeName);
  if (!node) throw notFound('nodes', nodeName);
  const host = node.metadata.annotations?.[hostAnnotation];
  if (!host) throw internalError(`node "${nodeName}" has no ${hostAnnotation} annotation: no agent serves its pods`);
  const lease = await stored(ctx, 'leases', 'kube-system', `skiff-host-${host}`);
  const url = lease?.metadata.annotations?.[endpointAnnotation];
  if (!url) {
    throw internalError(
      `the agent of host "${host}" (node "${nodeName}") publishes no endpoint: Lease kube-system/skiff-host-${host} ` +
        `has no ${endpointAnnotation} annotation`,
    );
  }
  if (!ctx.agentClient) throw internalError('the kube API holds no client certificate for agents');
  const { ca, cert, key } = ctx.agentClient;
  return { host, url, tls: { ca, cert, key } };
}
