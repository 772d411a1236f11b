// The VPC's addresses as store records, shared by the fargate-scheduler and the node-group controller of any number
// of processes: each claimed IP is an IPAddress object (networking.k8s.io, named by the IP, its parentRef the Node
// that holds it) created atomically through the kube API — a second claim fails with AlreadyExists — and deleted
// when released. VpcIpam mirrors every record (the shared IPAddress informer) to pick free addresses fast. A claim
// whose Node never came (a process killed between the two writes) is repaired: deleted once it is older than a grace
// period, at start and then periodically, as kube-apiserver's repair loops free leaked cluster IPs.
import { type InformerUse, sharedInformers } from '../../client/factory.js';
import type { SubnetInfo } from '../../cloud/facts.js';
import type { AllocationResult } from '../../fargate/ipam.js';
import { ignoreNotFound, isConflict } from '../../kube/api/errors.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { nodeIps, VpcIpam } from './vpc-ipam.js';

export const ipAddressRef = { apiVersion: 'networking.k8s.io/v1beta1', kind: 'IPAddress' };
const nodeRef = { apiVersion: 'v1', kind: 'Node' };
export const managedByLabel = 'ipaddress.kubernetes.io/managed-by';
export const vpcIpamManager = 'vpc-ipam.skiff.io';

export interface VpcAddressesOptions {
  /** How old a claim without its Node must be before it is freed (default 10 s). */
  repairGraceMs?: number;
  /** How often leaked claims are looked for (default 10 s). */
  repairIntervalMs?: number;
  onError?: (error: unknown) => void;
  /** The VPC's address book when several clusters share the VPC in one process (each claims in its own API). */
  ipam?: VpcIpam;
}

/** The IPAddress object that claims `ip` for the Node `parent`. */
export function ipAddressObject(ip: string, parent: string): KubeObject {
  return {
    apiVersion: ipAddressRef.apiVersion,
    kind: ipAddressRef.kind,
    metadata: { name: ip, labels: { [managedByLabel]: vpcIpamManager, 'ipaddress.kubernetes.io/ip-family': 'IPv4' } },
    spec: { parentRef: { group: '', resource: 'nodes', name: parent } },
  };
}

const parentOf = (claim: KubeObject): string | undefined => claim.spec?.parentRef?.name;
const isVpcClaim = (claim: KubeObject) => claim.metadata.labels?.[managedByLabel] === vpcIpamManager;

export class VpcAddresses {
  private readonly ipam: VpcIpam;
  private readonly claims: InformerUse;
  private readonly nodes: InformerUse;
  private readonly onError: (error: unknown) => void;
  private readonly graceMs: number;
  private readonly intervalMs: number;
  private users = 0;
  private started?: Promise<void>;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly client: KubeClient,
    subnets: SubnetInfo[],
    options: VpcAddressesOptions = {},
  ) {
    this.ipam = options.ipam ?? new VpcIpam(subnets);
    this.onError = options.onError ?? ((error) => console.error('vpc-ipam:', error));
    this.graceMs = options.repairGraceMs ?? 10_000;
    this.intervalMs = options.repairIntervalMs ?? 10_000;
    const informers = sharedInformers(client);
    this.claims = informers.handle(ipAddressRef, (old, claim) => {
      if (claim && isVpcClaim(claim)) this.ipam.claim(claim.metadata.name!);
      else if (old && !claim && isVpcClaim(old)) this.ipam.release(old.metadata.name!);
    });
    this.nodes = informers.handle(nodeRef, () => {});
  }

  /** Syncs the claims and Nodes, records any Node address that has no claim yet, then repairs leaks. */
  start(): Promise<void> {
    this.users++;
    this.started ??= this.run();
    return this.started;
  }

  stop(): void {
    if (--this.users > 0) return;
    this.users = 0;
    clearInterval(this.timer);
    this.started = undefined;
    this.claims.stop();
    this.nodes.stop();
  }

  setSubnets(subnets: SubnetInfo[]): void {
    this.ipam.setSubnets(subnets);
  }

  /** Takes the Node's addresses, recording a claim for any that has none. */
  claimNode(node: KubeObject): void {
    for (const ip of nodeIps(node)) {
      this.ipam.claim(ip);
      if (!this.claims.cache.has(ip)) this.record(ip, node.metadata.name!).catch(this.onError);
    }
  }

  /** One free address from one of `subnetIds`, claimed in the store for the Node `parent(ip)` will name. */
  async allocate(subnetIds: string[], parent: (ip: string) => string): Promise<AllocationResult> {
    for (;;) {
      const result = this.ipam.allocate(subnetIds);
      if ('reason' in result) return result;
      try {
        if (await this.record(result.ip, parent(result.ip))) return result;
      } catch (error) {
        this.ipam.release(result.ip);
        throw error;
      }
      // Another process holds it: it stays claimed here too (its record's event says so as well).
    }
  }

  /** Frees the address: its claim is deleted, and it can be handed out again. */
  async release(ip: string): Promise<void> {
    await this.client.delete(ipAddressRef, ip).catch(ignoreNotFound);
    this.ipam.release(ip);
  }

  isClaimed(ip: string): boolean {
    return this.ipam.isClaimed(ip);
  }

  free(subnetId: string): number {
    return this.ipam.free(subnetId);
  }

  /**
   * Records a claim for every Node address without one, and frees claims whose Node is gone and that are older
   * than the grace period (so none is in flight any more).
   */
  async repair(now = Date.now()): Promise<string[]> {
    for (const node of this.nodes.cache.values()) this.claimNode(node);
    const freed: string[] = [];
    for (const claim of [...this.claims.cache.values()]) {
      if (!isVpcClaim(claim)) continue;
      const parent = parentOf(claim);
      if (parent && this.nodes.cache.has(parent)) continue;
      if (now - Date.parse(claim.metadata.creationTimestamp ?? '') < this.graceMs) continue;
      const { name, uid } = claim.metadata;
      try {
        await this.client.delete(ipAddressRef, name!, { preconditions: { uid } });
        this.ipam.release(name!);
        freed.push(name!);
      } catch (error) {
        if (!isConflict(error)) ignoreNotFound(error);
      }
    }
    return freed;
  }

  private async run(): Promise<void> {
    await this.claims.start();
    await this.nodes.start();
    await this.repair();
    this.timer = setInterval(() => this.repair().catch(this.onError), this.intervalMs);
    this.timer.unref();
  }

  /** Creates the claim; false when another already holds the address. */
  private async record(ip: string, parent: string): Promise<boolean> {
    try {
      await this.client.create(ipAddressObject(ip, parent));
      return true;
    } catch (error) {
      if (isConflict(error)) return false;
      throw error;
    }
  }
}
