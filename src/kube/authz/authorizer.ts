// kube-apiserver's authorizer chain (--authorization-mode=Node,RBAC) with the `system:masters` bypass before it
// and any hooks (EKS access policies) between Node and RBAC:
// the first authorizer that allows decides; none allowing is a 403. `rulesFor` answers SelfSubjectRulesReview
// from the same chain.
import type { Backend } from '../../store/types.js';
import type { UserInfo } from '../auth/types.js';
import type { Attributes } from './attributes.js';
import { RbacCache } from './cache.js';
import { authorizeNode, nodeRules } from './node.js';
import { authorizeRbac, type Decision, rbacRulesFor } from './rbac.js';
import type { PolicyRule } from './rules.js';

export const mastersGroup = 'system:masters';

const everything: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

/** Another authorizer in the chain, before RBAC (EKS access policies): allows, or has no opinion. */
export interface AuthorizerHook {
  authorize(a: Attributes, cache: RbacCache): Decision | undefined;
  rulesFor(user: UserInfo, namespace: string, cache: RbacCache): PolicyRule[];
}

export class Authorizer {
  /** Run on stop (the aggregation controller's). */
  readonly stops: (() => void)[] = [];
  readonly hooks: AuthorizerHook[] = [];

  constructor(readonly cache: RbacCache) {}

  static async start(store: Backend): Promise<Authorizer> {
    const cache = new RbacCache();
    await cache.start(store);
    return new Authorizer(cache);
  }

  stop(): void {
    for (const stop of this.stops.splice(0)) stop();
    this.cache.stop();
  }

  authorize(a: Attributes): Decision {
    if (a.user.groups.includes(mastersGroup)) return { allowed: true, reason: '' };
    const node = authorizeNode(this.cache, a);
    if (node.allowed) return node;
    for (const hook of this.hooks) {
      const decision = hook.authorize(a, this.cache);
      if (decision?.allowed) return decision;
    }
    return authorizeRbac(this.cache, a);
  }

  rulesFor(user: UserInfo, namespace: string): { rules: PolicyRule[]; incomplete: boolean } {
    if (user.groups.includes(mastersGroup)) {
      const rbac = rbacRulesFor(this.cache, user, namespace);
      return { rules: [...everything, ...rbac.rules], incomplete: rbac.incomplete };
    }
    const rbac = rbacRulesFor(this.cache, user, namespace);
    const hooked = this.hooks.flatMap((hook) => hook.rulesFor(user, namespace, this.cache));
    return { rules: [...nodeRules(this.cache, user), ...hooked, ...rbac.rules], incomplete: rbac.incomplete };
  }
}
