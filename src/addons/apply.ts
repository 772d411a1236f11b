// Creates the EKS add-ons in kube-system at cluster start, as EKS does when it creates a cluster: each object is
// created when it is missing and left as it is when it exists, so a restart adds nothing twice and keeps what a
// user changed since (scale, patched annotations, rollout restarts). Kinds the API does not serve (RBAC) are
// skipped and listed in the result (`skiff up` prints them with SKIFF_DEBUG): Skiff authorizes every authenticated
// user.
import { ApiError } from '../kube/api/errors.js';
import type { KubeObject } from '../kube/api/types.js';
import type { KubeClient } from '../kube/client/types.js';
import { type AddonValues, addonNames, addonObjects } from './manifests.js';

export interface ApplyResult {
  created: string[];
  kept: string[];
  /** Objects of kinds this API does not serve. */
  notServed: string[];
}

const describe = (o: KubeObject) =>
  `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;

const refOf = (o: KubeObject) => ({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace });

/** Whether the API serves the object's kind: a list of it answers (a 404 says the kind is unknown). */
async function served(client: KubeClient, object: KubeObject, known: Map<string, boolean>): Promise<boolean> {
  const key = `${object.apiVersion}/${object.kind}`;
  let answer = known.get(key);
  if (answer === undefined) {
    answer = await client.list(refOf(object), { limit: 1 }).then(
      () => true,
      (error) => {
        if (error instanceof ApiError && error.code === 404) return false;
        throw error;
      },
    );
    known.set(key, answer);
  }
  return answer;
}

async function exists(client: KubeClient, object: KubeObject): Promise<boolean> {
  return client.get(refOf(object), object.metadata.name!).then(
    () => true,
    (error) => {
      if (error instanceof ApiError && error.code === 404) return false;
      throw error;
    },
  );
}

export async function ensureAddons(client: KubeClient, values: AddonValues): Promise<ApplyResult> {
  const result: ApplyResult = { created: [], kept: [], notServed: [] };
  const known = new Map<string, boolean>();
  for (const name of addonNames) {
    for (const object of addonObjects(name, values)) {
      if (!(await served(client, object, known))) result.notServed.push(describe(object));
      else if (await exists(client, object)) result.kept.push(describe(object));
      else {
        await client.create(object, { fieldManager: 'eks' }).then(
          () => result.created.push(describe(object)),
          (error) => {
            if (!(error instanceof ApiError && error.code === 409)) throw error;
            result.kept.push(describe(object));
          },
        );
      }
    }
  }
  return result;
}
