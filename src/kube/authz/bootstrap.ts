// The default roles and bindings kube-apiserver creates at start (data/rbac/*.yaml), created when missing with
// the `kubernetes.io/bootstrapping: rbac-defaults` label and the autoupdate annotation, as its RBAC post-start
// hook does. Existing objects are left as their owners changed them.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../api/types.js';
import type { ApiContext } from '../rest/context.js';
import { createObject } from '../rest/create.js';

/** data/rbac/, from src/kube/authz/ or dist/kube/authz/ alike. */
export const bootstrapPolicyDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'data', 'rbac');

const files = ['cluster-roles.yaml', 'cluster-role-bindings.yaml', 'skiff-components.yaml'];

export function bootstrapPolicy(dir = bootstrapPolicyDir): KubeObject[] {
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((doc) => {
      const object = doc.toJS() as KubeObject;
      object.metadata.labels = { 'kubernetes.io/bootstrapping': 'rbac-defaults', ...object.metadata.labels };
      object.metadata.annotations = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };
      return object;
    }),
  );
}

const resourceOf: Record<string, string> = { ClusterRole: 'clusterroles', ClusterRoleBinding: 'clusterrolebindings' };

export async function createBootstrapPolicy(ctx: ApiContext, objects = bootstrapPolicy()): Promise<void> {
  for (const object of objects) {
    const info = ctx.registry.lookup('rbac.authorization.k8s.io', 'v1', resourceOf[object.kind])!;
    try {
      await createObject(ctx, info, undefined, structuredClone(object));
    } catch (error: any) {
      if (error?.code !== 409) throw error;
    }
  }
}
