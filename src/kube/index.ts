// The embedded Kubernetes API as one unit: a context over a store (resources, admission, CRD sync, bootstrap
// objects), an in-process client, and the HTTPS server.
import type { Backend } from '../store/types.js';
import { AdmissionChain } from './admission/chain.js';
import { defaultTolerationSecondsAdmission } from './admission/default-toleration-seconds.js';
import type { UserInfo } from './auth/types.js';
import { loopbackUser } from './authz/identities.js';
import { installAuthorization } from './authz/install.js';
import { bootstrapCluster } from './bootstrap.js';
import { InProcessClient } from './client/inprocess.js';
import { installCrdSync } from './crd-sync.js';
import { ResourceRegistry } from './resources/registry.js';
import { apiVersionOf, type ResourceInfo } from './resources/types.js';
import type { ApiContext } from './rest/context.js';
import { installServiceAccounts, type ServiceAccountOptions } from './serviceaccount/index.js';
import type { ServiceRanges } from './services/allocator.js';
import { installServiceAllocation } from './services/index.js';
import { guardWrites, WriteGuard, type WriteGuardOptions } from './storage/write-guard.js';

export async function createApiContext(
  store: Backend,
  options: {
    garbageCollector?: boolean;
    serviceRanges?: ServiceRanges;
    /** ServiceAccount tokens: the signer, and the CA every namespace's kube-root-ca.crt carries. */
    serviceAccounts?: ServiceAccountOptions;
    /** RBAC on every HTTPS request, with kube-apiserver's default roles (default true). */
    authorization?: boolean;
    /** The runaway guard's limits (default on, 10,000 writes a minute per reconciled key); false: none. */
    writeGuard?: WriteGuardOptions | false;
  } = {},
): Promise<ApiContext> {
  const writeGuard = options.writeGuard === false ? undefined : new WriteGuard(options.writeGuard);
  const ctx: ApiContext = {
    store: writeGuard ? guardWrites(store, writeGuard) : store,
    writeGuard,
    registry: new ResourceRegistry(),
    admission: new AdmissionChain(),
    garbageCollector: options.garbageCollector ?? false,
    afterWrite: [],
  };
  await installCrdSync(ctx);
  await bootstrapCluster(ctx);
  await installServiceAllocation(ctx, options.serviceRanges);
  if (options.serviceAccounts) await installServiceAccounts(ctx, options.serviceAccounts);
  ctx.admission.addMutating(defaultTolerationSecondsAdmission);
  if (options.authorization !== false) await installAuthorization(ctx);
  return ctx;
}

/** Every resource that can be listed, watched and deleted, once per group and resource (what controllers track). */
export function trackedResources(ctx: ApiContext, filter: (info: ResourceInfo) => boolean = () => true) {
  const seen = new Set<string>();
  return ctx.registry
    .all()
    .filter((r) => ['list', 'watch', 'delete'].every((verb) => r.verbs.includes(verb)) && filter(r))
    .filter((r) => !seen.has(`${r.group}/${r.resource}`) && seen.add(`${r.group}/${r.resource}`))
    .map((r) => ({ apiVersion: apiVersionOf(r), kind: r.kind }));
}

/** Every namespaced resource (what a namespace's deletion empties). */
export function namespacedResources(ctx: ApiContext) {
  return trackedResources(ctx, (r) => r.namespaced);
}

const skiffClients = new WeakMap<ApiContext, InProcessClient>();

/**
 * An in-process client acting as `user`; without one, Skiff's own client for `ctx` — the same object for every
 * component of the process, so they share its informers (src/client/factory.ts).
 */
export function inProcessClient(ctx: ApiContext, user?: UserInfo): InProcessClient {
  if (user) return new InProcessClient(ctx, user);
  let client = skiffClients.get(ctx);
  if (!client) {
    client = new InProcessClient(ctx, loopbackUser);
    skiffClients.set(ctx, client);
  }
  return client;
}

export type { ApiContext } from './rest/context.js';
export { type KubeApiServer, startKubeApi, staticTokenAuthenticator } from './server/server.js';
export { serviceAccountTokenAuthenticator, TokenSigner } from './serviceaccount/index.js';
