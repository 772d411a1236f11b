// The kube API's authenticator for ServiceAccount tokens: a JWT this cluster signed, for one of the API's
// audiences, not expired, whose ServiceAccount still exists with the same UID and whose bound Pod, Secret or Node
// does too (and has not passed its deletion time) → `system:serviceaccount:<ns>:<name>` with the pod's extras; and
// the legacy token of a service-account-token Secret while that Secret holds it.
import { audiencesOf } from '../auth/jwt.js';
import type { AuthenticatedUser, Authenticator, UserInfo } from '../auth/types.js';
import type { ApiContext } from '../rest/context.js';
import { getObject } from '../storage/objects.js';
import { apiAudiences, type LegacyClaims, type TokenClaims } from './signer.js';

async function boundObjectAlive(ctx: ApiContext, claims: TokenClaims, now: number): Promise<boolean> {
  const k8s = claims['kubernetes.io'];
  const refs: [string, string | undefined, { name: string; uid: string } | undefined][] = [
    ['pods', k8s.namespace, k8s.pod],
    ['secrets', k8s.namespace, k8s.secret],
    ['nodes', undefined, k8s.node],
  ];
  for (const [resource, namespace, ref] of refs) {
    if (!ref) continue;
    const object = await getObject(ctx.store, ctx.registry.lookup('', 'v1', resource)!, namespace, ref.name);
    if (!object || object.metadata.uid !== ref.uid) return false;
    const deletion = object.metadata.deletionTimestamp;
    if (deletion && Date.parse(deletion) < now) return false;
  }
  return true;
}

const groupsOf = (namespace: string) => [
  'system:serviceaccounts',
  `system:serviceaccounts:${namespace}`,
  'system:authenticated',
];

/** A Secret's legacy token: accepted while the Secret still holds it and its ServiceAccount is the same. */
async function legacyUser(ctx: ApiContext, claims: LegacyClaims, token: string): Promise<UserInfo | undefined> {
  const namespace = claims['kubernetes.io/serviceaccount/namespace'];
  const secretName = claims['kubernetes.io/serviceaccount/secret.name'];
  const secret = await getObject(ctx.store, ctx.registry.lookup('', 'v1', 'secrets')!, namespace, secretName);
  if (!secret?.data?.token || Buffer.from(secret.data.token, 'base64').toString('utf8') !== token) return undefined;
  const accountName = claims['kubernetes.io/serviceaccount/service-account.name'];
  const info = ctx.registry.lookup('', 'v1', 'serviceaccounts')!;
  const account = await getObject(ctx.store, info, namespace, accountName);
  const uid = claims['kubernetes.io/serviceaccount/service-account.uid'];
  if (!account || account.metadata.uid !== uid) return undefined;
  return { username: claims.sub, uid, groups: groupsOf(namespace) };
}

export function serviceAccountTokenAuthenticator(ctx: ApiContext): Authenticator {
  return async (token: string, requested?: string[]): Promise<AuthenticatedUser | undefined> => {
    const signer = ctx.tokenSigner;
    if (!signer) return undefined;
    const legacy = signer.verifyLegacy(token);
    if (legacy) return legacyUser(ctx, legacy, token);
    const now = Date.now();
    const claims = signer.verify(token, now);
    if (!claims) return undefined;
    const wanted = requested?.length ? requested : apiAudiences;
    const audiences = audiencesOf(claims).filter((a) => wanted.includes(a));
    if (audiences.length === 0) return undefined;
    const k8s = claims['kubernetes.io'];
    const info = ctx.registry.lookup('', 'v1', 'serviceaccounts')!;
    const account = await getObject(ctx.store, info, k8s.namespace, k8s.serviceaccount.name);
    if (!account || account.metadata.uid !== k8s.serviceaccount.uid) return undefined;
    if (!(await boundObjectAlive(ctx, claims, now))) return undefined;
    const extra: Record<string, string[]> = { 'authentication.kubernetes.io/credential-id': [`JTI=${claims.jti}`] };
    if (k8s.pod) {
      extra['authentication.kubernetes.io/pod-name'] = [k8s.pod.name];
      extra['authentication.kubernetes.io/pod-uid'] = [k8s.pod.uid];
    }
    if (k8s.node) {
      extra['authentication.kubernetes.io/node-name'] = [k8s.node.name];
      extra['authentication.kubernetes.io/node-uid'] = [k8s.node.uid];
    }
    return {
      username: claims.sub,
      uid: k8s.serviceaccount.uid,
      groups: groupsOf(k8s.namespace),
      extra,
      audiences,
    };
  };
}
