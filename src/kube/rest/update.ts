// UPDATE (PUT) and the commit step every write of an existing object goes through (update, patch, scale,
// finalizer changes): immutable metadata kept, status and spec kept apart by subresource, generation bumped on
// spec changes, admission and validation, then a store update guarded by the old revision.
import { isDeepStrictEqual } from 'node:util';
import { ConflictError, KeyNotFoundError } from '../../store/errors.js';
import { badRequest, conflict } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import { copyOf, copyOfTree } from '../client/copy.js';
import { recordUpdate, withManagedFieldsSent } from '../managedfields/record.js';
import { writerOf } from '../managedfields/writer.js';
import { isObject } from '../patch/json.js';
import type { ResourceInfo } from '../resources/types.js';
import { qualifiedName } from '../resources/types.js';
import { decode, encode, objectKey, storedTextOf } from '../storage/objects.js';
import { strategyFor, tracksGeneration } from '../strategy/index.js';
import { type ApiContext, notifyWrite, type RequestOptions } from './context.js';
import { checkDecodableTypes, dropUnknownFields } from './decode-types.js';
import { updateEphemeralContainers } from './ephemeral-containers.js';
import { getOne } from './get.js';
import { checkTypeAndNamespace, validateObject } from './prepare.js';
import { schemaOf } from './schema-of.js';
import { writeEncoded } from './written.js';

const modified = 'the object has been modified; please apply your changes to the latest version and try again';

export function conflictError(info: ResourceInfo, name: string) {
  return conflict(qualifiedName(info), name, modified, info.group, info.resource);
}

function specOf(object: KubeObject): unknown {
  const { metadata: _m, status: _s, ...rest } = object;
  return rest;
}

/** What Go's decoder makes of a written object: `null` (a patch can leave one) decodes to an empty object and empty metadata. */
function decodedShape(next: unknown): KubeObject {
  const object = (isObject(next) ? next : {}) as KubeObject;
  if (!isObject(object.metadata)) object.metadata = {};
  return object;
}

/** A copy of `old` with `field` set to `value` (in its place), the rest copied and the old value of `field` not. */
function withField(old: KubeObject, field: string, value: unknown): KubeObject {
  const out: Record<string, unknown> = {};
  for (const key in old) out[key] = key === field ? value : copyOfTree(old[key]);
  if (!(field in out)) out[field] = value;
  return out as KubeObject;
}

/** Merges the desired object onto the stored one per the subresource being written and the kind's strategy. */
function prepareUpdate(info: ResourceInfo, old: KubeObject, next: KubeObject, subresource?: string): KubeObject {
  if (subresource === 'status') {
    next = withField(old, 'status', next.status);
  } else if (subresource === 'ephemeralcontainers') {
    next = updateEphemeralContainers(old, next);
  } else if (subresource === 'finalize') {
    next = { ...copyOfTree(old), spec: { ...old.spec, finalizers: next.spec?.finalizers ?? [] } };
  } else if (!subresource) {
    if (info.hasStatus) next.status = copyOfTree(old.status);
    strategyFor(info).prepareForUpdate?.(next, old);
  }
  // The internal `delete` marker is the DELETE verb setting deletionTimestamp (and a namespace's phase).
  const deletion = subresource === 'delete' ? [] : ['deletionTimestamp', 'deletionGracePeriodSeconds'];
  const keep = ['uid', 'creationTimestamp', 'namespace', 'name', ...deletion];
  for (const field of keep) {
    if (old.metadata[field] === undefined) delete next.metadata[field];
    else next.metadata[field] = old.metadata[field];
  }
  if (tracksGeneration(info)) {
    const changed = !isDeepStrictEqual(specOf(old), specOf(next));
    next.metadata.generation = (old.metadata.generation ?? 1) + (changed ? 1 : 0);
  }
  next.apiVersion = old.apiVersion;
  next.kind = old.kind;
  return next;
}

/**
 * Whether an update leaves the object as it was: its bytes are the stored ones (as kube-apiserver compares them),
 * or, where only JSON's key order differs (same length), the two objects are equal.
 */
function unchanged(info: ResourceInfo, old: KubeObject, next: KubeObject, text: string): boolean {
  const stored = storedTextOf(old) ?? encode(old, info);
  return text === stored || (text.length === stored.length && isDeepStrictEqual(next, old));
}

/** A marked object goes once no finalizer (nor a namespace's spec finalizer) nor grace period holds it. */
function deletionComplete(object: KubeObject): boolean {
  const meta = object.metadata;
  if (!meta.deletionTimestamp || meta.finalizers?.length || (meta.deletionGracePeriodSeconds ?? 0) > 0) return false;
  return !(object.kind === 'Namespace' && object.spec?.finalizers?.length);
}

/** Writes `next` over `old`; returns the stored result. Throws the store's ConflictError on a lost race. */
export async function commitUpdate(
  ctx: ApiContext,
  info: ResourceInfo,
  old: KubeObject,
  next: KubeObject,
  options: RequestOptions = {},
): Promise<KubeObject> {
  checkDecodableTypes(info, next, options.touched);
  next = decodedShape(next);
  dropUnknownFields(info, next, options.touched);
  const sentManagedFields = next.metadata.managedFields;
  next = prepareUpdate(info, old, next, options.subresource);
  if (!options.managedFieldsRecorded) {
    recordUpdate(withManagedFieldsSent(old, sentManagedFields), next, schemaOf(info), writerOf(info, options));
  }
  const name = old.metadata.name!;
  const request = {
    operation: 'UPDATE' as const,
    resource: info,
    subresource: options.subresource,
    namespace: old.metadata.namespace,
    name,
    object: next,
    oldObject: old,
    user: options.user,
    dryRun: Boolean(options.dryRun),
  };
  await ctx.admission.admit(request);
  validateObject(info, next, old);
  await ctx.admission.validate(request);
  next.metadata.resourceVersion = old.metadata.resourceVersion;
  if (options.dryRun) return next;
  const text = encode(next, info);
  if (unchanged(info, old, next, text)) return next;
  const key = objectKey(info, old.metadata.namespace, name);
  const expected = Number(old.metadata.resourceVersion);
  if (deletionComplete(next)) {
    const kv = await ctx.store.delete(key, expected);
    const deleted = decode(kv, info);
    await notifyWrite(ctx, info, deleted, true);
    return deleted;
  }
  const stored = await writeEncoded(info, key, text, next, () => ctx.store.update(key, text, expected));
  await notifyWrite(ctx, info, stored);
  return stored;
}

/**
 * Re-reads and retries `mutate` on lost races (unconditional writes), as kube-apiserver's GuaranteedUpdate
 * does. `mutate` returns the desired object, given the stored one.
 */
export async function guaranteedUpdate(
  ctx: ApiContext,
  info: ResourceInfo,
  namespace: string | undefined,
  name: string,
  mutate: (old: KubeObject) => Promise<KubeObject> | KubeObject,
  options: RequestOptions = {},
  preconditionResourceVersion?: string,
): Promise<KubeObject> {
  for (let attempt = 0; ; attempt++) {
    const old = await getOne(ctx, info, namespace, name);
    if (preconditionResourceVersion && preconditionResourceVersion !== old.metadata.resourceVersion) {
      throw conflictError(info, name);
    }
    try {
      return await commitUpdate(ctx, info, old, await mutate(copyOfTree(old)), options);
    } catch (error) {
      const raced = error instanceof ConflictError || error instanceof KeyNotFoundError;
      if (!raced) throw error;
      if (preconditionResourceVersion || attempt >= 8) throw conflictError(info, name);
    }
  }
}

export async function updateObject(
  ctx: ApiContext,
  info: ResourceInfo,
  namespace: string | undefined,
  name: string,
  body: KubeObject,
  options: RequestOptions = {},
): Promise<KubeObject> {
  checkTypeAndNamespace(info, namespace, body);
  if (body.metadata.name && body.metadata.name !== name) {
    throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
  }
  body.metadata.name = name;
  const precondition = body.metadata.resourceVersion || undefined;
  return guaranteedUpdate(ctx, info, namespace, name, () => copyOf(body), options, precondition);
}
