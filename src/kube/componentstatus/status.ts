// ComponentStatuses (`kubectl get cs`, deprecated since 1.19 but still served by kube-apiserver 1.32): the health
// of the scheduler, the controller manager and the store (etcd-0), asked each time they are read. The scheduler's
// and controller manager's checks are registered on the API context by whatever runs them in this process (the
// control plane of `skiff up`); one that is not registered here is Unhealthy, as kube-apiserver reports a component
// it cannot reach. The store answers by reading its current revision.
import { internalError } from '../api/errors.js';
import type { KubeList, KubeObject } from '../api/types.js';
import type { ApiContext } from '../rest/context.js';

/** Resolves when the component is healthy; throws (its message is shown) when it is not. */
export type HealthCheck = () => Promise<void>;

export const deprecationWarning = '299 - "v1 ComponentStatus is deprecated in v1.19+"';
const components = ['scheduler', 'controller-manager', 'etcd-0'] as const;

/** What runs the scheduler and the controllers in this process registers their checks here. */
const checks = new WeakMap<ApiContext, Map<string, HealthCheck>>();

export function registerComponentHealth(ctx: ApiContext, name: string, check: HealthCheck): () => void {
  const registered = checks.get(ctx) ?? new Map<string, HealthCheck>();
  checks.set(ctx, registered);
  registered.set(name, check);
  return () => {
    if (registered.get(name) === check) registered.delete(name);
  };
}

async function probe(ctx: ApiContext, name: string): Promise<{ healthy: boolean; message: string }> {
  const check: HealthCheck | undefined =
    name === 'etcd-0' ? async () => void (await ctx.store.currentRevision()) : checks.get(ctx)?.get(name);
  if (!check) return { healthy: false, message: `no ${name} runs with this API server` };
  try {
    await check();
    return { healthy: true, message: 'ok' };
  } catch (error) {
    return { healthy: false, message: (error as Error)?.message ?? String(error) };
  }
}

async function componentStatus(ctx: ApiContext, name: string): Promise<KubeObject> {
  const { healthy, message } = await probe(ctx, name);
  const condition = healthy
    ? { type: 'Healthy', status: 'True', message }
    : { type: 'Healthy', status: 'False', message, error: message };
  return { apiVersion: 'v1', kind: 'ComponentStatus', metadata: { name }, conditions: [condition] };
}

export async function getComponentStatus(ctx: ApiContext, name: string): Promise<KubeObject> {
  // kube-apiserver's own error for a name it does not know: a plain error, so a 500.
  if (!(components as readonly string[]).includes(name)) throw internalError(`Component not found: ${name}`);
  return componentStatus(ctx, name);
}

export async function listComponentStatuses(ctx: ApiContext): Promise<KubeList> {
  const items = await Promise.all(components.map((name) => componentStatus(ctx, name)));
  // An unversioned list: no resourceVersion, as kube-apiserver answers.
  return { apiVersion: 'v1', kind: 'ComponentStatusList', metadata: {} as KubeList['metadata'], items };
}
