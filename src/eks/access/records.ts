// Access entries as stored (/eks/accessentries/<cluster>/<principal ARN, URI-encoded>) and as the API returns
// them, with their associated access policies; the username and groups each entry type gives, as EKS defines.
import type { Backend } from '../../store/types.js';

export type AccessEntryType = 'STANDARD' | 'FARGATE_LINUX' | 'EC2_LINUX' | 'EC2_WINDOWS';

export interface AccessScope {
  type: 'cluster' | 'namespace';
  namespaces: string[];
}

export interface AssociatedAccessPolicy {
  policyArn: string;
  accessScope: AccessScope;
  associatedAt: number;
  modifiedAt: number;
}

export interface AccessEntry {
  clusterName: string;
  principalArn: string;
  kubernetesGroups: string[];
  accessEntryArn: string;
  createdAt: number;
  modifiedAt: number;
  tags: Record<string, string>;
  username: string;
  type: AccessEntryType;
}

export interface StoredAccessEntry {
  entry: AccessEntry;
  policies: AssociatedAccessPolicy[];
  clientRequestToken?: string;
}

export const accessEntryKeys = {
  entry: (cluster: string, principalArn: string) => `/eks/accessentries/${cluster}/${encodeURIComponent(principalArn)}`,
  entries: (cluster: string) => `/eks/accessentries/${cluster}/`,
};

/** The groups EKS gives a node entry type (a STANDARD entry's are its kubernetesGroups). */
export const nodeEntryGroups: Record<Exclude<AccessEntryType, 'STANDARD'>, string[]> = {
  FARGATE_LINUX: ['system:bootstrappers', 'system:nodes', 'system:node-proxier'],
  EC2_LINUX: ['system:bootstrappers', 'system:nodes'],
  EC2_WINDOWS: ['system:bootstrappers', 'system:nodes', 'eks:kube-proxy-windows'],
};

/** EKS's default username for an entry: the node name for node types, the session ARN for a role, else the ARN. */
export function defaultUsername(principalArn: string, type: AccessEntryType): string {
  if (type === 'FARGATE_LINUX') return 'system:node:{{SessionName}}';
  if (type !== 'STANDARD') return 'system:node:{{EC2PrivateDNSName}}';
  const role = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(principalArn);
  return role ? `arn:${role[1]}:sts::${role[2]}:assumed-role/${role[3]}/{{SessionName}}` : principalArn;
}

export async function readAccessEntries(store: Backend, cluster: string): Promise<StoredAccessEntry[]> {
  const { items } = await store.list(accessEntryKeys.entries(cluster));
  return items.map((kv) => JSON.parse(kv.value) as StoredAccessEntry);
}
