// What the cluster's cloud side (the EKS API: VPC, Fargate profiles, node groups) tells the kube-side components:
// the Fargate admission, fargate-scheduler, the node-group controller. They read it through this interface only,
// so they never import the EKS API; src/cli wires the store-backed implementation (src/eks/cluster-facts.ts).
import type { FargateSelector, ProfileStatus } from '../fargate/profile-validation.js';

export interface SubnetInfo {
  subnetId: string;
  cidrBlock: string;
  availabilityZone: string;
  public: boolean;
}

export interface ProfileInfo {
  name: string;
  status: ProfileStatus;
  selectors: FargateSelector[];
  subnets: string[];
  podExecutionRoleArn: string;
}

export type NodegroupStatus =
  | 'CREATING'
  | 'ACTIVE'
  | 'UPDATING'
  | 'DELETING'
  | 'CREATE_FAILED'
  | 'DELETE_FAILED'
  | 'DEGRADED';

/** The update a node group is UPDATING for: the controller settles it once the Nodes have followed. */
export interface NodegroupUpdateInfo {
  id: string;
  type: 'ConfigUpdate' | 'VersionUpdate';
  /** VersionUpdate: nodes at most this many at a time are replaced. */
  maxUnavailable: number;
  /** VersionUpdate: replace nodes even when a disruption budget blocks eviction. */
  force: boolean;
}

export interface NodegroupUpdateOutcome {
  status: 'Successful' | 'Failed';
  errors?: { errorCode: string; errorMessage: string; resourceIds: string[] }[];
}

export interface NodegroupInfo {
  name: string;
  status: NodegroupStatus;
  desiredSize: number;
  /** The scaling bounds desiredSize must lie within (absent: not checked). */
  minSize?: number;
  maxSize?: number;
  instanceTypes: string[];
  subnets: string[];
  capacityType: string;
  amiType: string;
  /** Kubernetes labels the node group puts on its nodes. */
  labels: Record<string, string>;
  /** Kubernetes-form taints (effect NoSchedule | NoExecute | PreferNoSchedule). */
  taints: { key: string; value?: string; effect: 'NoSchedule' | 'NoExecute' | 'PreferNoSchedule' }[];
  /** The AMI release version, e.g. "1.32.9-20251120". */
  releaseVersion: string;
  /** The group's Kubernetes minor (its kubelets' version); the cluster's when absent. */
  version?: string;
  update?: NodegroupUpdateInfo;
}

/** An EKS add-on as the add-on manager sees it: what to apply (or remove) and how. */
export interface AddonInfo {
  name: string;
  status: string;
  version: string;
  /** The data/addons manifest of its objects. */
  manifest: string;
  /** The workload whose readiness is its health. */
  workload?: { kind: 'Deployment' | 'DaemonSet'; name: string };
  /** Image tag by repository (after the registry) of its version. */
  images: Record<string, string>;
  configurationValues?: string;
  /** What is asked and not yet done: `generation` identifies it in the report. */
  intent?: {
    action: 'apply' | 'remove';
    resolveConflicts: 'OVERWRITE' | 'NONE' | 'PRESERVE';
    preserve?: boolean;
    generation: number;
  };
}

export interface AddonIssueInfo {
  code: string;
  message: string;
  resourceIds: string[];
}

/** What the add-on manager reports: the outcome of intent `generation`, or (without it) the health it observes. */
export interface AddonReport {
  generation?: number;
  status: 'ACTIVE' | 'DEGRADED' | 'CREATE_FAILED' | 'UPDATE_FAILED' | 'DELETE_FAILED' | 'DELETED';
  issues: AddonIssueInfo[];
}

export interface Subscription {
  close(): void;
}

export interface ClusterFacts {
  readonly clusterName: string;
  readonly region: string;
  /** Kubernetes minor version, e.g. "1.32". */
  readonly kubernetesVersion: string;
  subnets(): Promise<SubnetInfo[]>;
  profiles(): Promise<ProfileInfo[]>;
  nodegroups(): Promise<NodegroupInfo[]>;
  /** Calls `onChange` with the full list now, then after every change, until closed. */
  watchProfiles(onChange: (profiles: ProfileInfo[]) => void): Promise<Subscription>;
  /** Calls `onChange` with the full list now, then after every change, until closed. */
  watchNodegroups(onChange: (nodegroups: NodegroupInfo[]) => void): Promise<Subscription>;
  /** Ends a node group's update (the EKS API's record of it) once the Nodes have followed, or could not. */
  settleNodegroupUpdate(name: string, updateId: string, outcome: NodegroupUpdateOutcome): Promise<void>;
  /** Calls `onChange` with the cluster's EKS add-ons now, then after every change, until closed. */
  watchAddons(onChange: (addons: AddonInfo[]) => void): Promise<Subscription>;
  reportAddon(name: string, report: AddonReport): Promise<void>;
}
