// The service proxy, kube-proxy's job for the VPC: watches one cluster's Services, EndpointSlices, Pods and Nodes;
// every change queues one key, whose reconcile hands what the rules are made from to the VPC's ruleset
// (vpc-rules.ts), which renders every cluster's rules (render.ts) and, when they differ from what was last applied,
// loads them into the VPC namespace (apply.ts). The queue runs one worker and the ruleset one load at a time, so
// applies never overlap and a burst of changes collapses into one apply. Several clusters in one VPC (CreateCluster)
// share one VpcRules, each proxy under its cluster's name.

import { nodeViewOf } from '../../agent/nodes.js';
import { Controller, type ControllerOptions, type KeysOf } from '../../client/controller.js';
import type { Informer } from '../../client/informer.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { clearUdpFlows, prepareNetwork } from './apply.js';
import type { ProxyInput } from './render.js';
import { staleFlows, type UdpEndpoints, udpEndpoints } from './stale-udp.js';
import { firstCluster, VpcRules } from './vpc-rules.js';

export interface ProxyNetwork {
  /** The VPC's network namespace (`ip netns` name). */
  netns: string;
  /** The VPC CIDR. */
  cidr: string;
  /** The VPC's end of the host link (device and address) and the link's /30, when there is one. */
  hostLink?: { device: string; address: string; cidr: string };
  /** The Service CIDR, routed from the host into the VPC (as an EKS node reaches ClusterIPs). */
  serviceCidr?: string;
}

export interface ServiceProxyOptions extends ControllerOptions {
  /** Loads a ruleset; by default iptables-restore in the namespace. */
  apply?: (netns: string, rules: string) => Promise<void>;
  /** Prepares the namespace once before the first apply. */
  prepare?: (network: ProxyNetwork) => Promise<void>;
  /** Deletes conntrack's UDP flows that match `conntrack -D -p udp <args>`; by default conntrack in the namespace. */
  clearFlows?: (netns: string, args: string[]) => Promise<void>;
  /** The VPC's ruleset shared with other clusters' proxies (by default one of its own, with `apply`). */
  rules?: VpcRules;
  /** This proxy's cluster among them (by default the first: `skiff up`'s own). */
  cluster?: string;
}

const rulesKey = 'rules';
const everything: KeysOf = () => [rulesKey];

export class ServiceProxy extends Controller {
  private readonly services: Informer;
  private readonly slices: Informer;
  private readonly pods: Informer;
  private readonly nodes: Informer;
  private readonly rules: VpcRules;
  private readonly cluster: string;
  private readonly prepare: (network: ProxyNetwork) => Promise<void>;
  private synced = false;
  private udp: UdpEndpoints = new Map();
  private readonly clearFlows: (netns: string, args: string[]) => Promise<void>;

  constructor(
    client: KubeClient,
    private readonly network: ProxyNetwork,
    options: ServiceProxyOptions = {},
  ) {
    super(client, 'service proxy', options, 1);
    this.rules = options.rules ?? new VpcRules(network.netns, options.apply);
    this.cluster = options.cluster ?? firstCluster;
    this.prepare = options.prepare ?? prepareNetwork;
    this.clearFlows = options.clearFlows ?? clearUdpFlows;
    this.services = this.watch({ apiVersion: 'v1', kind: 'Service' }, everything);
    this.slices = this.watch({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice' }, everything);
    this.pods = this.watch({ apiVersion: 'v1', kind: 'Pod' }, podChanges);
    this.nodes = this.watch({ apiVersion: 'v1', kind: 'Node' }, everything);
  }

  override async start(): Promise<void> {
    await this.prepare(this.network);
    await super.start();
    this.synced = true;
    this.queue.add(rulesKey);
  }

  /** What the rules are made from, off the informers' caches. */
  input(): ProxyInput {
    return {
      services: [...this.services.cache.values()],
      slices: [...this.slices.cache.values()],
      pods: [...this.pods.cache.values()].flatMap(clientPod),
      nodes: [...this.nodes.cache.values()].map(nodeViewOf).flatMap((n) =>
        // EKS serves no NodePort on Fargate nodes.
        n.fargate || !n.internalIP ? [] : [{ name: n.name, ip: n.internalIP }],
      ),
      vpcCidr: this.network.cidr,
      ...(this.network.hostLink
        ? { hostLink: { device: this.network.hostLink.device, cidr: this.network.hostLink.cidr } }
        : {}),
    };
  }

  /** Stops watching; this cluster's rules leave the VPC's ruleset. */
  override stop(): void {
    super.stop();
    this.rules.remove(this.cluster).catch((error) => this.onError(error));
  }

  protected override async reconcile(): Promise<undefined> {
    if (!this.synced) return;
    const input = this.input();
    await this.rules.update(this.cluster, input);
    const udp = udpEndpoints(input.services, input.slices);
    for (const args of staleFlows(this.udp, udp)) await this.clearFlows(this.network.netns, args);
    this.udp = udp;
  }
}

/** A pod in the VPC, as a client the traffic policies tell apart: its IP and node. */
function clientPod(pod: KubeObject): { ip: string; nodeName: string }[] {
  const ip = pod.status?.podIP;
  const nodeName = pod.spec?.nodeName;
  const done = ['Succeeded', 'Failed'].includes(pod.status?.phase);
  return ip && nodeName && !pod.spec?.hostNetwork && !done ? [{ ip, nodeName }] : [];
}

/** Pods matter to the rules only through their IP, node and whether they still run. */
const podChanges: KeysOf = (old, current) => {
  const view = (pod?: KubeObject) => JSON.stringify(pod ? clientPod(pod) : []);
  return view(old) === view(current) ? [] : [rulesKey];
};
