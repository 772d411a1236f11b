// The client interface every Skiff component uses to reach the Kubernetes API: controllers, schedulers, agents,
// the EKS API's side effects and the CLI. Two implementations: in-process (through the same admission and
// validation as HTTP requests) and HTTPS (a kubeconfig's server and token). Errors are ApiError (a kube Status).
import type { DeleteOptions, KubeList, KubeObject, KubeWatchEvent } from '../api/types.js';

/** Names a resource by apiVersion ("v1", "apps/v1") and kind ("Pod") — or by plural resource name ("pods"). */
export interface ResourceRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
}

export interface ListParams {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

export interface WatchParams {
  labelSelector?: string;
  fieldSelector?: string;
  /** Watch changes after this resourceVersion (usually the list's). */
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
}

export type PatchType = 'strategic' | 'merge' | 'json' | 'apply';

export interface WriteParams {
  dryRun?: boolean;
  fieldManager?: string;
  /** Server-side apply: take fields other managers own (kubectl's --force-conflicts). */
  force?: boolean;
  /** Write a subresource instead of the main resource ("status", "scale", "binding", "eviction"). */
  subresource?: string;
}

export interface Watcher {
  close(): void;
  /** Resolves when the watch ends: closed by the caller, timed out, or ended by the server. */
  done: Promise<void>;
}

export interface KubeClient {
  get<T extends KubeObject = KubeObject>(ref: ResourceRef, name: string, subresource?: string): Promise<T>;
  list<T extends KubeObject = KubeObject>(ref: ResourceRef, params?: ListParams): Promise<KubeList<T>>;
  create<T extends KubeObject = KubeObject>(object: T, params?: WriteParams): Promise<T>;
  /** Creates a subresource object, such as a pod's Binding or Eviction, under the named parent. */
  createSubresource<T extends KubeObject = KubeObject>(
    parent: ResourceRef,
    name: string,
    subresource: string,
    body: KubeObject,
  ): Promise<T>;
  update<T extends KubeObject = KubeObject>(object: T, params?: WriteParams): Promise<T>;
  patch<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    name: string,
    patch: unknown,
    type: PatchType,
    params?: WriteParams,
  ): Promise<T>;
  delete(ref: ResourceRef, name: string, options?: DeleteOptions): Promise<KubeObject>;
  watch<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    params: WatchParams,
    onEvent: (event: KubeWatchEvent<T>) => void,
  ): Promise<Watcher>;
}
