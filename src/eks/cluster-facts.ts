// The store-backed ClusterFacts: the cluster's VPC subnets, Fargate profiles and node groups as the EKS API keeps
// them under /eks/, re-read and handed to subscribers whenever a record under their prefix changes.
import type {
  AddonInfo,
  AddonReport,
  ClusterFacts,
  NodegroupInfo,
  NodegroupUpdateOutcome,
  ProfileInfo,
  SubnetInfo,
  Subscription,
} from '../cloud/facts.js';
import type { Backend } from '../store/types.js';
import { addonKeys } from './addons/read.js';
import { addonInfos, reportAddon } from './addons/settle.js';
import { nodegroupUpdateInfo } from './nodegroups/facts.js';
import { settleNodegroupUpdate } from './nodegroups/updating.js';
import { keys, type Nodegroup, type StoredNodegroup, type StoredProfile, type Taint } from './records.js';
import { clusterVpc, isPublicSubnet } from './vpc.js';

const taintEffects: Record<Taint['effect'], NodegroupInfo['taints'][number]['effect']> = {
  NO_SCHEDULE: 'NoSchedule',
  NO_EXECUTE: 'NoExecute',
  PREFER_NO_SCHEDULE: 'PreferNoSchedule',
};

function nodegroupInfo(ng: Nodegroup, stored?: StoredNodegroup): NodegroupInfo {
  return {
    name: ng.nodegroupName,
    status: ng.status,
    desiredSize: ng.scalingConfig.desiredSize,
    minSize: ng.scalingConfig.minSize,
    maxSize: ng.scalingConfig.maxSize,
    instanceTypes: ng.instanceTypes,
    subnets: ng.subnets,
    capacityType: ng.capacityType,
    amiType: ng.amiType,
    labels: ng.labels,
    taints: ng.taints.map((t) => ({ key: t.key, value: t.value, effect: taintEffects[t.effect] })),
    releaseVersion: ng.releaseVersion,
    version: ng.version,
    update: stored && nodegroupUpdateInfo(stored),
  };
}

export class StoreClusterFacts implements ClusterFacts {
  constructor(
    private store: Backend,
    readonly clusterName: string,
    readonly region: string,
    /** Set again when an UpdateClusterVersion completes (src/cli follows the cluster record). */
    public kubernetesVersion: string,
  ) {}

  async subnets(): Promise<SubnetInfo[]> {
    const vpc = await clusterVpc(this.store, this.clusterName);
    if (!vpc) return [];
    return vpc.subnets.map((s) => ({
      subnetId: s.subnetId,
      cidrBlock: s.cidrBlock,
      availabilityZone: s.availabilityZone,
      public: isPublicSubnet(vpc, s),
    }));
  }

  async profiles(): Promise<ProfileInfo[]> {
    const { items } = await this.store.list(keys.profiles(this.clusterName));
    return items.map((kv) => {
      const { profile } = JSON.parse(kv.value) as StoredProfile;
      return {
        name: profile.fargateProfileName,
        status: profile.status,
        selectors: profile.selectors,
        subnets: profile.subnets,
        podExecutionRoleArn: profile.podExecutionRoleArn,
      };
    });
  }

  async nodegroups(): Promise<NodegroupInfo[]> {
    const { items } = await this.store.list(keys.nodegroups(this.clusterName));
    return items.map((kv) => {
      const stored = JSON.parse(kv.value) as StoredNodegroup;
      return nodegroupInfo(stored.nodegroup, stored);
    });
  }

  watchProfiles(onChange: (profiles: ProfileInfo[]) => void): Promise<Subscription> {
    return this.follow(keys.profiles(this.clusterName), () => this.profiles(), onChange);
  }

  watchNodegroups(onChange: (nodegroups: NodegroupInfo[]) => void): Promise<Subscription> {
    return this.follow(keys.nodegroups(this.clusterName), () => this.nodegroups(), onChange);
  }

  settleNodegroupUpdate(name: string, updateId: string, outcome: NodegroupUpdateOutcome): Promise<void> {
    return settleNodegroupUpdate(this.store, this.clusterName, name, updateId, outcome, Date.now());
  }

  watchAddons(onChange: (addons: AddonInfo[]) => void): Promise<Subscription> {
    return this.follow(addonKeys.addons(this.clusterName), () => addonInfos(this.store, this.clusterName), onChange);
  }

  reportAddon(name: string, report: AddonReport): Promise<void> {
    return reportAddon(this.store, this.clusterName, name, report, Date.now());
  }

  /** Reads the list, then re-reads it after each change under `prefix`; reads are serialised so lists arrive in order. */
  private async follow<T>(prefix: string, read: () => Promise<T[]>, onChange: (items: T[]) => void) {
    let chain = Promise.resolve();
    let closed = false;
    const refresh = () => {
      chain = chain.then(async () => {
        const items = await read().catch(() => undefined);
        if (items && !closed) onChange(items);
      });
    };
    const { revision } = await this.store.list(prefix, { limit: 1 });
    const watch = await this.store.watch(prefix, { afterRevision: revision }, refresh);
    refresh();
    await chain;
    return {
      close: () => {
        closed = true;
        watch.close();
      },
    };
  }
}
