// DELETE: preconditions, finalizers (the object stays with a deletionTimestamp until they are gone), graceful
// deletion of pods bound to a node (the node's agent finishes it), propagation finalizers when a garbage collector
// runs, then the store delete. DELETECOLLECTION deletes every object a list query selects.
import { KeyNotFoundError } from '../../store/errors.js';
import { conflict, statusSuccess } from '../api/errors.js';
import type { DeleteOptions, KubeObject, Status } from '../api/types.js';
import type { ResourceInfo } from '../resources/types.js';
import { qualifiedName } from '../resources/types.js';
import { decode, objectKey } from '../storage/objects.js';
import { type ApiContext, notifyWrite, nowTimestamp, type RequestOptions } from './context.js';
import { getOne } from './get.js';
import { type ListQuery, listObjects } from './list.js';
import { guaranteedUpdate } from './update.js';

function checkPreconditions(info: ResourceInfo, object: KubeObject, options: DeleteOptions): void {
  const pre = options.preconditions;
  const name = object.metadata.name!;
  if (pre?.uid && pre.uid !== object.metadata.uid) {
    throw conflict(
      qualifiedName(info),
      name,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${object.metadata.uid}`,
      info.group,
      info.resource,
    );
  }
  if (pre?.resourceVersion && pre.resourceVersion !== object.metadata.resourceVersion) {
    throw conflict(
      qualifiedName(info),
      name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${object.metadata.resourceVersion}`,
      info.group,
      info.resource,
    );
  }
}

/** The grace period a pod gets: only pods already on a node wait for their agent. */
function gracePeriod(info: ResourceInfo, object: KubeObject, options: DeleteOptions): number {
  if (info.group !== '' || info.resource !== 'pods') return 0;
  if (!object.spec?.nodeName || ['Succeeded', 'Failed'].includes(object.status?.phase)) return 0;
  return options.gracePeriodSeconds ?? object.spec?.terminationGracePeriodSeconds ?? 30;
}

function propagationFinalizer(ctx: ApiContext, options: DeleteOptions): string | undefined {
  if (!ctx.garbageCollector) return undefined;
  if (options.propagationPolicy === 'Foreground') return 'foregroundDeletion';
  if (options.propagationPolicy === 'Orphan') return 'orphan';
  return undefined;
}

function deletedResult(info: ResourceInfo, object: KubeObject): KubeObject | Status {
  if (info.group === '' && info.resource === 'pods') return object;
  if (info.custom) return object;
  return statusSuccess({
    name: object.metadata.name,
    group: info.group,
    kind: info.resource,
    uid: object.metadata.uid,
  });
}

export async function deleteObject(
  ctx: ApiContext,
  info: ResourceInfo,
  namespace: string | undefined,
  name: string,
  options: DeleteOptions = {},
  request: RequestOptions = {},
): Promise<KubeObject | Status> {
  for (;;) {
    const object = await getOne(ctx, info, namespace, name);
    checkPreconditions(info, object, options);
    await ctx.admission.validate({
      operation: 'DELETE',
      resource: info,
      namespace,
      name,
      oldObject: object,
      user: request.user,
      dryRun: Boolean(request.dryRun),
    });
    const grace = gracePeriod(info, object, options);
    const finalizer = propagationFinalizer(ctx, options);
    const isNamespace = info.group === '' && info.resource === 'namespaces';
    const finalizers = [...(object.metadata.finalizers ?? []), ...(isNamespace ? (object.spec?.finalizers ?? []) : [])];
    const pending = grace > 0 || finalizers.length > 0 || finalizer !== undefined;
    if (request.dryRun) return object;
    if (pending) {
      const mark = (current: KubeObject) => {
        const meta = current.metadata;
        const graceSoon = new Date(Date.now() + grace * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
        if (!meta.deletionTimestamp || (grace > 0 && grace < (meta.deletionGracePeriodSeconds ?? Infinity))) {
          meta.deletionTimestamp = grace > 0 ? graceSoon : nowTimestamp();
          meta.deletionGracePeriodSeconds = grace;
        }
        if (finalizer && !meta.finalizers?.includes(finalizer)) {
          meta.finalizers = [...(meta.finalizers ?? []), finalizer];
        }
        if (isNamespace) current.status = { ...current.status, phase: 'Terminating' };
        return current;
      };
      return guaranteedUpdate(ctx, info, namespace, name, mark, { ...request, subresource: 'delete' });
    }
    try {
      const kv = await ctx.store.delete(objectKey(info, namespace, name), Number(object.metadata.resourceVersion));
      const deleted = decode(kv, info);
      await notifyWrite(ctx, info, deleted, true);
      return deletedResult(info, deleted);
    } catch (error) {
      if (error instanceof KeyNotFoundError) return deletedResult(info, object);
      // Changed between read and delete: read again.
    }
  }
}

export async function deleteCollection(
  ctx: ApiContext,
  info: ResourceInfo,
  namespace: string | undefined,
  query: ListQuery,
  options: DeleteOptions = {},
  request: RequestOptions = {},
): Promise<KubeObject> {
  const list = await listObjects(ctx, info, namespace, { ...query, limit: 0, continue: undefined });
  const items: KubeObject[] = [];
  for (const object of list.items) {
    try {
      await deleteObject(ctx, info, object.metadata.namespace, object.metadata.name!, options, request);
      items.push(object);
    } catch (error: any) {
      if (error?.code !== 404) throw error;
    }
  }
  return { ...list, items } as unknown as KubeObject;
}
