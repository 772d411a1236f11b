// kube-apiserver's authorizer chain (--authorization-mode=Node,RBAC) with the `system:masters` bypass before it:
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

export class Authorizer {
  /** Run on stop (the aggregation controller's). */
  readonly stops: (() => void)[] = [];

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
    return authorizeRbac(this.cache, a);
  }

  rulesFor(user: UserInfo, namespace: string): { rules: PolicyRule[]; incomplete: boolean } {
    if (user.groups.includes(mastersGroup)) {
      const rbac = rbacRulesFor(this.cache, user, namespace);
      return { rules: [...everything, ...rbac.rules], incomplete: rbac.incomplete };
    }
    const rbac = rbacRulesFor(this.cache, user, namespace);
    return { rules: [...nodeRules(this.cache, user), ...rbac.rules], incomplete: rbac.incomplete };
  }
}
