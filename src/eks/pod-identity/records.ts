// EKS Pod Identity associations as the API keeps them: /eks/podidentityassociations/<cluster>/<association id>,
// the PodIdentityAssociation shape of the model plus the clientRequestToken that created it. Skiff runs no EKS Pod
// Identity Agent, so an association is data only: no pod gets AWS_CONTAINER_CREDENTIALS_FULL_URI from it — which
// on Fargate is EKS's own behaviour (the agent is a DaemonSet, and DaemonSets do not run on Fargate).
import { randomBytes } from 'node:crypto';
import { formatArn } from '../../fargate/arn.js';
import { type EksContext, readJson } from '../context.js';
import { EksError, invalidParameter } from '../errors.js';
import { parseRoleArn } from '../iam/identity.js';

export interface PodIdentityAssociation {
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  associationArn: string;
  associationId: string;
  tags: Record<string, string>;
  createdAt: number;
  modifiedAt: number;
  disableSessionTags: boolean;
  targetRoleArn?: string;
  externalId?: string;
  policy?: string;
}

export interface StoredAssociation {
  association: PodIdentityAssociation;
  clientRequestToken?: string;
}

export const associationKeys = {
  one: (cluster: string, id: string) => `/eks/podidentityassociations/${cluster}/${id}`,
  all: (cluster: string) => `/eks/podidentityassociations/${cluster}/`,
};

const idAlphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const newAssociationId = () =>
  `a-${Array.from(randomBytes(17), (b) => idAlphabet[b % idAlphabet.length]).join('')}`;

export const associationArn = (ctx: EksContext, cluster: string, id: string) =>
  formatArn({
    partition: 'aws',
    service: 'eks',
    region: ctx.region,
    accountId: ctx.credentials.accountId,
    resource: `podidentityassociation/${cluster}/${id}`,
  });

export async function readAssociations(ctx: EksContext, cluster: string): Promise<StoredAssociation[]> {
  const { items } = await ctx.store.list(associationKeys.all(cluster));
  return items.map((kv) => JSON.parse(kv.value) as StoredAssociation);
}

/** The stored association and its revision, or EKS's ResourceNotFoundException. */
export async function requireAssociation(ctx: EksContext, cluster: string, id: string) {
  const found = await readJson<StoredAssociation>(ctx.store, associationKeys.one(cluster, id));
  if (!found)
    throw new EksError('ResourceNotFoundException', `Association ${id} not found for cluster ${cluster}.`, {
      clusterName: cluster,
    });
  return found;
}

/** An IAM role ARN, as the association's roleArn and targetRoleArn must be. */
export function checkRoleArn(value: unknown, member: string, clusterName: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !parseRoleArn(value))
    throw invalidParameter(`Invalid ${member}: ${String(value)}`, { clusterName });
  return value;
}

export function checkBoolean(value: unknown, member: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean')
    throw new EksError('SerializationException', `Expected a boolean for ${member} but found a ${typeof value}.`);
  return value;
}
