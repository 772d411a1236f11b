// The records the EKS API keeps in the store, and where: every key lives below `/eks/`.
import type { FargateSelector, ProfileStatus } from '../fargate/profile-validation.js';

export const keys = {
  cluster: (name: string) => `/eks/clusters/${name}`,
  clusters: () => '/eks/clusters/',
  vpc: (vpcId: string) => `/eks/vpcs/${vpcId}`,
  profile: (cluster: string, name: string) => `/eks/fargateprofiles/${cluster}/${name}`,
  profiles: (cluster: string) => `/eks/fargateprofiles/${cluster}/`,
  allProfiles: () => '/eks/fargateprofiles/',
  nodegroup: (cluster: string, name: string) => `/eks/nodegroups/${cluster}/${name}`,
  nodegroups: (cluster: string) => `/eks/nodegroups/${cluster}/`,
  allNodegroups: () => '/eks/nodegroups/',
  clusterUpdate: (cluster: string, id: string) => `/eks/clusterupdates/${cluster}/${id}`,
  clusterUpdates: (cluster: string) => `/eks/clusterupdates/${cluster}/`,
  allClusterUpdates: () => '/eks/clusterupdates/',
};

export interface Subnet {
  subnetId: string;
  cidrBlock: string;
  availabilityZone: string;
  routeTableId: string;
  tags: Record<string, string>;
}

export interface Route {
  destinationCidrBlock: string;
  gatewayId?: string;
  natGatewayId?: string;
}

export interface RouteTable {
  routeTableId: string;
  routes: Route[];
}

export interface Vpc {
  vpcId: string;
  cidrBlock: string;
  region: string;
  internetGatewayId: string;
  natGatewayId: string;
  subnets: Subnet[];
  routeTables: RouteTable[];
  securityGroupIds: string[];
  clusterSecurityGroupId: string;
}

export interface ClusterRecord {
  name: string;
  arn: string;
  id: string;
  createdAt: number;
  version: string;
  platformVersion: string;
  endpoint: string;
  certificateAuthorityData: string;
  roleArn: string;
  vpcId: string;
  serviceIpv4Cidr: string;
  status: ClusterStatus;
  tags: Record<string, string>;
  /** Absent on clusters stored before access entries: API_AND_CONFIG_MAP with the creator's entry. */
  accessConfig?: AccessConfig;
  /** The cluster `skiff up --name` runs (the process's own); created clusters lack it. */
  builtIn?: boolean;
  /** What CreateCluster and UpdateClusterConfig set; absent members read as the defaults of cluster-config.ts. */
  subnetIds?: string[];
  securityGroupIds?: string[];
  endpointAccess?: EndpointAccess;
  logging?: LogSetup[];
  encryptionConfig?: EncryptionConfig[];
  upgradePolicy?: { supportType: 'STANDARD' | 'EXTENDED' };
  deletionProtection?: boolean;
  clientRequestToken?: string;
  /** The loopback port its kube API last listened on: taken again on restart so kubeconfigs stay valid. */
  kubePort?: number;
  /** Why it is FAILED. */
  health?: { issues: { code: string; message: string; resourceIds: string[] }[] };
}

export type ClusterStatus = 'CREATING' | 'ACTIVE' | 'DELETING' | 'FAILED' | 'UPDATING' | 'PENDING';

export interface EndpointAccess {
  endpointPublicAccess: boolean;
  endpointPrivateAccess: boolean;
  publicAccessCidrs: string[];
}

export type LogType = 'api' | 'audit' | 'authenticator' | 'controllerManager' | 'scheduler';

export interface LogSetup {
  types: LogType[];
  enabled: boolean;
}

export interface EncryptionConfig {
  resources: string[];
  provider: { keyArn: string };
}

/** An EKS Update (UpdateClusterVersion, UpdateClusterConfig, AssociateEncryptionConfig) as the API returns it. */
export interface Update {
  id: string;
  status: 'InProgress' | 'Failed' | 'Cancelled' | 'Successful';
  type: string;
  params: { type: string; value: string }[];
  createdAt: number;
  errors: { errorCode: string; errorMessage: string; resourceIds: string[] }[];
}

export type AuthenticationMode = 'API' | 'API_AND_CONFIG_MAP' | 'CONFIG_MAP';

export interface AccessConfig {
  authenticationMode: AuthenticationMode;
  bootstrapClusterCreatorAdminPermissions: boolean;
}

export const defaultAccessConfig: AccessConfig = {
  authenticationMode: 'API_AND_CONFIG_MAP',
  bootstrapClusterCreatorAdminPermissions: true,
};

/** A Fargate profile as the API returns it, plus what the server needs to finish its transition. */
export interface FargateProfile {
  fargateProfileName: string;
  fargateProfileArn: string;
  clusterName: string;
  createdAt: number;
  podExecutionRoleArn: string;
  subnets: string[];
  selectors: FargateSelector[];
  status: ProfileStatus;
  tags: Record<string, string>;
  health: { issues: { code: string; message: string; resourceIds: string[] }[] };
}

export interface StoredProfile {
  profile: FargateProfile;
  clientRequestToken?: string;
  /** Epoch ms when CREATING becomes ACTIVE or DELETING becomes gone. */
  transitionAt?: number;
}

export interface Taint {
  key: string;
  value?: string;
  effect: 'NO_SCHEDULE' | 'NO_EXECUTE' | 'PREFER_NO_SCHEDULE';
}

export interface Nodegroup {
  nodegroupName: string;
  nodegroupArn: string;
  clusterName: string;
  version: string;
  releaseVersion: string;
  createdAt: number;
  modifiedAt: number;
  status: 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING' | 'CREATE_FAILED' | 'DELETE_FAILED' | 'DEGRADED';
  capacityType: string;
  scalingConfig: { minSize: number; maxSize: number; desiredSize: number };
  instanceTypes: string[];
  subnets: string[];
  amiType: string;
  nodeRole: string;
  labels: Record<string, string>;
  taints: Taint[];
  /** Absent when a launch template carries the disk. */
  diskSize?: number;
  resources: { autoScalingGroups: { name: string }[] };
  health: { issues: { code: string; message: string; resourceIds: string[] }[] };
  updateConfig: NodegroupUpdateConfig;
  tags: Record<string, string>;
  launchTemplate?: { id?: string; name?: string; version?: string };
  remoteAccess?: { ec2SshKey?: string; sourceSecurityGroups?: string[] };
  nodeRepairConfig?: Record<string, unknown>;
  warmPoolConfig?: Record<string, unknown>;
}

export interface NodegroupUpdateConfig {
  maxUnavailable?: number;
  maxUnavailablePercentage?: number;
  updateStrategy?: string;
}

export interface StoredNodegroup {
  nodegroup: Nodegroup;
  clientRequestToken?: string;
  transitionAt?: number;
  /** The update (src/eks/updates/) the group is UPDATING for. */
  updateId?: string;
  updateType?: 'ConfigUpdate' | 'VersionUpdate';
  /** A VersionUpdate's starting version and release, put back if it fails. */
  previous?: { version: string; releaseVersion: string };
  /** A VersionUpdate's `force`: replace nodes even where a disruption budget blocks their pods' eviction. */
  force?: boolean;
}
