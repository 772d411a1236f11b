// The agent, Skiff's kubelet, one per host: registers the host (Lease with its capacity), watches the Nodes that
// name it (annotation skiff.io/host) and keeps their heartbeats, watches the Pods bound to them and runs each
// through a PodWorker over the sandbox driver; writes metrics.k8s.io usage; serves container logs to the kube API.
import { type InformerUse, sharedInformers } from '../client/factory.js';
import type { KubeObject } from '../kube/api/types.js';
import type { KubeClient } from '../kube/client/types.js';
import type { AgentTls } from '../kube/pki/agent-certs.js';
import type { SandboxDriver } from './driver.js';
import { KubeletEvents } from './events.js';
import { type HostCapacity, HostLease, hostAnnotation } from './host-lease.js';
import { MetricsWriter } from './metrics.js';
import { NodeHeartbeats } from './node-heartbeat.js';
import type { NodeRuntimeInfo } from './node-info.js';
import { type NodeView, nodeViewOf } from './nodes.js';
import { PodIps } from './pod-ips.js';
import { PodWorker, type WorkerContext } from './pod-worker.js';
import { AgentMetrics } from './prometheus.js';
import { type AgentServer, startAgentServer } from './server/server.js';
import { StatusWriter } from './status-writer.js';

export interface AgentIntervals {
  /** Host Lease renewal (10 s). */
  hostLeaseRenewMs: number;
  /** Node Lease renewal (10 s). */
  nodeLeaseRenewMs: number;
  /** Node conditions' heartbeat (1 min; the kubelet reports every 5 min when nothing changes). */
  nodeStatusMs: number;
  /** metrics.k8s.io writes (15 s, the metrics window). */
  metricsMs: number;
  /** How long pod status changes gather before they are written (20 ms). */
  statusBatchMs: number;
}

export const defaultAgentIntervals: AgentIntervals = {
  hostLeaseRenewMs: 10_000,
  nodeLeaseRenewMs: 10_000,
  nodeStatusMs: 60_000,
  metricsMs: 15_000,
  statusBatchMs: 20,
};

export interface AgentOptions {
  client: KubeClient;
  /** DNS-1123 name of this host (Leases are named after it; Nodes point at it). */
  hostName: string;
  capacity: HostCapacity;
  driver: SandboxDriver;
  intervals?: Partial<AgentIntervals>;
  /** Pod status writes in flight at once (default 8). */
  statusConcurrency?: number;
  onError?: (error: unknown) => void;
  /** What really runs the pods (runtime, kernel, OS), put in each node's nodeInfo (per node when a function). */
  nodeInfo?: NodeRuntimeInfo | ((node: KubeObject) => NodeRuntimeInfo | undefined);
  /** Where the agent's endpoint (logs, exec, attach, port-forward) listens: default 127.0.0.1 on any free port. */
  server?: { host?: string; port?: number };
  /**
   * The cluster CA and this agent's serving certificate (see kube/pki/agent-certs.ts). Without it the agent serves
   * no endpoint, and the kube API answers pods/log and exec for its pods with "publishes no endpoint".
   */
  tls?: AgentTls;
}

export interface Agent {
  readonly hostName: string;
  /** The agent's endpoint, as published on the host Lease (absent without TLS material). */
  readonly endpoint?: string;
  stop(): Promise<void>;
}

const hostNamePattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export async function startAgent(options: AgentOptions): Promise<Agent> {
  const { client, hostName, driver } = options;
  if (!hostNamePattern.test(hostName) || hostName.length > 242) {
    throw new Error(`agent: host name "${hostName}" must be a lowercase DNS name (it names the host's Lease)`);
  }
  const intervals = { ...defaultAgentIntervals, ...options.intervals };
  const onError = options.onError ?? ((error: unknown) => console.error('agent:', error));
  const nodes = new Map<string, NodeView>();
  const workers = new Map<string, PodWorker>();
  const statuses = new StatusWriter(client, {
    concurrency: options.statusConcurrency,
    batchMs: intervals.statusBatchMs,
    onError,
  });
  const events = new KubeletEvents(client, onError);
  const informers = sharedInformers(client);
  let podInformer: InformerUse | undefined;
  let nodeInformer: InformerUse | undefined;

  function* podsOnNode(name: string): Generator<KubeObject> {
    yield* podInformer?.lister.onNode(name) ?? [];
  }
  const ctx: WorkerContext = {
    client,
    driver,
    events,
    statuses,
    ips: new PodIps(),
    node: (name) => nodes.get(name),
    podsOnNode,
    onError,
  };
  const metrics = new MetricsWriter(
    client,
    driver,
    {
      runningPods: () => [...workers.values()].filter((w) => w.phase === 'Running').map((w) => w.sandboxPod()),
      nodeNames: () => [...nodes.keys()],
    },
    intervals.metricsMs,
    onError,
  );
  const prometheus = new AgentMetrics({
    pods: () => [...nodes.keys()].flatMap((name) => [...podsOnNode(name)]),
    regionOf: (pod) => nodeInformer?.cache.get(pod.spec?.nodeName)?.metadata.labels?.['topology.kubernetes.io/region'],
  });
  const current = (name: string) => nodeInformer?.cache.get(name);
  const heartbeats = new NodeHeartbeats(client, intervals, current, onError, options.nodeInfo, driver.readyNote);

  const dropWorker = (uid: string) => {
    const worker = workers.get(uid);
    if (!worker) return;
    workers.delete(uid);
    worker.removed();
    metrics.podGone(worker.pod.metadata.namespace!, worker.pod.metadata.name!);
  };
  const podChanged = (old: KubeObject | undefined, pod: KubeObject | undefined) => {
    prometheus.podChanged((pod ?? old)!.metadata.uid!, pod && nodes.has(pod.spec?.nodeName) ? pod : undefined);
    if (!pod) return dropWorker(old!.metadata.uid!);
    if (old && old.metadata.uid !== pod.metadata.uid) dropWorker(old.metadata.uid!);
    const uid = pod.metadata.uid!;
    if (!nodes.has(pod.spec?.nodeName)) return dropWorker(uid);
    let worker = workers.get(uid);
    if (!worker) {
      worker = new PodWorker(ctx, pod);
      workers.set(uid, worker);
    }
    worker.update(pod);
  };
  const nodeChanged = (old: KubeObject | undefined, node: KubeObject | undefined) => {
    const name = (node ?? old)!.metadata.name!;
    if (node && node.metadata.annotations?.[hostAnnotation] === hostName) {
      const added = !nodes.has(name);
      nodes.set(name, nodeViewOf(node));
      if (!added) return;
      heartbeats.add(node);
      for (const pod of [...podsOnNode(name)]) podChanged(undefined, pod);
      return;
    }
    if (!nodes.delete(name)) return;
    heartbeats.remove(name, !node);
    metrics.nodeGone(name);
    for (const [uid, worker] of workers) if (worker.nodeName === name) dropWorker(uid);
  };

  const podByName = (namespace: string, name: string) => {
    const pod = podInformer?.cache.get(`${namespace}/${name}`);
    return pod && nodes.has(pod.spec?.nodeName) ? pod : undefined;
  };
  const server: AgentServer | undefined = options.tls
    ? await startAgentServer({ driver, podByName, tls: options.tls, metrics: prometheus, ...options.server, onError })
    : undefined;
  const hostLease = new HostLease(client, hostName, options.capacity, intervals.hostLeaseRenewMs, onError, server);
  try {
    await hostLease.start();
  } catch (error) {
    await server?.close();
    throw error;
  }
  podInformer = informers.handle({ apiVersion: 'v1', kind: 'Pod' }, podChanged);
  nodeInformer = informers.handle({ apiVersion: 'v1', kind: 'Node' }, nodeChanged);
  try {
    await podInformer.start();
    await nodeInformer.start();
  } catch (error) {
    podInformer.stop();
    nodeInformer.stop();
    hostLease.stop();
    await server?.close();
    throw error;
  }
  metrics.start();

  return {
    hostName,
    endpoint: server?.url,
    async stop() {
      await server?.close();
      nodeInformer?.stop();
      podInformer?.stop();
      hostLease.stop();
      heartbeats.stop();
      await metrics.stop();
      await driver.close();
      await statuses.stop();
      await events.settled();
    },
  };
}
