// Applying an add-on's objects as EKS's add-on manager does: server-side apply with field manager `eks`, after a
// dry run that finds the fields other managers own with other values. resolveConflicts NONE refuses them all
// (nothing is applied), OVERWRITE takes them, PRESERVE leaves them to their owners and applies the rest.
import { ApiError } from '../../kube/api/errors.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';

export const addonFieldManager = 'eks';

export interface Conflict {
  object: KubeObject;
  field: string;
}

const refOf = (o: KubeObject) => ({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace });

/** `Deployment.apps coredns - .spec.replicas`, as EKS lists conflicts. */
export function describeConflict({ object, field }: Conflict): string {
  const group = object.apiVersion.includes('/') ? `.${object.apiVersion.split('/')[0]}` : '';
  return `${object.kind}${group} ${object.metadata.name} - ${field}`;
}

/** Splits a managed-fields path (`.spec.template.spec.containers[name="coredns"].resources`) into steps. */
function steps(path: string): (string | { key: string; value: unknown })[] {
  const out: (string | { key: string; value: unknown })[] = [];
  for (const m of path.matchAll(/\.([^.[]+)|\[([^\]]*)\]/g)) {
    if (m[1] !== undefined) out.push(m[1]);
    else {
      const eq = m[2].indexOf('=');
      const key = m[2].slice(0, eq);
      let value: unknown = m[2].slice(eq + 1);
      try {
        value = JSON.parse(value as string);
      } catch {}
      out.push({ key, value });
    }
  }
  return out;
}

/** Removes the field at a managed-fields path from `object`, if it is there. */
export function removeField(object: any, path: string): void {
  const parts = steps(path);
  let node = object;
  for (const [i, step] of parts.entries()) {
    const last = i === parts.length - 1;
    if (typeof step === 'string') {
      if (node === null || typeof node !== 'object' || !(step in node)) return;
      if (last) delete node[step];
      else node = node[step];
    } else {
      if (!Array.isArray(node)) return;
      const at = node.findIndex((item) =>
        step.key === '' ? item === step.value : item && typeof item === 'object' && item[step.key] === step.value,
      );
      if (at < 0) return;
      if (last) node.splice(at, 1);
      else node = node[at];
    }
  }
}

async function applyOne(client: KubeClient, object: KubeObject, force: boolean, dryRun: boolean) {
  return client.patch(refOf(object), object.metadata.name!, object, 'apply', {
    fieldManager: addonFieldManager,
    force,
    dryRun,
  });
}

function conflictsOf(error: unknown, object: KubeObject): Conflict[] | undefined {
  if (!(error instanceof ApiError) || error.code !== 409) return undefined;
  const causes = (error.status as any).details?.causes ?? [];
  return causes.filter((c: any) => c.field).map((c: any) => ({ object, field: c.field as string }));
}

/** Applies the objects; returns the conflicts refused (NONE), none when all went in. Unserved kinds are skipped. */
export async function applyAddonObjects(
  client: KubeClient,
  objects: KubeObject[],
  resolveConflicts: 'OVERWRITE' | 'NONE' | 'PRESERVE',
): Promise<Conflict[]> {
  const force = resolveConflicts === 'OVERWRITE';
  const conflicts: Conflict[] = [];
  const toApply: KubeObject[] = [];
  for (const object of objects) {
    try {
      await applyOne(client, object, force, true);
      toApply.push(object);
    } catch (error) {
      if (error instanceof ApiError && error.code === 404) continue;
      const found = conflictsOf(error, object);
      if (!found) throw error;
      conflicts.push(...found);
      toApply.push(object);
    }
  }
  if (conflicts.length > 0 && resolveConflicts === 'NONE') return conflicts;
  for (const object of toApply) {
    const mine = conflicts.filter((c) => c.object === object);
    const trimmed = mine.length > 0 ? structuredClone(object) : object;
    for (const c of mine) removeField(trimmed, c.field);
    await applyOne(client, trimmed, force, false);
  }
  return [];
}

/** Deletes the objects (in reverse order), those already gone ignored. */
export async function removeAddonObjects(client: KubeClient, objects: KubeObject[]): Promise<void> {
  for (const object of [...objects].reverse()) {
    await client.delete(refOf(object), object.metadata.name!).catch((error) => {
      if (!(error instanceof ApiError && error.code === 404)) throw error;
    });
  }
}
