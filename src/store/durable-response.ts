// An HTTP response that shows the store only once what it could show is on disk: its body's writes (and its end)
// made while the store has writes not yet durable wait for them, in order, so no client is ever told of a write
// that kill -9 could still take back (the group commit of sqlite.ts). With nothing pending they pass straight
// through. Headers are stored by writeHead and sent with the first body bytes, so they wait too; a stream that
// flushes its headers early (a watch) shows nothing of the store by them. A commit the disk refuses ends the
// response's connection: what it would have said is not on disk.
import type { ServerResponse } from 'node:http';
import type { Backend } from './types.js';

type Call = () => unknown;

export function releaseWhenDurable(res: ServerResponse, store: Pick<Backend, 'durable'>): void {
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  /** The held calls, as one chain: each waits for the writes pending when it was made, then for the one before. */
  let tail: Promise<void> | undefined;
  let held = 0;

  const pass = (call: Call, result: unknown): unknown => {
    const pending = store.durable();
    if (!pending && !tail) return call();
    held++;
    tail = Promise.all([tail, pending])
      .then(
        () => {
          try {
            call();
          } catch {
            res.destroy(); // the write failed as it would have unheld; nothing is left rejected
          }
        },
        () => void res.destroy(), // the store says why (its failure fails every later write)
      )
      .finally(() => {
        if (--held === 0) tail = undefined;
      });
    return result;
  };

  res.write = ((...args: unknown[]) => pass(() => write(...args), true)) as ServerResponse['write'];
  res.end = ((...args: unknown[]) => pass(() => end(...args), res)) as ServerResponse['end'];
}
