// The store's one interface: a revisioned key-value log in the spirit of kine/etcd. Every write gets the next
// global revision; reads can be pinned to a revision; watches replay history from a revision, then go live.
// Backends (sqlite, memory, and later etcd) implement Backend; nothing here knows Kubernetes or AWS.

/** One stored version of a key. `value` is opaque text (the API layers store JSON). */
export interface KeyValue {
  key: string;
  value: string;
  /** Revision of the write that created the key (stays the same across updates). */
  createRevision: number;
  /** Revision of the write that produced this version (becomes `resourceVersion`). */
  modRevision: number;
}

export type WatchEventType = 'create' | 'update' | 'delete';

/** One change. For `delete`, `kv` is the last version before deletion, with `modRevision` = the delete's revision. */
export interface WatchEvent {
  type: WatchEventType;
  kv: KeyValue;
  prevKv?: KeyValue;
}

export interface ListOptions {
  /**
   * Read as of this revision (0 or absent: the current one). Fails with CompactedError when it is below the compacted
   * revision, with FutureRevisionError when it is above the current one.
   */
  revision?: number;
  /** At most this many items (0 or absent: no limit). */
  limit?: number;
  /** Start strictly after this key (for continue tokens). */
  startAfter?: string;
}

export interface ListResult {
  items: KeyValue[];
  /** The revision the list was read at. */
  revision: number;
  /** True when more keys under the prefix follow the last returned one. */
  more: boolean;
}

export interface WatchOptions {
  /** Deliver every change with a revision greater than this one (replaying history), then live changes. */
  afterRevision: number;
}

/** A live watch: events are pushed to the callback in revision order; `close` stops it. */
export interface Watch {
  close(): void;
}

export interface Backend {
  /** The latest committed revision (0 in an empty store). */
  currentRevision(): Promise<number>;
  /**
   * History at or below this revision is gone: listing at a revision below it, or watching from a revision below it,
   * fails with CompactedError (the state *at* the compacted revision itself can still be listed, as in etcd).
   */
  compactedRevision(): Promise<number>;
  get(key: string): Promise<KeyValue | undefined>;
  list(prefix: string, options?: ListOptions): Promise<ListResult>;
  /** Number of live keys under the prefix at the current revision. */
  count(prefix: string): Promise<number>;
  /** Fails with KeyExistsError when the key is live. */
  create(key: string, value: string): Promise<KeyValue>;
  /**
   * Replaces the value. When `expectedModRevision` is given and differs from the live version's, fails with
   * ConflictError; fails with KeyNotFoundError when the key is not live.
   */
  update(key: string, value: string, expectedModRevision?: number): Promise<KeyValue>;
  /** Deletes the key; returns the deleted version with `modRevision` set to the delete's revision. */
  delete(key: string, expectedModRevision?: number): Promise<KeyValue>;
  /**
   * Watches every key under the prefix. Fails (synchronously through the returned promise) with CompactedError
   * when `afterRevision` is below the compacted revision. `onEvent` is called in revision order, never concurrently.
   */
  watch(prefix: string, options: WatchOptions, onEvent: (event: WatchEvent) => void): Promise<Watch>;
  /**
   * Drops history at or below `revision`, keeping each key's latest live version as of it. Compacting at or below
   * the compacted revision does nothing; above the current revision fails with FutureRevisionError.
   */
  compact(revision: number): Promise<void>;
  /**
   * Writes are visible to every reader and watcher of this process as soon as they return, and on disk (surviving
   * kill -9) once this settles: undefined when every write so far already is. Whatever leaves the process — an
   * HTTP response, a watch event sent to a client — waits for it (kube/server/durable-response.ts). It rejects when
   * the disk refused a commit; the store then fails every later call.
   */
  durable(): Promise<void> | undefined;
  close(): Promise<void>;
}
