// The node-group controller: follows the EKS side's node groups through ClusterFacts, Nodes and host-agent Leases
// through informers, and reconciles each node group by name; it claims existing nodes' IPs at start and releases a
// node's IPs when its Node is gone.

import { Controller } from '../../client/controller.js';
import type { Informer } from '../../client/informer.js';
import type { ClusterFacts, NodegroupInfo, Subscription } from '../../cloud/facts.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import type { VpcAddresses } from '../../scheduler/ipam/vpc-addresses.js';
import { nodeIps } from '../../scheduler/ipam/vpc-ipam.js';
import { hostLeaseNamespace } from './hosts.js';
import { nodegroupLabel } from './node.js';
import { type NodegroupContext, reconcileNodegroup } from './reconcile.js';

export interface NodegroupControllerOptions {
  client: KubeClient;
  facts: ClusterFacts;
  ipam: VpcAddresses;
  onError?: (error: unknown) => void;
  now?: () => number;
}

const groupOf = (node: KubeObject | undefined) => node?.metadata.labels?.[nodegroupLabel];

export class NodegroupController extends Controller {
  private readonly nodes: Informer;
  private readonly leases: Informer;
  private readonly nodegroups = new Map<string, NodegroupInfo>();
  private readonly justCreated = new Map<string, KubeObject>();
  private readonly justDeleted = new Set<string>();
  private readonly draining = new Map<string, number>();
  private readonly reasons = new Map<string, string>();
  private readonly reconcileContext: NodegroupContext;
  private subscription?: Subscription;
  private synced = false;

  constructor(private readonly options: NodegroupControllerOptions) {
    super(options.client, 'node-group controller', { onError: options.onError, workers: 1 });
    this.reconcileContext = this.context();
    this.nodes = this.watch({ apiVersion: 'v1', kind: 'Node' }, (old, node) => this.nodeChanged(old, node));
    this.leases = this.watch(
      { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: hostLeaseNamespace },
      () => this.allNodegroups(),
    );
  }

  override async start(): Promise<void> {
    await this.options.ipam.start();
    await super.start();
    this.subscription = await this.options.facts.watchNodegroups((list) => {
      this.nodegroups.clear();
      for (const ng of list) this.nodegroups.set(ng.name, ng);
      this.synced = true;
      for (const name of this.allNodegroups()) this.queue.add(name);
    });
  }

  override stop(): void {
    this.subscription?.close();
    super.stop();
    this.options.ipam.stop();
  }

  /** Nothing is decided before the first list of node groups: until then every group would look gone. */
  protected override async reconcile(name: string) {
    return this.synced ? reconcileNodegroup(this.reconcileContext, name) : {};
  }

  private allNodegroups(): Set<string> {
    const names = new Set(this.nodegroups.keys());
    for (const node of this.nodes.cache.values()) {
      const group = groupOf(node);
      if (group) names.add(group);
    }
    return names;
  }

  private nodeChanged(old: KubeObject | undefined, node: KubeObject | undefined): string[] {
    if (node) {
      this.options.ipam.claimNode(node);
      this.justCreated.delete(node.metadata.name!);
    } else if (old) {
      const name = old.metadata.name!;
      this.justDeleted.delete(name);
      this.draining.delete(name);
      if (groupOf(old)) for (const ip of nodeIps(old)) this.options.ipam.release(ip).catch(this.onError);
    }
    const group = groupOf(node ?? old);
    return group ? [group] : [];
  }

  private context(): NodegroupContext {
    const { client, ipam, facts } = this.options;
    const now = this.options.now ?? Date.now;
    return {
      client,
      ipam,
      clusterName: facts.clusterName,
      region: facts.region,
      kubernetesVersion: facts.kubernetesVersion,
      now,
      leases: () => [...this.leases.cache.values()],
      allNodes: () => [...this.nodes.cache.values(), ...this.justCreated.values()],
      nodegroup: (name) => this.nodegroups.get(name),
      nodesOf: (name) => {
        const nodes = new Map<string, KubeObject>();
        for (const node of [...this.nodes.cache.values(), ...this.justCreated.values()]) {
          if (groupOf(node) === name && !this.justDeleted.has(node.metadata.name!))
            nodes.set(node.metadata.name!, node);
        }
        return [...nodes.values()];
      },
      draining: this.draining,
      created: (node) => {
        if (!this.nodes.cache.has(node.metadata.name!)) this.justCreated.set(node.metadata.name!, node);
      },
      deleted: (name) => {
        if (this.nodes.cache.has(name)) this.justDeleted.add(name);
        this.justCreated.delete(name);
        this.draining.delete(name);
      },
      settle: (name, updateId, outcome) => facts.settleNodegroupUpdate(name, updateId, outcome),
      waiting: (name, reason) => {
        if (reason === undefined) this.reasons.delete(name);
        else if (this.reasons.get(name) !== reason) {
          this.reasons.set(name, reason);
          this.onError(new Error(reason));
        }
      },
    };
  }
}
