// Who a write is made for: the component and the work-queue key whose reconcile is running, carried through the
// async calls of that reconcile (AsyncLocalStorage) so that the API's write guard can count writes per reconciled
// object and name the object and the controller when one runs away. Writes outside any reconcile have no cause.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface WriteCause {
  /** The controller or scheduler, as its errors and events name it (e.g. "deployment-controller"). */
  component: string;
  /** The work-queue key being reconciled (`namespace/name`, a name, or a uid). */
  key: string;
  /** The kind of object the key names, when it names a kube object. */
  object?: { apiVersion: string; kind: string };
}

const causes = new AsyncLocalStorage<WriteCause>();

/** Runs `fn` with `cause` as the cause of every write it makes. */
export function withWriteCause<T>(cause: WriteCause, fn: () => T): T {
  return causes.run(cause, fn);
}

/** Runs `fn` as a write of no reconcile's (the guard's own Event about a runaway, for one). */
export function withoutWriteCause<T>(fn: () => T): T {
  // run(undefined) rather than exit(): Node 20's exit() disables the storage, which turns the promise hooks of every
  // AsyncLocalStorage off and on again around each call (each watch event an in-process watcher gets).
  return causes.run(undefined as unknown as WriteCause, fn);
}

export function currentWriteCause(): WriteCause | undefined {
  return causes.getStore();
}
