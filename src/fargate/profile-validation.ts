// The rules a Fargate profile request must pass, as EKS applies them: names, role, selectors, labels, subnets,
// tags, the per-cluster quota and the one-transition-at-a-time rule. Pure: callers pass the cluster's state in.
import type { Refusal } from './refusal.js';

export interface FargateSelector {
  namespace?: string;
  labels?: Record<string, string>;
}

export interface FargateProfileRequest {
  fargateProfileName?: string;
  podExecutionRoleArn?: string;
  subnets?: string[];
  selectors?: FargateSelector[];
  tags?: Record<string, string>;
}

export type ProfileStatus = 'CREATING' | 'ACTIVE' | 'DELETING' | 'CREATE_FAILED' | 'DELETE_FAILED';

export interface ExistingProfile {
  name: string;
  status: ProfileStatus;
}

export interface SubnetFacts {
  subnetId: string;
  /** Has a route to an internet gateway (a public subnet). */
  public: boolean;
}

export interface ProfileValidationContext {
  clusterName: string;
  existing: ExistingProfile[];
  subnets: SubnetFacts[];
}

export type ViolationType =
  | 'InvalidParameterException'
  | 'InvalidRequestException'
  | 'ResourceInUseException'
  | 'ResourceLimitExceededException';

/** A refused profile request: `reason` is the EKS exception type it is answered with. */
export type Violation = Refusal<ViolationType>;

export const limits = {
  profilesPerCluster: 10,
  selectorsPerProfile: 5,
  labelsPerSelector: 5,
  nameLength: 100,
  labelKeyLength: 127,
  labelValueLength: 255,
  tagsPerResource: 50,
  tagKeyLength: 128,
  tagValueLength: 256,
} as const;

export const reservedProfileNamePrefix = 'eks-';

/** The pattern EKS's model gives a Fargate profile's name (CloudFormation's `FargateProfileName` states it). */
export const profileNamePattern = '^[0-9A-Za-z][A-Za-z0-9\\-_]*';
const profileName = /^[0-9A-Za-z][A-Za-z0-9\-_]*$/;

const invalid = (message: string): Violation => ({ reason: 'InvalidParameterException', message });

/** Checks of the request alone, in the order EKS reports them. */
export function validateProfileShape(req: FargateProfileRequest): Violation | undefined {
  const name = req.fargateProfileName;
  if (!name) return invalid('Fargate profile name is required.');
  if (name.startsWith(reservedProfileNamePrefix)) {
    return invalid(`The fargate profile name starts with the reserved prefix: '${reservedProfileNamePrefix}'.`);
  }
  if (name.length > limits.nameLength) {
    return invalid(`The Fargate profile name parameter should not be greater than ${limits.nameLength} characters.`);
  }
  if (!profileName.test(name)) {
    return invalid(
      `1 validation error detected: Value '${name}' at 'fargateProfileName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${profileNamePattern}`,
    );
  }
  if (!req.podExecutionRoleArn) return invalid('Pod execution role ARN is required.');
  if (!isPodExecutionRoleArn(req.podExecutionRoleArn)) {
    return invalid(
      `Invalid PodExecutionRoleArn: ${req.podExecutionRoleArn}. Expected arn:aws:iam::<account-id>:role/<role-name>.`,
    );
  }
  return validateSelectors(req.selectors) ?? validateTags(req.tags);
}

export function validateSelectors(selectors: FargateSelector[] | undefined): Violation | undefined {
  if (!selectors || selectors.length === 0) return invalid('Fargate Profile requires at least one selector.');
  if (selectors.length > limits.selectorsPerProfile) {
    return invalid(`Fargate Profile cannot have more than ${limits.selectorsPerProfile} selectors.`);
  }
  for (const selector of selectors) {
    if (!selector.namespace) {
      return invalid('Fargate Profile must have at least one selector with at least one namespace value.');
    }
    const labels = Object.entries(selector.labels ?? {});
    if (labels.length > limits.labelsPerSelector) {
      return invalid(`Request contains Selector with more than ${limits.labelsPerSelector} Label pairs`);
    }
    for (const [key, value] of labels) {
      if (key.length === 0 || key.length > limits.labelKeyLength) {
        return invalid(`Selector label key '${key}' must be between 1 and ${limits.labelKeyLength} characters.`);
      }
      if (value.length > limits.labelValueLength) {
        return invalid(`Selector label value for key '${key}' must be at most ${limits.labelValueLength} characters.`);
      }
    }
  }
  return undefined;
}

export function validateTags(tags: Record<string, string> | undefined): Violation | undefined {
  const entries = Object.entries(tags ?? {});
  if (entries.length > limits.tagsPerResource) {
    return invalid(`Tags map cannot have more than ${limits.tagsPerResource} entries.`);
  }
  for (const [key, value] of entries) {
    if (key.length === 0 || key.length > limits.tagKeyLength || key.toLowerCase().startsWith('aws:')) {
      return invalid(`Invalid tag key: '${key}'.`);
    }
    if (value.length > limits.tagValueLength) return invalid(`Invalid tag value for key '${key}'.`);
  }
  return undefined;
}

/** The subnets a profile gets: the ones asked for (each must exist and be private), else every private subnet. */
export function resolveProfileSubnets(
  requested: string[] | undefined,
  subnets: SubnetFacts[],
): { subnets: string[] } | Violation {
  if (!requested || requested.length === 0) {
    return { subnets: subnets.filter((s) => !s.public).map((s) => s.subnetId) };
  }
  for (const id of requested) {
    const facts = subnets.find((s) => s.subnetId === id);
    if (!facts) return invalid(`Subnet ${id} provided in Fargate Profile does not belong to the cluster's VPC`);
    if (facts.public) return invalid(`Subnet ${id} provided in Fargate Profile is not a private subnet`);
  }
  return { subnets: [...new Set(requested)] };
}

const inTransition = (p: ExistingProfile) => p.status === 'CREATING' || p.status === 'DELETING';

/** The cluster-state checks of a create: duplicate name, quota, another profile CREATING or DELETING. */
export function validateProfileCreate(name: string, ctx: ProfileValidationContext): Violation | undefined {
  if (ctx.existing.some((p) => p.name === name)) {
    return {
      reason: 'ResourceInUseException',
      message: 'A Fargate Profile already exists with this name in this cluster.',
    };
  }
  if (ctx.existing.length >= limits.profilesPerCluster) {
    return {
      reason: 'ResourceLimitExceededException',
      message: `Cluster ${ctx.clusterName} already has the maximum of ${limits.profilesPerCluster} Fargate profiles.`,
    };
  }
  const busy = ctx.existing.find(inTransition);
  if (busy) {
    return {
      reason: 'ResourceInUseException',
      message: `Cannot create Fargate Profile ${name} because cluster ${ctx.clusterName} currently has Fargate profile ${busy.name} in status ${busy.status}`,
    };
  }
  return undefined;
}

/** The cluster-state check of a delete: no profile (this one included) may be CREATING or DELETING. */
export function validateProfileDelete(name: string, ctx: ProfileValidationContext): Violation | undefined {
  const busy = ctx.existing.find(inTransition);
  if (!busy) return undefined;
  return {
    reason: 'ResourceInUseException',
    message: `Cannot Delete Fargate Profile ${name} because cluster ${ctx.clusterName} currently has Fargate profile ${busy.name} in status ${busy.status}`,
  };
}

/** A pod execution role: `arn:<partition>:iam::<12 digits>:role/<name>` with no path. */
export function isPodExecutionRoleArn(text: string): boolean {
  return /^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@-]{1,64}$/.test(text);
}
