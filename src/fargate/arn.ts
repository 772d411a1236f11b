// The ARN formats of the EKS API (clusters, Fargate profiles, node groups) and IAM roles: build and parse them.
// Pure functions; the EKS API, admission and `skiff check` all use these so the formats live in one place.

export interface Arn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

export function formatArn(arn: Arn): string {
  return `arn:${arn.partition}:${arn.service}:${arn.region}:${arn.accountId}:${arn.resource}`;
}

/** Splits an ARN into its six parts, or undefined when it is not one. */
export function parseArn(text: string): Arn | undefined {
  const parts = text.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || !parts[1] || !parts[2]) return undefined;
  const [, partition, service, region, accountId] = parts;
  return { partition, service, region, accountId, resource: parts.slice(5).join(':') };
}

export function clusterArn(region: string, accountId: string, cluster: string): string {
  return formatArn({ partition: 'aws', service: 'eks', region, accountId, resource: `cluster/${cluster}` });
}

export function fargateProfileArn(region: string, accountId: string, cluster: string, profile: string, uuid: string) {
  const resource = `fargateprofile/${cluster}/${profile}/${uuid}`;
  return formatArn({ partition: 'aws', service: 'eks', region, accountId, resource });
}

export function nodegroupArn(region: string, accountId: string, cluster: string, nodegroup: string, uuid: string) {
  const resource = `nodegroup/${cluster}/${nodegroup}/${uuid}`;
  return formatArn({ partition: 'aws', service: 'eks', region, accountId, resource });
}

/** A pod as AWS bills and tags it (EKS split cost allocation): `…:pod/<cluster>/<namespace>/<pod>/<uid>`. */
export function podArn(
  region: string,
  accountId: string,
  cluster: string,
  namespace: string,
  pod: string,
  uid: string,
) {
  const resource = `pod/${cluster}/${namespace}/${pod}/${uid}`;
  return formatArn({ partition: 'aws', service: 'eks', region, accountId, resource });
}

export function addonArn(region: string, accountId: string, cluster: string, addon: string, uuid: string) {
  const resource = `addon/${cluster}/${addon}/${uuid}`;
  return formatArn({ partition: 'aws', service: 'eks', region, accountId, resource });
}

/** What an EKS resource ARN names: its kind, cluster and (for profiles and node groups) its own name. */
export interface EksResourceRef {
  kind: 'cluster' | 'fargateprofile' | 'nodegroup' | 'addon';
  region: string;
  accountId: string;
  cluster: string;
  name?: string;
}

export function parseEksResourceArn(text: string): EksResourceRef | undefined {
  const arn = parseArn(text);
  if (arn?.service !== 'eks') return undefined;
  const [kind, cluster, name, uuid] = arn.resource.split('/');
  const base = { region: arn.region, accountId: arn.accountId };
  if (kind === 'cluster' && cluster && name === undefined) return { kind, cluster, ...base };
  if ((kind === 'fargateprofile' || kind === 'nodegroup' || kind === 'addon') && cluster && name && uuid)
    return { kind, cluster, name, ...base };
  return undefined;
}

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/**
 * An IAM role ARN as a pod execution or node role accepts it: `arn:<partition>:iam::<12 digits>:role/<name>`.
 * A Fargate pod execution role may carry no path other than `/` (EKS user guide).
 */
export function isRoleArn(text: string, opts: { allowPath?: boolean } = {}): boolean {
  const arn = parseArn(text);
  if (arn?.service !== 'iam' || arn.region !== '' || !/^\d{12}$/.test(arn.accountId)) return false;
  if (!arn.resource.startsWith('role/')) return false;
  const segments = arn.resource.slice('role/'.length).split('/');
  const name = segments.pop() ?? '';
  if (!ROLE_NAME.test(name)) return false;
  if (segments.length > 0 && !opts.allowPath) return false;
  return segments.every((s) => /^[\x21-\x7e]+$/.test(s));
}
