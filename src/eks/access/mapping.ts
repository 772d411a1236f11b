// IAM identity → Kubernetes user, as EKS decides by the cluster's authenticationMode: access entries (API,
// API_AND_CONFIG_MAP, first), then the aws-auth ConfigMap (CONFIG_MAP, API_AND_CONFIG_MAP); in CONFIG_MAP mode
// the cluster creator is `kubernetes-admin` in system:masters, as EKS maps it invisibly. A caller nothing maps
// is authenticated (its session ARN, in system:authenticated) and authorised for nothing.
import type { UserInfo } from '../../kube/auth/types.js';
import type { CallerIdentity } from '../iam/identity.js';
import type { AuthenticationMode } from '../records.js';
import { type AwsAuth, findAwsAuthMapping, renderUsername } from './aws-auth.js';
import { type AccessEntry, nodeEntryGroups } from './records.js';

export interface MappingSources {
  mode: AuthenticationMode;
  entries: AccessEntry[];
  awsAuth: AwsAuth;
  /** The account root's ARN: the cluster creator. */
  creatorArn: string;
}

const authenticated = 'system:authenticated';

function user(username: string, groups: string[]): UserInfo {
  return { username, groups: [...new Set([...groups, authenticated])] };
}

function fromEntry(entry: AccessEntry, caller: CallerIdentity): UserInfo | undefined {
  const username = renderUsername(entry.username, caller);
  if (username === undefined) return undefined;
  const groups = entry.type === 'STANDARD' ? entry.kubernetesGroups : nodeEntryGroups[entry.type];
  return user(username, groups);
}

export function mapCaller(caller: CallerIdentity, sources: MappingSources): UserInfo {
  const { mode } = sources;
  if (mode !== 'CONFIG_MAP') {
    const entry = sources.entries.find((e) => e.principalArn === caller.canonicalArn);
    const mapped = entry && fromEntry(entry, caller);
    if (mapped) return mapped;
  }
  if (mode !== 'API') {
    const mapping = findAwsAuthMapping(sources.awsAuth, caller);
    const username = mapping && renderUsername(mapping.username || caller.arn, caller);
    if (mapping && username !== undefined) return user(username, mapping.groups);
    if (mode === 'CONFIG_MAP' && caller.canonicalArn === sources.creatorArn)
      return user('kubernetes-admin', ['system:masters']);
  }
  return user(caller.arn, []);
}
