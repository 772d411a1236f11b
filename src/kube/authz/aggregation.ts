// The clusterrole-aggregation controller: a ClusterRole with an aggregationRule gets, in its stored `rules`, the
// rules of every ClusterRole its selectors match, rewritten whenever a ClusterRole changes (so `kubectl get
// clusterrole view -o yaml` shows what the role grants). The authorizer reads the same union from its cache.
import type { KubeObject } from '../api/types.js';
import type { ApiContext } from '../rest/context.js';
import { updateObject } from '../rest/update.js';
import { getObject } from '../storage/objects.js';
import type { RbacCache } from './cache.js';

export function startAggregation(ctx: ApiContext, cache: RbacCache): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  let stopped = false;
  const info = ctx.registry.lookup('rbac.authorization.k8s.io', 'v1', 'clusterroles')!;
  const sync = async () => {
    for (const role of cache.clusterRoles.values()) {
      if (stopped || !role.aggregationRule?.clusterRoleSelectors) continue;
      const rules = cache.clusterRoleRules(role.name) ?? [];
      if (JSON.stringify(rules) === JSON.stringify(role.rules)) continue;
      const stored = await getObject(ctx.store, info, undefined, role.name);
      if (!stored) continue;
      const updated: KubeObject = { ...stored, rules };
      await updateObject(ctx, info, undefined, role.name, updated, {}).catch(() => schedule());
    }
  };
  const schedule = () => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      running = running.then(sync).catch(() => {});
    }, 20);
    timer.unref();
  };
  cache.onChange(schedule);
  schedule();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
