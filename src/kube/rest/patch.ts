// PATCH in its four content types: strategic merge (built-in kinds only; 415 for custom resources), JSON merge,
// JSON patch, and server-side apply (which creates the object when it is missing). The patched object then goes
// through the same commit as an update, retried on lost races.
import { unsupportedMediaType } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import type { PatchType } from '../client/types.js';
import { serverSideApply } from '../managedfields/apply.js';
import { applyWriterOf } from '../managedfields/writer.js';
import { applyJsonPatch, mergePatchObject, strategicMergePatch, touchedFields } from '../patch/index.js';
import type { ResourceInfo } from '../resources/types.js';
import { type Schema, schemaForKind } from '../schema/index.js';
import type { ApiContext, RequestOptions } from './context.js';
import { createObject } from './create.js';
import { schemaOf } from './schema-of.js';
import { guaranteedUpdate } from './update.js';

export const patchContentTypes: Record<string, PatchType> = {
  'application/strategic-merge-patch+json': 'strategic',
  'application/merge-patch+json': 'merge',
  'application/json-patch+json': 'json',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+cbor': 'apply',
};

function patchSchema(info: ResourceInfo, subresource?: string): Schema | undefined {
  if (subresource === 'scale') return schemaForKind('autoscaling', 'v1', 'Scale');
  return schemaOf(info);
}

export function applyPatch(
  info: ResourceInfo,
  original: KubeObject,
  patch: unknown,
  type: PatchType,
  subresource?: string,
  options: RequestOptions = {},
): KubeObject {
  const schema = patchSchema(info, subresource);
  switch (type) {
    case 'strategic':
      if (info.custom) throw unsupportedMediaType();
      return strategicMergePatch(original, patch, schema) as KubeObject;
    case 'merge':
      return mergePatchObject(original, patch) as KubeObject;
    case 'json':
      return applyJsonPatch(original, patch);
    case 'apply':
      return serverSideApply(original, patch, schema, applyWriterOf(info, options), Boolean(options.force));
  }
}

export async function patchObject(
  ctx: ApiContext,
  info: ResourceInfo,
  namespace: string | undefined,
  name: string,
  patch: unknown,
  type: PatchType,
  options: RequestOptions = {},
): Promise<{ object: KubeObject; created: boolean }> {
  try {
    const object = await guaranteedUpdate(
      ctx,
      info,
      namespace,
      name,
      (old) => applyPatch(info, old, patch, type, options.subresource, options),
      type === 'apply'
        ? { ...options, managedFieldsRecorded: true }
        : { ...options, touched: touchedFields(patch, type) },
    );
    return { object, created: false };
  } catch (error: any) {
    if (type !== 'apply' || error?.code !== 404 || options.subresource) throw error;
    const fresh = serverSideApply(undefined, patch, schemaOf(info), applyWriterOf(info, options), true);
    fresh.metadata = { ...fresh.metadata, name, namespace };
    const created = await createObject(ctx, info, namespace, fresh, { ...options, managedFieldsRecorded: true });
    return { object: created, created: true };
  }
}
