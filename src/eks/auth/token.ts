// The kube API's authenticator for EKS tokens: `k8s-aws-v1.` + base64url(presigned STS GetCallerIdentity URL), as
// `aws eks get-token` makes it. The presigned signature is verified locally (never by calling STS).
import { createHash } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Authenticator, UserInfo } from '../../kube/auth/types.js';
import type { AwsCredentials } from '../credentials.js';
import { type CallerIdentity, rootKey, type SigningKey } from '../iam/identity.js';
import { checkSkew, parseAmzDate, parseQuery } from './sigv4.js';

export const TOKEN_PREFIX = 'k8s-aws-v1.';
const CLUSTER_ID_HEADER = 'x-k8s-aws-id';
/** aws-iam-authenticator's bound: tokens live at most 15 minutes, whatever X-Amz-Expires says. */
const MAX_TOKEN_AGE_MS = 15 * 60 * 1000;
const SKEW_MS = 5 * 60 * 1000;

export interface EksTokenOptions {
  credentials: () => AwsCredentials[];
  /** Role sessions from STS AssumeRole, by access key id. */
  sessions?: { lookup(accessKeyId: string): SigningKey | undefined };
  clusterName: string;
  now?: () => Date;
  /** Who the caller is in Kubernetes (access entries, aws-auth); default: the CONFIG_MAP mode's creator rule. */
  mapIdentity?: (caller: CallerIdentity) => Promise<UserInfo>;
}

/** The presigned URL inside a token, or undefined when the token is not of this kind. */
export function decodeEksToken(token: string): URL | undefined {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  try {
    const url = new URL(Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString('utf8'));
    return url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** Verifies a presigned STS GetCallerIdentity URL; returns the key that signed it, else undefined. */
export async function verifyPresignedCallerIdentity(url: URL, opts: EksTokenOptions): Promise<SigningKey | undefined> {
  const query = parseQuery(url.search.slice(1));
  const one = (k: string) => (typeof query[k] === 'string' ? (query[k] as string) : undefined);
  if (one('Action') !== 'GetCallerIdentity' || one('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return undefined;
  if (!/^sts(\.[a-z0-9-]+)?\.amazonaws\.com(\.cn)?$/.test(url.hostname)) return undefined;
  const [accessKeyId, shortDate, region, service, terminator] = (one('X-Amz-Credential') ?? '').split('/');
  const signedHeaders = (one('X-Amz-SignedHeaders') ?? '').split(';');
  const signedAt = parseAmzDate(one('X-Amz-Date'));
  const expires = Number(one('X-Amz-Expires'));
  const signature = one('X-Amz-Signature') ?? '';
  if (service !== 'sts' || terminator !== 'aws4_request' || !signedAt || !Number.isFinite(expires)) return undefined;
  if (shortDate !== one('X-Amz-Date')?.slice(0, 8)) return undefined;
  if (!signedHeaders.includes('host') || !signedHeaders.includes(CLUSTER_ID_HEADER)) return undefined;
  const now = (opts.now ?? (() => new Date()))();
  const lifetime = Math.min(expires * 1000, MAX_TOKEN_AGE_MS);
  if (now.getTime() > signedAt.getTime() + lifetime + SKEW_MS) return undefined;
  if (checkSkew(signedAt, now, MAX_TOKEN_AGE_MS + SKEW_MS)) return undefined;
  const account = opts.credentials().find((c) => c.accessKeyId === accessKeyId);
  const credentials = account ? rootKey(account) : opts.sessions?.lookup(accessKeyId);
  if (!credentials) return undefined;
  const unsigned = { ...query };
  for (const k of Object.keys(unsigned)) if (k.startsWith('X-Amz-')) delete unsigned[k];
  // Only the cluster name this API server serves may appear as the signed x-k8s-aws-id.
  const headers: Record<string, string> = { host: url.host, [CLUSTER_ID_HEADER]: opts.clusterName };
  const request = new HttpRequest({
    method: 'GET',
    protocol: 'https:',
    hostname: url.hostname,
    path: url.pathname || '/',
    query: unsigned,
    headers,
  });
  const { secretAccessKey, sessionToken } = credentials;
  const signer = new SignatureV4({
    credentials: { accessKeyId, secretAccessKey, sessionToken },
    region,
    service: 'sts',
    sha256: Sha256,
  });
  for (const payload of [EMPTY_SHA256, 'UNSIGNED-PAYLOAD']) {
    const presignable = new HttpRequest({ ...request, headers: { ...headers, 'x-amz-content-sha256': payload } });
    const presigned = await signer.presign(presignable, {
      signingDate: signedAt,
      expiresIn: expires,
      signableHeaders: new Set(signedHeaders),
      unsignableHeaders: new Set(['x-amz-content-sha256']),
      unhoistableHeaders: new Set(['x-amz-content-sha256']),
    });
    if (presigned.query?.['X-Amz-SignedHeaders'] !== signedHeaders.join(';')) continue;
    if (presigned.query?.['X-Amz-Signature'] === signature) return credentials;
  }
  return undefined;
}

const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

/**
 * Without access entries or aws-auth (CONFIG_MAP mode with an empty ConfigMap): the cluster creator, the account's
 * own key, is `kubernetes-admin` in system:masters as EKS maps its creator invisibly; anyone else is only
 * authenticated.
 */
export async function creatorOnlyMapping(caller: CallerIdentity): Promise<UserInfo> {
  if (!caller.sessionName && caller.arn.endsWith(':root'))
    return { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
  return { username: caller.arn, groups: ['system:authenticated'] };
}

/** An Authenticator for `k8s-aws-v1.` tokens signed by a known key for this cluster. */
export function eksTokenAuthenticator(opts: EksTokenOptions): Authenticator {
  const mapIdentity = opts.mapIdentity ?? creatorOnlyMapping;
  return async (token: string): Promise<UserInfo | undefined> => {
    const url = decodeEksToken(token);
    if (!url) return undefined;
    const key = await verifyPresignedCallerIdentity(url, opts);
    if (!key) return undefined;
    const caller = key.identity;
    const user = await mapIdentity(caller);
    return {
      ...user,
      uid: `aws-iam-authenticator:${caller.accountId}:${caller.userId}`,
      extra: {
        ...user.extra,
        accessKeyId: [caller.accessKeyId],
        arn: [caller.arn],
        canonicalArn: [caller.canonicalArn],
        principalId: [caller.userId],
        sessionName: [caller.sessionName ?? ''],
      },
    };
  };
}
