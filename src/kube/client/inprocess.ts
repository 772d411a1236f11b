// The in-process KubeClient: controllers, schedulers and agents in the `skiff up` process call the REST verbs
// directly — the same admission, validation and storage as an HTTPS request, without the network. A body is copied
// as a tree, as its JSON would carry it: a part the caller shares between two places arrives as two copies.
import { notFound } from '../api/errors.js';
import type { DeleteOptions, KubeList, KubeObject, KubeWatchEvent } from '../api/types.js';
import type { UserInfo } from '../auth/types.js';
import { authorizeCall } from '../authz/request.js';
import type { ResourceInfo } from '../resources/types.js';
import type { ApiContext } from '../rest/context.js';
import { createObject } from '../rest/create.js';
import { deleteObject } from '../rest/delete.js';
import { getOne } from '../rest/get.js';
import { listObjects } from '../rest/list.js';
import { patchObject } from '../rest/patch.js';
import { bindPod, evictPod, getScale, writeScale } from '../rest/subresources.js';
import { updateObject } from '../rest/update.js';
import { watchObjects } from '../rest/watch.js';
import { requestToken } from '../serviceaccount/token-request.js';
import { copyOfTree } from './copy.js';
import type { KubeClient, ListParams, PatchType, ResourceRef, Watcher, WatchParams, WriteParams } from './types.js';
import { withoutWriteCause } from './write-cause.js';

export class InProcessClient implements KubeClient {
  constructor(
    private ctx: ApiContext,
    private user: UserInfo,
  ) {}

  private resolve(ref: { apiVersion: string; kind: string }): ResourceInfo {
    const info = this.ctx.registry.lookupKind(ref.apiVersion, ref.kind);
    if (info) return info;
    const [group, version] = ref.apiVersion.includes('/') ? ref.apiVersion.split('/') : ['', ref.apiVersion];
    const byResource = this.ctx.registry.lookup(group, version, ref.kind);
    if (byResource) return byResource;
    throw notFound(ref.kind, ref.kind);
  }

  /** RBAC for this client's user (its components' identity), as for an HTTPS request. */
  private authorize(verb: string, info: ResourceInfo, namespace?: string, name?: string, subresource?: string) {
    authorizeCall(this.ctx.authorizer, this.user, verb, info, namespace, name, subresource);
  }

  private options(params: WriteParams = {}) {
    return {
      user: this.user,
      dryRun: params.dryRun,
      fieldManager: params.fieldManager,
      force: params.force,
      subresource: params.subresource,
    };
  }

  async get<T extends KubeObject>(ref: ResourceRef, name: string, subresource?: string): Promise<T> {
    const info = this.resolve(ref);
    this.authorize('get', info, ref.namespace, name, subresource);
    if (subresource === 'scale') return (await getScale(this.ctx, info, ref.namespace, name)) as T;
    return (await getOne(this.ctx, info, ref.namespace, name)) as T;
  }

  async list<T extends KubeObject>(ref: ResourceRef, params: ListParams = {}): Promise<KubeList<T>> {
    const info = this.resolve(ref);
    this.authorize('list', info, ref.namespace);
    return (await listObjects(this.ctx, info, ref.namespace, params)) as KubeList<T>;
  }

  async create<T extends KubeObject>(object: T, params?: WriteParams): Promise<T> {
    const info = this.resolve(object);
    this.authorize('create', info, object.metadata?.namespace);
    const copy = copyOfTree(object);
    return (await createObject(this.ctx, info, copy.metadata?.namespace, copy, this.options(params))) as T;
  }

  async createSubresource<T extends KubeObject>(
    parent: ResourceRef,
    name: string,
    subresource: string,
    body: KubeObject,
  ): Promise<T> {
    const info = this.resolve(parent);
    this.authorize('create', info, parent.namespace, name, subresource);
    const options = this.options({ subresource });
    if (subresource === 'binding')
      return (await bindPod(this.ctx, info, parent.namespace!, name, body, options)) as any;
    if (subresource === 'eviction')
      return (await evictPod(this.ctx, info, parent.namespace!, name, body, options)) as any;
    if (subresource === 'token') return (await requestToken(this.ctx, parent.namespace!, name, body, options)) as any;
    throw notFound(`${info.resource}/${subresource}`, name);
  }

  async update<T extends KubeObject>(object: T, params?: WriteParams): Promise<T> {
    const info = this.resolve(object);
    const copy = copyOfTree(object);
    const { namespace, name } = copy.metadata;
    this.authorize('update', info, namespace, name, params?.subresource);
    if (params?.subresource === 'scale') {
      return (await writeScale(this.ctx, info, namespace, name!, { scale: copy }, this.options(params))) as T;
    }
    return (await updateObject(this.ctx, info, namespace, name!, copy, this.options(params))) as T;
  }

  async patch<T extends KubeObject>(
    ref: ResourceRef,
    name: string,
    patch: unknown,
    type: PatchType,
    params?: WriteParams,
  ): Promise<T> {
    const info = this.resolve(ref);
    this.authorize('patch', info, ref.namespace, name, params?.subresource);
    if (params?.subresource === 'scale') {
      return (await writeScale(this.ctx, info, ref.namespace, name, { patch, type }, this.options(params))) as T;
    }
    const result = await patchObject(
      this.ctx,
      info,
      ref.namespace,
      name,
      copyOfTree(patch),
      type,
      this.options(params),
    );
    return result.object as T;
  }

  async delete(ref: ResourceRef, name: string, options?: DeleteOptions): Promise<KubeObject> {
    const info = this.resolve(ref);
    this.authorize('delete', info, ref.namespace, name);
    return (await deleteObject(this.ctx, info, ref.namespace, name, options, { user: this.user })) as KubeObject;
  }

  async watch<T extends KubeObject>(
    ref: ResourceRef,
    params: WatchParams,
    onEvent: (event: KubeWatchEvent<T>) => void,
  ): Promise<Watcher> {
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    let timer: NodeJS.Timeout | undefined;
    let active: { close(): void } | undefined;
    const close = () => {
      clearTimeout(timer);
      active?.close();
      finish();
    };
    const info = this.resolve(ref);
    this.authorize('watch', info, ref.namespace);
    active = await watchObjects(this.ctx, info, ref.namespace, params, (event) => {
      // Delivered inside the write that made it: what the watcher does next is not that write's reconcile (over
      // HTTP it could not be), so it does not inherit the writer's cause.
      withoutWriteCause(() => onEvent(event as KubeWatchEvent<T>));
      if (event.type === 'ERROR') queueMicrotask(close);
    });
    if (params.timeoutSeconds) timer = setTimeout(close, params.timeoutSeconds * 1000);
    return { close, done };
  }
}
