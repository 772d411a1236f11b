// fargate-scheduler: informers on Pods, Nodes and host Leases feed a work queue of pod keys that reconcilePod
// handles. At start it claims the IPs of existing Nodes and deletes Fargate nodes whose pod is gone, then schedules.

import { type InformerUse, sharedInformers } from '../../client/factory.js';
import { keyOf } from '../../client/informer.js';
import { WorkQueue } from '../../client/queue.js';
import type { ClusterFacts, ProfileInfo, Subscription } from '../../cloud/facts.js';
import { eksKubeletVersion, ipFromNodeName, isFargateNode } from '../../fargate/naming.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { hostCapacityAnnotation, hostLeaseNamespace, leaseIsLive } from '../hosts/lease.js';
import type { VpcAddresses } from '../ipam/vpc-addresses.js';
import { Bindings } from './bindings.js';
import { PodEvents } from './events.js';
import { HostBook } from './hosts.js';
import { deleteNode, isFargatePod, reconcilePod, type SchedulerState } from './reconcile.js';

export interface FargateSchedulerOptions {
  client: KubeClient;
  facts: ClusterFacts;
  ipam: VpcAddresses;
  /** Pods handled at once (default 16). */
  workers?: number;
  /** The EKS patch release Fargate nodes report (kubelet v<minor>.<patch>-eks-…); default 9. */
  kubeletPatch?: number;
  /** Delay before a pod waiting for an IP, a host or a profile is tried again (default 1 s doubling to 60 s). */
  retryDelayMs?: (attempts: number) => number;
  onError?: (error: unknown) => void;
}

export class FargateScheduler {
  readonly queue: WorkQueue;
  readonly hosts = new HostBook();
  private readonly state: SchedulerState;
  private readonly pods: InformerUse;
  private readonly nodes: InformerUse;
  private readonly leases: InformerUse;
  private profileList: ProfileInfo[] = [];
  private subscription?: Subscription;
  private ready = false;
  private readonly onError: (error: unknown) => void;

  constructor(private readonly options: FargateSchedulerOptions) {
    const { client, facts, ipam } = options;
    this.onError = options.onError ?? ((error) => console.error('fargate-scheduler:', error));
    this.queue = new WorkQueue(
      (key) => reconcilePod(this.state, key),
      (_key, error) => this.onError(error),
      { workers: options.workers ?? 16, component: 'fargate-scheduler', object: { apiVersion: 'v1', kind: 'Pod' } },
    );
    const informers = sharedInformers(client);
    this.pods = informers.handle({ apiVersion: 'v1', kind: 'Pod' }, (o, p) => this.podChanged(o, p));
    this.nodes = informers.handle({ apiVersion: 'v1', kind: 'Node' }, (o, n) => this.nodeChanged(o, n));
    this.leases = informers.handle(
      { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: hostLeaseNamespace },
      (o, l) => this.leaseChanged(o, l),
    );
    this.state = {
      client,
      region: facts.region,
      // Read per new node: after a cluster upgrade, new Fargate pods get the new kubelet, running ones keep theirs.
      get kubeletVersion() {
        return eksKubeletVersion(facts.kubernetesVersion, options.kubeletPatch ?? 9);
      },
      ipam,
      hosts: this.hosts,
      events: new PodEvents(client, this.onError),
      bindings: new Bindings(),
      pods: this.pods.cache,
      profiles: () => this.profileList,
      waiting: new Map(),
      retryDelayMs: options.retryDelayMs ?? ((n) => Math.min(1000 * 2 ** (n - 1), 60_000)),
    };
  }

  async start(): Promise<void> {
    const { facts, ipam } = this.options;
    ipam.setSubnets(await facts.subnets());
    await ipam.start();
    this.subscription = await facts.watchProfiles((profiles) => {
      this.profileList = profiles;
      facts.subnets().then((subnets) => ipam.setSubnets(subnets), this.onError);
      this.wakeWaiting();
    });
    await this.nodes.start();
    await this.leases.start();
    await this.pods.start();
    for (const node of this.nodes.cache.values()) ipam.claimNode(node);
    await this.deleteOrphanNodes();
    this.ready = true;
    for (const [key, pod] of this.pods.cache) if (isFargatePod(pod)) this.queue.add(key);
  }

  /** The pod as the scheduler last saw it. */
  cachedPod(key: string): KubeObject | undefined {
    return this.pods.cache.get(key);
  }

  stop(): void {
    this.ready = false;
    this.subscription?.close();
    this.pods.stop();
    this.nodes.stop();
    this.leases.stop();
    this.queue.stop();
    this.options.ipam.stop();
  }

  /** Fargate nodes no pod is bound to: left by a scheduler that stopped between creating a node and binding. */
  private async deleteOrphanNodes(): Promise<void> {
    for (const node of [...this.nodes.cache.values()]) {
      const name = node.metadata.name!;
      if (!isFargateNode(node) || this.state.bindings.owns(name)) continue;
      await deleteNode(this.state, `orphan/${name}`, name).catch(this.onError);
    }
  }

  private podChanged(old: KubeObject | undefined, pod: KubeObject | undefined): void {
    const current = pod ?? old!;
    if (!isFargatePod(current)) return;
    const key = keyOf(current);
    const nodeName: string | undefined = pod?.spec?.nodeName;
    const binding = this.state.bindings.get(key);
    if (pod && nodeName && ipFromNodeName(nodeName) && (!binding || binding.uid === pod.metadata.uid)) {
      this.state.bindings.set(key, pod.metadata.uid!, nodeName);
    }
    if (this.ready) this.queue.add(key);
  }

  private nodeChanged(old: KubeObject | undefined, node: KubeObject | undefined): void {
    this.hosts.nodeChanged(old, node);
    if (!this.ready || node || !old) return;
    // A Fargate node deleted by someone else: its IP is free unless a pod still holds the node.
    const ip = ipFromNodeName(old.metadata.name!);
    if (isFargateNode(old) && ip && !this.state.bindings.owns(old.metadata.name!))
      this.options.ipam.release(ip).catch(this.onError);
    this.wakeWaiting();
  }

  private leaseChanged(old: KubeObject | undefined, lease: KubeObject | undefined): void {
    this.hosts.leaseChanged(old, lease);
    if (!this.ready || !lease) return;
    const now = Date.now();
    const capacityChanged =
      old?.metadata.annotations?.[hostCapacityAnnotation] !== lease.metadata.annotations?.[hostCapacityAnnotation];
    if (!old || capacityChanged || !leaseIsLive(old, now)) this.wakeWaiting();
  }

  private wakeWaiting(): void {
    if (!this.ready) return;
    for (const key of this.state.waiting.keys()) this.queue.add(key);
  }
}
