// A QEMU Machine Protocol client over QEMU's unix socket: the greeting, `qmp_capabilities`, then commands one at a
// time (QMP answers in order; asynchronous events are skipped). What a template's snapshot and a restore need:
// stop, migrate-set-capabilities, migrate / migrate-incoming, query-migrate, cont, quit.
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

interface Waiter {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class Qmp {
  private buffer = '';
  private waiters: Waiter[] = [];
  private greeted!: Promise<void>;

  private constructor(private socket: Socket) {
    let greet!: () => void;
    this.greeted = new Promise((resolve) => (greet = resolve));
    let greetingSeen = false;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      for (let end = this.buffer.indexOf('\n'); end >= 0; end = this.buffer.indexOf('\n')) {
        const line = this.buffer.slice(0, end).trim();
        this.buffer = this.buffer.slice(end + 1);
        if (!line) continue;
        const message = JSON.parse(line) as {
          QMP?: unknown;
          event?: string;
          return?: unknown;
          error?: { desc: string };
        };
        if (message.QMP !== undefined && !greetingSeen) {
          greetingSeen = true;
          greet();
        } else if (message.event === undefined) {
          const waiter = this.waiters.shift();
          if (message.error) waiter?.reject(new Error(`QMP: ${message.error.desc}`));
          else waiter?.resolve(message.return);
        }
      }
    });
    const closed = () => {
      for (const waiter of this.waiters.splice(0)) waiter.reject(new Error('QEMU closed its QMP socket'));
    };
    socket.on('close', closed);
    socket.on('error', closed);
  }

  /** Connects once QEMU listens (it creates the socket as it starts), within `timeoutMs`. */
  static async connect(path: string, timeoutMs: number, gone: () => boolean = () => false): Promise<Qmp> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const socket = await new Promise<Socket | undefined>((resolve) => {
        const s = connect(path);
        s.once('connect', () => resolve(s));
        s.once('error', () => resolve(undefined));
      });
      if (socket) {
        const qmp = new Qmp(socket);
        await qmp.greeted;
        await qmp.execute('qmp_capabilities');
        return qmp;
      }
      if (gone()) throw new Error('QEMU exited before its QMP socket answered');
      if (Date.now() > deadline) throw new Error(`QEMU's QMP socket did not answer within ${timeoutMs / 1000} s`);
      await sleep(10);
    }
  }

  execute<T = unknown>(command: string, args?: Record<string, unknown>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.socket.destroyed) return reject(new Error('QEMU closed its QMP socket'));
      this.waiters.push({ resolve: resolve as (value: unknown) => void, reject });
      this.socket.write(`${JSON.stringify(args ? { execute: command, arguments: args } : { execute: command })}\n`);
    });
  }

  /** x-ignore-shared: a template's RAM stays in its file, out of the migration stream (both ends set it). */
  ignoreSharedRam(): Promise<unknown> {
    return this.execute('migrate-set-capabilities', {
      capabilities: [{ capability: 'x-ignore-shared', state: true }],
    });
  }

  /** Polls query-migrate until the migration (either end) completed; its error when it failed. */
  async migrated(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const info = await this.execute<{ status?: string; 'error-desc'?: string }>('query-migrate');
      if (info.status === 'completed') return;
      if (info.status === 'failed' || info.status === 'cancelled') {
        throw new Error(`the VM state did not move: ${info['error-desc'] ?? info.status}`);
      }
      if (Date.now() > deadline) throw new Error(`moving the VM state took over ${timeoutMs / 1000} s`);
      await sleep(5);
    }
  }

  close(): void {
    this.socket.destroy();
  }
}
