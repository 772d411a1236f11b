// IAM access to the kube API as one unit: the access cache, the mapping the IAM token authenticator uses, and the
// access-policy authorizer added to the kube API's chain.
import type { UserInfo } from '../../kube/auth/types.js';
import type { Authorizer } from '../../kube/authz/authorizer.js';
import type { Backend } from '../../store/types.js';
import type { AwsCredentials } from '../credentials.js';
import { type CallerIdentity, rootIdentity } from '../iam/identity.js';
import { accessPolicyAuthorizer } from './authorizer.js';
import { AccessCache } from './cache.js';
import { mapCaller } from './mapping.js';

export interface IamAccess {
  mapIdentity(caller: CallerIdentity): Promise<UserInfo>;
  stop(): void;
}

export async function startIamAccess(
  store: Backend,
  clusterName: string,
  account: AwsCredentials,
  authorizer: Authorizer | undefined,
  kubeStore: Backend = store,
): Promise<IamAccess> {
  const cache = new AccessCache(store, clusterName, kubeStore);
  await cache.start();
  authorizer?.hooks.push(accessPolicyAuthorizer(cache));
  const creatorArn = rootIdentity(account).arn;
  return {
    mapIdentity: async (caller) =>
      mapCaller(caller, {
        mode: cache.mode,
        entries: [...cache.entries.values()].map((s) => s.entry),
        awsAuth: cache.awsAuth,
        creatorArn,
      }),
    stop: () => cache.stop(),
  };
}
