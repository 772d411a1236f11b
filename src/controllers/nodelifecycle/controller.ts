// kube-controller-manager's node lifecycle controller, with the taint manager (taint-eviction-controller), pod GC of
// orphans and the cloud node lifecycle's deletion of Fargate nodes whose host is gone. It watches Nodes, node
// Leases, host agents' Leases and Pods from the shared informers, all keyed by node name, and reconciles one node at
// a time (reconcile.ts); each reconcile says when it next needs to look (a grace period running out, a toleration
// expiring) and the controller wakes the node then. The clock and every period can be set (tests, `skiff up`).
import { Controller, type ControllerOptions, type KeysOf } from '../../client/controller.js';
import type { Lister } from '../../client/lister.js';
import type { KubeClient } from '../../kube/client/types.js';
import { hostAgentLabel, hostLeaseNamespace, hostOfLease } from '../../scheduler/hosts/lease.js';
import { defaultGracePeriods, type GracePeriods, readyCondition } from './health.js';
import { hostOfNode, observeHost } from './hosts.js';
import { orphanQuarantineMs } from './orphans.js';
import { type NodeLifecycleContext, nodeLeaseNamespace, reconcileNode } from './reconcile.js';
import { defaultZoneSettings, ZoneCounts, ZoneLimiter, type ZoneSettings } from './zones.js';

export interface NodeLifecycleOptions extends ControllerOptions {
  now?: () => Date;
  grace?: Partial<GracePeriods>;
  zones?: Partial<ZoneSettings>;
  orphanQuarantineMs?: number;
  monitorPeriodMs?: number;
}

/** The node informer's index of nodes by the host that runs them. */
const hostIndex = 'skiff.io/host';

const isReady = (nodes: Lister, name: string): boolean => {
  const node = nodes.get(undefined, name);
  return node !== undefined && readyCondition(node)?.status === 'True';
};

/** The settings given, unset ones left to kube's defaults. */
const defined = <T extends object>(given: T | undefined): Partial<T> =>
  Object.fromEntries(Object.entries(given ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;

const podNodes: KeysOf = (old, current) => [
  ...new Set([old?.spec?.nodeName, current?.spec?.nodeName].filter((n): n is string => !!n)),
];

export class NodeLifecycleController extends Controller {
  private readonly context: NodeLifecycleContext;
  private readonly wakeups = new Map<string, { at: number; timer: NodeJS.Timeout }>();

  constructor(client: KubeClient, options: NodeLifecycleOptions = {}) {
    super(client, 'node lifecycle controller', options, 2);
    const zones = new ZoneCounts();
    const nodes = this.watch({ apiVersion: 'v1', kind: 'Node' }, (old, current) => {
      zones.observe(old, current);
      return [(current ?? old)!.metadata.name!];
    });
    nodes.cache.addIndex(hostIndex, (node) => {
      const host = hostOfNode(node);
      return host ? [host] : [];
    });
    // A renewal of a Ready node's Lease changes nothing until its grace deadline, where the node is woken anyway
    // (reconcile.ts): only a Lease that comes or goes, or renews a node that is not Ready, queues it — so 10,000
    // healthy nodes renewing every 10 s cost no reconciles.
    const leases = this.watch(
      { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: nodeLeaseNamespace },
      (old, current) => {
        const name = (current ?? old)!.metadata.name!;
        return old && current && isReady(nodes.lister, name) ? [] : [name];
      },
    );
    // A host agent's renewal is observed as it arrives (hosts.ts), and matters only to its nodes that are not Ready
    // (whether their host is gone): all of the host's nodes are queued when its Lease comes or goes, only those on a
    // renewal.
    const hostLeases = this.watch(
      { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: hostLeaseNamespace },
      (old, current) => {
        const host = hostOfLease((current ?? old)!);
        const { hosts } = this.context.state;
        hosts.set(host, observeHost(hosts.get(host), current, this.context.now().getTime()));
        const all = [...nodes.cache.keysFor(hostIndex, host)];
        return old && current ? all.filter((name) => !isReady(nodes.lister, name)) : all;
      },
      { labelSelector: `${hostAgentLabel.key}=${hostAgentLabel.value}` },
    );
    const pods = this.watch({ apiVersion: 'v1', kind: 'Pod' }, podNodes);
    this.context = {
      client,
      nodes: nodes.lister,
      zones,
      leases: leases.lister,
      hostLeases: hostLeases.lister,
      pods: pods.lister,
      now: options.now ?? (() => new Date()),
      settings: {
        grace: { ...defaultGracePeriods, ...defined(options.grace) },
        zones: { ...defaultZoneSettings, ...defined(options.zones) },
        orphanQuarantineMs: options.orphanQuarantineMs ?? orphanQuarantineMs,
        monitorPeriodMs: options.monitorPeriodMs ?? 5000,
      },
      state: {
        health: new Map(),
        hosts: new Map(),
        known: new Map(),
        orphansSeen: new Map(),
        limiter: new ZoneLimiter(),
      },
    };
  }

  /** Looks at every node now (tests move their clock, then call this). */
  resync(): void {
    for (const node of this.context.nodes.list()) this.queue.add(node.metadata.name!);
  }

  override stop(): void {
    for (const { timer } of this.wakeups.values()) clearTimeout(timer);
    this.wakeups.clear();
    super.stop();
  }

  protected override async reconcile(name: string) {
    const next = await reconcileNode(this.context, name);
    if (next !== undefined) this.wake(name, next);
    return undefined;
  }

  /** Queues the node at `at` (its clock's epoch ms), unless an earlier wake-up is already set. */
  private wake(name: string, at: number): void {
    const set = this.wakeups.get(name);
    if (set && set.at <= at) return;
    if (set) clearTimeout(set.timer);
    const timer = setTimeout(
      () => {
        this.wakeups.delete(name);
        this.queue.add(name);
      },
      Math.max(0, at - this.context.now().getTime()),
    );
    timer.unref?.();
    this.wakeups.set(name, { at, timer });
  }
}
