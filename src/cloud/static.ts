// An in-memory ClusterFacts whose profiles, node groups and subnets are set by the caller: what component tests
// use, and what a Skiff pointed at a cluster without an EKS API would use.
import type {
  AddonInfo,
  AddonReport,
  ClusterFacts,
  NodegroupInfo,
  NodegroupUpdateOutcome,
  ProfileInfo,
  SubnetInfo,
  Subscription,
} from './facts.js';

export function defaultSubnets(region: string): SubnetInfo[] {
  const zone = (i: number) => `${region}${'ab'[i]}`;
  return [
    { subnetId: 'subnet-0public0a', cidrBlock: '10.0.0.0/18', availabilityZone: zone(0), public: true },
    { subnetId: 'subnet-0public0b', cidrBlock: '10.0.64.0/18', availabilityZone: zone(1), public: true },
    { subnetId: 'subnet-0private0a', cidrBlock: '10.0.128.0/18', availabilityZone: zone(0), public: false },
    { subnetId: 'subnet-0private0b', cidrBlock: '10.0.192.0/18', availabilityZone: zone(1), public: false },
  ];
}

type Listener<T> = (items: T[]) => void;

export class StaticClusterFacts implements ClusterFacts {
  private profileList: ProfileInfo[] = [];
  private nodegroupList: NodegroupInfo[] = [];
  private profileListeners = new Set<Listener<ProfileInfo>>();
  private nodegroupListeners = new Set<Listener<NodegroupInfo>>();

  constructor(
    readonly clusterName = 'skiff',
    readonly region = 'ap-northeast-2',
    readonly kubernetesVersion = '1.32',
    private subnetList: SubnetInfo[] = defaultSubnets(region),
  ) {}

  async subnets() {
    return this.subnetList;
  }
  async profiles() {
    return this.profileList;
  }
  async nodegroups() {
    return this.nodegroupList;
  }

  setProfiles(profiles: ProfileInfo[]): void {
    this.profileList = profiles;
    for (const listener of this.profileListeners) listener(profiles);
  }

  setNodegroups(nodegroups: NodegroupInfo[]): void {
    this.nodegroupList = nodegroups;
    for (const listener of this.nodegroupListeners) listener(nodegroups);
  }

  async watchProfiles(onChange: Listener<ProfileInfo>): Promise<Subscription> {
    return subscribe(this.profileListeners, onChange, this.profileList);
  }

  async watchNodegroups(onChange: Listener<NodegroupInfo>): Promise<Subscription> {
    return subscribe(this.nodegroupListeners, onChange, this.nodegroupList);
  }

  private addonList: AddonInfo[] = [];
  private addonListeners = new Set<Listener<AddonInfo>>();
  /** Add-on reports, in order. */
  readonly addonReports: { name: string; report: AddonReport }[] = [];

  setAddons(addons: AddonInfo[]): void {
    this.addonList = addons;
    for (const listener of this.addonListeners) listener(addons);
  }

  async watchAddons(onChange: Listener<AddonInfo>): Promise<Subscription> {
    return subscribe(this.addonListeners, onChange, this.addonList);
  }

  /** Records the report; one that settles the current intent clears it (and a DELETED one drops the add-on). */
  async reportAddon(name: string, report: AddonReport): Promise<void> {
    this.addonReports.push({ name, report });
    const addon = this.addonList.find((a) => a.name === name);
    if (report.generation === undefined || addon?.intent?.generation !== report.generation) return;
    this.setAddons(
      report.status === 'DELETED'
        ? this.addonList.filter((a) => a.name !== name)
        : this.addonList.map((a) => (a.name === name ? { ...a, intent: undefined, status: report.status } : a)),
    );
  }

  /** Settled updates, in order; the group drops its update and, if UPDATING, becomes ACTIVE. */
  readonly settled: { name: string; updateId: string; outcome: NodegroupUpdateOutcome }[] = [];

  async settleNodegroupUpdate(name: string, updateId: string, outcome: NodegroupUpdateOutcome): Promise<void> {
    const group = this.nodegroupList.find((g) => g.name === name);
    if (group?.update?.id !== updateId) return;
    this.settled.push({ name, updateId, outcome });
    this.setNodegroups(
      this.nodegroupList.map((g) =>
        g.name === name ? { ...g, update: undefined, status: g.status === 'UPDATING' ? 'ACTIVE' : g.status } : g,
      ),
    );
  }
}

function subscribe<T>(listeners: Set<Listener<T>>, onChange: Listener<T>, current: T[]): Subscription {
  listeners.add(onChange);
  onChange(current);
  return { close: () => listeners.delete(onChange) };
}
