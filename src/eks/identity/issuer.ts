// Each cluster's OIDC issuer (EKS's `identity.oidc.issuer`): `<EKS endpoint>/id/<cluster id>` — on EKS
// `https://oidc.eks.<region>.amazonaws.com/id/<id>`; Skiff serves it itself, on its own EKS endpoint, with the
// discovery document and the JWKS of the key that signs the cluster's ServiceAccount tokens. The issuer URL and the
// public keys are kept at /eks/oidc/<id>, written by whoever runs the cluster's kube API (`publishClusterIssuer`)
// and read by DescribeCluster, the discovery routes and STS AssumeRoleWithWebIdentity.

import type { Backend } from '../../store/types.js';
import type { ClusterMembers } from '../clusters/view.js';
import { readJson } from '../context.js';
import { type ClusterRecord, keys } from '../records.js';

export interface IssuerRecord {
  issuer: string;
  clusterName: string;
  /** The JSON Web Key Set of the cluster's ServiceAccount token signer. */
  jwks: { keys: Record<string, unknown>[] };
}

export const issuerKey = (clusterId: string) => `/eks/oidc/${clusterId}`;
export const issuerPrefix = '/eks/oidc/';

/** The issuer URL of a cluster whose EKS endpoint is `eksUrl`. */
export const issuerUrl = (eksUrl: string, clusterId: string) =>
  `${eksUrl.replace(/\/$/, '').replace(/\/\/(0\.0\.0\.0|\[::\])(?=:|$)/, '//127.0.0.1')}/id/${clusterId}`;

/** The part of an issuer URL IAM condition keys start with (`oidc.eks.<region>.amazonaws.com/id/<id>`). */
export const issuerHostPath = (issuer: string) => issuer.replace(/^https?:\/\//, '').replace(/\/$/, '');

export async function readIssuer(store: Backend, clusterId: string): Promise<IssuerRecord | undefined> {
  return (await readJson<IssuerRecord>(store, issuerKey(clusterId)))?.value;
}

/** The issuer record whose URL is `issuer` (a token's `iss`), if a cluster here has it. */
export async function findIssuer(store: Backend, issuer: string): Promise<IssuerRecord | undefined> {
  const id = /\/id\/([0-9A-F]{32})$/.exec(issuer)?.[1];
  const record = id ? await readIssuer(store, id) : undefined;
  return record?.issuer === issuer ? record : undefined;
}

/** DescribeCluster's `identity`: the cluster's OIDC issuer, once its kube API has published it. */
/** DescribeCluster's `identity` member (clusters/view.ts), once the cluster's issuer is published. */
export const identityMember: ClusterMembers = async (ctx, cluster) => {
  const identity = await clusterIdentity(ctx.store, cluster);
  return identity ? { identity } : {};
};

export async function clusterIdentity(store: Backend, cluster: ClusterRecord) {
  const record = await readIssuer(store, cluster.id);
  return record ? { oidc: { issuer: record.issuer } } : undefined;
}

/** What signs a cluster's ServiceAccount tokens (the kube API's TokenSigner). */
export interface IssuerSigner {
  useIssuer(issuer: string): void;
  acceptIssuer(issuer: string): void;
  jwks(): IssuerRecord['jwks'];
}

/**
 * Makes the cluster's issuer `<eksUrl>/id/<cluster id>`: the signer signs new tokens as it (and still accepts the
 * kube API's tokens of the issuer stored before, if the endpoint moved), and its URL and keys are stored for the EKS
 * endpoint to serve. Called once the EKS endpoint listens, before any pod asks for a token.
 */
export async function publishClusterIssuer(
  store: Backend,
  clusterName: string,
  eksUrl: string,
  signer: IssuerSigner,
): Promise<string> {
  const cluster = await readJson<ClusterRecord>(store, keys.cluster(clusterName));
  if (!cluster) throw new Error(`cluster ${clusterName} is not in the store`);
  const issuer = issuerUrl(eksUrl, cluster.value.id);
  const key = issuerKey(cluster.value.id);
  const found = await store.get(key);
  const earlier = found ? (JSON.parse(found.value) as IssuerRecord).issuer : undefined;
  if (earlier && earlier !== issuer) signer.acceptIssuer(earlier);
  signer.useIssuer(issuer);
  const record: IssuerRecord = { issuer, clusterName, jwks: signer.jwks() };
  if (!found) await store.create(key, JSON.stringify(record));
  else if (found.value !== JSON.stringify(record)) await store.update(key, JSON.stringify(record), found.modRevision);
  return issuer;
}
