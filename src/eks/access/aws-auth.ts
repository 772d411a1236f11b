// The `aws-auth` ConfigMap in kube-system, as aws-iam-authenticator reads it: `mapRoles` (rolearn, username,
// groups) and `mapUsers` (userarn, username, groups), YAML lists in the ConfigMap's data; usernames may use
// `{{AccountID}}`, `{{SessionName}}` (with `@` made `-`), `{{SessionNameRaw}}` and `{{AccessKeyID}}`.
import { parse } from 'yaml';
import type { CallerIdentity } from '../iam/identity.js';

export interface AwsAuthMapping {
  arn: string;
  username: string;
  groups: string[];
}

export interface AwsAuth {
  roles: AwsAuthMapping[];
  users: AwsAuthMapping[];
}

function mappings(text: string | undefined, arnKey: 'rolearn' | 'userarn'): AwsAuthMapping[] {
  if (!text) return [];
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed
    .filter((m) => m && typeof m[arnKey] === 'string')
    .map((m) => ({
      arn: m[arnKey] as string,
      username: typeof m.username === 'string' ? m.username : '',
      groups: Array.isArray(m.groups) ? m.groups.filter((g: unknown) => typeof g === 'string') : [],
    }));
}

export function parseAwsAuth(data: Record<string, string> | undefined): AwsAuth {
  return { roles: mappings(data?.mapRoles, 'rolearn'), users: mappings(data?.mapUsers, 'userarn') };
}

/** A username template filled for a caller; undefined when it names what Skiff cannot know (EC2PrivateDNSName). */
export function renderUsername(template: string, caller: CallerIdentity): string | undefined {
  const values: Record<string, string> = {
    AccountID: caller.accountId,
    SessionName: (caller.sessionName ?? '').replace(/@/g, '-'),
    SessionNameRaw: caller.sessionName ?? '',
    AccessKeyID: caller.accessKeyId,
  };
  let unknown = false;
  const rendered = template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    if (name in values) return values[name];
    unknown = true;
    return '';
  });
  return unknown ? undefined : rendered;
}

const sameArn = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The aws-auth mapping for a caller: a role's by its canonical ARN, a user's by its ARN. */
export function findAwsAuthMapping(auth: AwsAuth, caller: CallerIdentity): AwsAuthMapping | undefined {
  return (
    auth.roles.find((m) => sameArn(m.arn, caller.canonicalArn)) ??
    auth.users.find((m) => sameArn(m.arn, caller.canonicalArn))
  );
}
