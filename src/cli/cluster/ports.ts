// The ports `skiff up` listens on, checked before anything starts: a port held by another process is refused with
// the reason and the flag that changes it, instead of a failure buried in the log.
import { createServer } from 'node:net';
import { CliError } from '../errors.js';

export interface ListenPort {
  host: string;
  port: number;
  /** The flag that picks another port: --port, --eks-port. */
  flag: string;
}

export function portInUse({ host, port, flag }: ListenPort): CliError {
  return new CliError(`port ${port} on ${host} is in use: pass ${flag} or stop what holds it`);
}

/** Resolves when the port can be listened on (then frees it); rejects with portInUse when another holds it. */
export function checkPortFree(target: ListenPort): Promise<void> {
  if (target.port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? portInUse(target) : error),
    );
    server.listen({ host: target.host, port: target.port, exclusive: true }, () => server.close(() => resolve()));
  });
}

/** `error` as portInUse when it is a listen that found the port taken, else as it is. */
export function explainListenError(error: unknown, target: ListenPort): unknown {
  return (error as NodeJS.ErrnoException)?.code === 'EADDRINUSE' ? portInUse(target) : error;
}
