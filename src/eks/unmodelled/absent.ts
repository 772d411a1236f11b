// The operations of botocore's EKS model for features Skiff does not run (capabilities, EKS Anywhere subscriptions,
// cluster insights, EKS Connector registrations), answered as EKS answers for resources that do not exist: lists
// are empty (after the cluster and paging checks), reads, updates and deletes are ResourceNotFoundException, and
// creates are refused with InvalidRequestException naming what Skiff does not offer. Never UnknownOperationException.
import { requireCluster } from '../context.js';
import { EksError } from '../errors.js';
import { paginate } from '../paging.js';
import type { Route } from '../router.js';

/** An empty page of `resultKey`, after the cluster (when the path names one) and maxResults/nextToken are checked. */
export const emptyList =
  (resultKey: string): Route =>
  async (ctx, { params, query, body }) => {
    const members: Record<string, string> = params.name ? { clusterName: params.name } : {};
    if (params.name) await requireCluster(ctx, params.name);
    // ListInsights sends its paging in the body.
    const paging = new URLSearchParams(query);
    for (const member of ['maxResults', 'nextToken']) {
      if (body[member] !== undefined && !paging.has(member)) paging.set(member, String(body[member]));
    }
    paginate([], paging, members);
    return { [resultKey]: [] };
  };

/** ResourceNotFoundException for the resource the path's `param` names (in `what`'s words). */
export const notFound =
  (param: string, message: (id: string) => string): Route =>
  async (ctx, { params }) => {
    if (params.name) await requireCluster(ctx, params.name);
    throw new EksError(
      'ResourceNotFoundException',
      message(params[param]),
      params.name ? { clusterName: params.name } : {},
    );
  };

/** InvalidRequestException: the feature is not one Skiff offers. */
export const notOffered =
  (message: string): Route =>
  async (ctx, { params }) => {
    if (params.name) await requireCluster(ctx, params.name);
    throw new EksError('InvalidRequestException', message, params.name ? { clusterName: params.name } : {});
  };

const capability = (name: string) => `No capability found for name: ${name}.`;
const subscription = (id: string) => `No EKS Anywhere subscription found for id: ${id}.`;

export const capabilities = {
  list: emptyList('capabilities'),
  describe: notFound('capabilityName', capability),
  update: notFound('capabilityName', capability),
  delete: notFound('capabilityName', capability),
  create: notOffered('EKS capabilities (managed Argo CD, ACK, kro) are not available in Skiff.'),
};

export const eksAnywhere = {
  list: emptyList('subscriptions'),
  describe: notFound('id', subscription),
  update: notFound('id', subscription),
  delete: notFound('id', subscription),
  create: notOffered('EKS Anywhere subscriptions cannot be created in Skiff.'),
};

export const insights = {
  list: emptyList('insights'),
  describe: notFound('id', (id) => `No insight found for id: ${id}.`),
  describeRefresh: notFound('name', (cluster) => `No insights refresh found for cluster: ${cluster}.`),
  startRefresh: notOffered('Cluster insights are not computed by Skiff.'),
};

export const registrations = {
  register: notOffered('Registering an external cluster (EKS Connector) is not available in Skiff.'),
  /** Skiff's clusters are EKS clusters, none registered: deregistering one names no registered cluster. */
  deregister: (async (ctx, { params }) => {
    await requireCluster(ctx, params.name);
    throw new EksError('ResourceNotFoundException', `No registered cluster found for name: ${params.name}.`, {
      clusterName: params.name,
    });
  }) as Route,
};
