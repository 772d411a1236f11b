// Who an AWS key is, as STS GetCallerIdentity says and aws-iam-authenticator canonicalises it: the account root
// (Skiff's generated key, the cluster creator) or a role session from AssumeRole (`arn:aws:sts::<account>:
// assumed-role/<role>/<session>`, canonical ARN `arn:aws:iam::<account>:role/<role>`).
import type { AwsCredentials } from '../credentials.js';

export interface CallerIdentity {
  accountId: string;
  accessKeyId: string;
  /** The caller's ARN as GetCallerIdentity returns it. */
  arn: string;
  /** The IAM principal access entries and aws-auth name (the role, not the session). */
  canonicalArn: string;
  userId: string;
  sessionName?: string;
}

/** A key that signs requests: the account's own, or a role session's (with its session token). */
export interface SigningKey extends AwsCredentials {
  sessionToken?: string;
  identity: CallerIdentity;
}

export function rootIdentity(credentials: AwsCredentials): CallerIdentity {
  const arn = `arn:aws:iam::${credentials.accountId}:root`;
  return {
    accountId: credentials.accountId,
    accessKeyId: credentials.accessKeyId,
    arn,
    canonicalArn: arn,
    userId: credentials.accountId,
  };
}

export const rootKey = (credentials: AwsCredentials): SigningKey => ({
  ...credentials,
  identity: rootIdentity(credentials),
});

/** `arn:aws:iam::<account>:role/<path/>name` → its account and name, or undefined for any other ARN. */
export function parseRoleArn(arn: string): { accountId: string; roleName: string } | undefined {
  const match = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]{1,64})$/.exec(arn);
  return match ? { accountId: match[1], roleName: match[2] } : undefined;
}
