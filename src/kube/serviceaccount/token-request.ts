// POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token: an authentication.k8s.io/v1 TokenRequest answered as
// kube-apiserver does — audiences (default: the API's), expirationSeconds (default 3600, at least 600), a
// boundObjectRef to a Pod, Secret or Node that must exist with that UID — with a signed JWT and its expiry.
import { badRequest, conflict, invalid, notFound, serverNotFound } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import type { ApiContext, RequestOptions } from '../rest/context.js';
import { nowTimestamp } from '../rest/context.js';
import { getObject } from '../storage/objects.js';
import { apiAudiences, type BoundRef } from './signer.js';

const boundKinds: Record<string, string> = { Pod: 'pods', Secret: 'secrets', Node: 'nodes' };
const defaultExpirationSeconds = 3600;
const minExpirationSeconds = 600;
const extendedRequestSeconds = 3607;
const extendedExpirationSeconds = 365 * 24 * 3600;

export async function requestToken(
  ctx: ApiContext,
  namespace: string,
  name: string,
  request: KubeObject,
  _options: RequestOptions = {},
): Promise<KubeObject> {
  const signer = ctx.tokenSigner;
  if (!signer) throw serverNotFound();
  const spec = request?.spec ?? {};
  const expirationSeconds = spec.expirationSeconds ?? defaultExpirationSeconds;
  if (!Number.isInteger(expirationSeconds) || expirationSeconds < minExpirationSeconds) {
    throw invalid('TokenRequest', 'authentication.k8s.io', name, [
      {
        field: 'spec.expirationSeconds',
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${expirationSeconds}: may not specify a duration less than 10 minutes`,
      },
    ]);
  }
  if (expirationSeconds > 2 ** 32) {
    throw invalid('TokenRequest', 'authentication.k8s.io', name, [
      {
        field: 'spec.expirationSeconds',
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${expirationSeconds}: may not specify a duration larger than 2^32 seconds`,
      },
    ]);
  }
  const audiences: string[] = Array.isArray(spec.audiences) && spec.audiences.length ? spec.audiences : apiAudiences;
  const lookup = (resource: string, ns: string | undefined, objectName: string) =>
    getObject(ctx.store, ctx.registry.lookup('', 'v1', resource)!, ns, objectName);
  const account = await lookup('serviceaccounts', namespace, name);
  if (!account) throw notFound('serviceaccounts', name);

  let bound: BoundRef | undefined;
  const ref = spec.boundObjectRef;
  if (ref) {
    const resource = boundKinds[ref.kind];
    if (!resource || (ref.apiVersion && ref.apiVersion !== 'v1')) {
      throw badRequest(`cannot bind token for object of type ${ref.apiVersion ?? ''}, Kind=${ref.kind}`);
    }
    const object = await lookup(resource, ref.kind === 'Node' ? undefined : namespace, ref.name);
    if (!object) throw notFound(resource, ref.name);
    if (ref.uid && ref.uid !== object.metadata.uid) {
      throw conflict(
        ref.kind,
        ref.name,
        `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
      );
    }
    bound = { kind: ref.kind, name: ref.name, uid: object.metadata.uid! };
    // A pod-bound token names the pod's node too (ServiceAccountTokenPodNodeInfo).
    const nodeName = ref.kind === 'Pod' ? object.spec?.nodeName : undefined;
    const node = nodeName ? await lookup('nodes', undefined, nodeName) : undefined;
    if (node) bound.node = { name: nodeName, uid: node.metadata.uid! };
  }

  // The kubelet's default token volume asks for 3607 s; kube-apiserver (--service-account-extend-token-expiration)
  // makes that a year and says when a client should have refreshed it (warnafter).
  const extended = bound?.kind === 'Pod' && expirationSeconds === extendedRequestSeconds;
  const { token, claims } = signer.issue({
    namespace,
    serviceAccount: { name, uid: account.metadata.uid! },
    audiences,
    expirationSeconds: extended ? extendedExpirationSeconds : expirationSeconds,
    warnAfterSeconds: extended ? expirationSeconds : undefined,
    bound,
  });
  return {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    metadata: { name, namespace, creationTimestamp: nowTimestamp() },
    spec: {
      audiences,
      expirationSeconds,
      boundObjectRef: bound ? { kind: bound.kind, apiVersion: 'v1', name: bound.name, uid: bound.uid } : null,
    },
    status: { token, expirationTimestamp: new Date(claims.exp * 1000).toISOString().replace(/\.\d+Z$/, 'Z') },
  };
}
