// IAM OpenID Connect providers, the account's list of issuers STS AssumeRoleWithWebIdentity trusts (as
// `aws iam create-open-id-connect-provider`, Terraform's aws_iam_openid_connect_provider and `eksctl utils
// associate-iam-oidc-provider` register a cluster's issuer): the URL (https, or http on a loopback host for Skiff's
// local issuers), client ids (audiences), thumbprints and tags, kept at /iam/oidc-providers/<host and path>. The
// ARN is `arn:aws:iam::<account>:oidc-provider/<host and path>`.
import { KeyExistsError } from '../../store/errors.js';
import type { Backend } from '../../store/types.js';
import { readJson } from '../context.js';
import { StsFault } from './sessions.js';

export interface OidcProvider {
  arn: string;
  /** The URL without its scheme, as IAM returns it. */
  url: string;
  clientIds: string[];
  thumbprints: string[];
  createDate: string;
  tags: { Key: string; Value: string }[];
}

const loopback = new Set(['127.0.0.1', 'localhost', '[::1]']);
const providerKey = (hostPath: string) => `/iam/oidc-providers/${encodeURIComponent(hostPath)}`;
export const providerArn = (accountId: string, hostPath: string) =>
  `arn:aws:iam::${accountId}:oidc-provider/${hostPath}`;

/** `https://host/path` → `host/path`, or IAM's ValidationError. */
export function providerHostPath(url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {}
  const allowed =
    parsed && (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && loopback.has(parsed.hostname)));
  if (!parsed || !allowed || parsed.search || parsed.hash)
    throw new StsFault('ValidationError', 'Invalid Openid Connect Provider URL');
  return `${parsed.host}${parsed.pathname}`.replace(/\/$/, '');
}

const hostPathOfArn = (accountId: string, arn: string) => {
  const prefix = providerArn(accountId, '');
  if (!arn.startsWith(prefix) || arn.length === prefix.length)
    throw new StsFault('ValidationError', `Invalid ARN: ${arn}`);
  return arn.slice(prefix.length);
};

const noSuchProvider = (arn: string) =>
  new StsFault('NoSuchEntity', `OpenIDConnect Provider not found for arn ${arn}`, 404);

export async function createOidcProvider(
  store: Backend,
  input: {
    accountId: string;
    url: string;
    clientIds: string[];
    thumbprints: string[];
    tags: OidcProvider['tags'];
    now: number;
  },
): Promise<OidcProvider> {
  const hostPath = providerHostPath(input.url);
  const provider: OidcProvider = {
    arn: providerArn(input.accountId, hostPath),
    url: hostPath,
    clientIds: input.clientIds,
    thumbprints: input.thumbprints,
    createDate: new Date(input.now).toISOString().replace(/\.\d+Z$/, 'Z'),
    tags: input.tags,
  };
  try {
    await store.create(providerKey(hostPath), JSON.stringify(provider));
  } catch (error) {
    if (!(error instanceof KeyExistsError)) throw error;
    throw new StsFault('EntityAlreadyExists', `Provider with url ${input.url} already exists.`, 409);
  }
  return provider;
}

/** The provider of an issuer (`iss`), if the account registered it. */
export async function providerForIssuer(store: Backend, issuer: string): Promise<OidcProvider | undefined> {
  const hostPath = issuer.replace(/^https?:\/\//, '').replace(/\/$/, '');
  return (await readJson<OidcProvider>(store, providerKey(hostPath)))?.value;
}

export async function readOidcProvider(store: Backend, accountId: string, arn: string): Promise<OidcProvider> {
  const found = await readJson<OidcProvider>(store, providerKey(hostPathOfArn(accountId, arn)));
  if (!found) throw noSuchProvider(arn);
  return found.value;
}

export async function listOidcProviders(store: Backend): Promise<OidcProvider[]> {
  const { items } = await store.list('/iam/oidc-providers/');
  return items.map((kv) => JSON.parse(kv.value) as OidcProvider);
}

export async function deleteOidcProvider(store: Backend, accountId: string, arn: string): Promise<void> {
  const key = providerKey(hostPathOfArn(accountId, arn));
  const found = await store.get(key);
  if (!found) throw noSuchProvider(arn);
  await store.delete(key, found.modRevision);
}
