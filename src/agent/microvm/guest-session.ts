// One connection to a VM's skiff-init over its virtio-serial socket: starts containers and execs, passes stdin,
// resizes and signals, hands each process's output and exit to its handlers, and carries port-forward connections
// to 127.0.0.1 inside the VM. The frames are protocol.ts's.
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import {
  decodeExit,
  encodeConfigure,
  encodeFrame,
  encodeProcess,
  FrameDecoder,
  type GuestConfig,
  type GuestExit,
  type GuestProcess,
  guestFrame,
  hostFrame,
  i32,
  maxPayload,
  u16,
} from './protocol.js';

export interface ProcessHandlers {
  /** 1: stdout (or the tty), 2: stderr. */
  output(stream: 1 | 2, data: Buffer): void;
  exit(exit: GuestExit): void;
}

export interface ConnectionHandlers {
  data(data: Buffer): void;
  /** The guest side closed; with a message when the connection failed. */
  close(message?: string): void;
}

export interface GuestStats {
  cpuNs: number;
  workingSetBytes: number;
}

type Pending = { resolve(pid: number): void; reject(error: Error): void };
type Configuring = { resolve(release: string): void; reject(error: Error): void };

export class GuestSession extends EventEmitter {
  private decoder = new FrameDecoder();
  private nextId = 1 + Math.floor(Math.random() * 2 ** 30);
  private pending = new Map<number, Pending>();
  private configuring = new Map<number, Configuring>();
  private processes = new Map<number, ProcessHandlers>();
  private connections = new Map<number, ConnectionHandlers & { opened?: Pending }>();
  private listing?: { found: Map<number, number>; resolve(found: Map<number, number>): void };
  private statsWaiters = new Map<number, ((stats: GuestStats) => void)[]>();
  private closed = false;

  constructor(private socket: Socket) {
    super();
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const frame of this.decoder.push(chunk)) this.handle(frame.type, frame.id, frame.payload);
      } catch (error) {
        this.emit('error', error);
        socket.destroy();
      }
    });
    socket.on('close', () => this.onClose());
    socket.on('error', () => {});
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * CONFIGURE: the pod's network, name, clock and seed, applied once (without a config: the hello a reconnecting
   * host asks for). Resolves to the guest kernel's release.
   */
  configure(config?: GuestConfig): Promise<string> {
    const id = this.newId();
    return new Promise<string>((resolve, reject) => {
      if (this.closed) return reject(new Error('the micro-VM closed its agent channel'));
      this.configuring.set(id, { resolve, reject });
      this.send(hostFrame.configure, id, encodeConfigure(config));
    });
  }

  /** Starts a container's first process (RUN) or an exec (EXEC); resolves to its id once it runs. */
  start(
    kind: 'run' | 'exec',
    process: GuestProcess,
    handlers: ProcessHandlers,
    id = this.newId(),
  ): Promise<{ id: number; pid: number }> {
    this.processes.set(id, handlers);
    return new Promise<number>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send(kind === 'run' ? hostFrame.run : hostFrame.exec, id, encodeProcess(process));
    }).then(
      (pid) => ({ id, pid }),
      (error) => {
        this.processes.delete(id);
        throw error;
      },
    );
  }

  /** Takes over a process the guest still runs (after the agent restarted). */
  adopt(id: number, handlers: ProcessHandlers): void {
    this.processes.set(id, handlers);
  }

  stdin(id: number, data: Buffer): void {
    for (let at = 0; at < data.length; at += maxPayload) {
      this.send(hostFrame.stdin, id, data.subarray(at, at + maxPayload));
    }
  }

  stdinEof(id: number): void {
    this.send(hostFrame.stdinEof, id);
  }

  resize(id: number, cols: number, rows: number): void {
    this.send(hostFrame.resize, id, Buffer.concat([u16(cols), u16(rows)]));
  }

  signal(id: number, signal: number): void {
    this.send(hostFrame.signal, id, i32(signal));
  }

  /** A TCP connection to 127.0.0.1:port inside the VM; resolves to its id once connected. */
  connect(port: number, handlers: ConnectionHandlers): Promise<number> {
    const id = this.newId();
    return new Promise((resolve, reject) => {
      this.connections.set(id, { ...handlers, opened: { resolve: () => resolve(id), reject } });
      this.send(hostFrame.connect, id, u16(port));
    });
  }

  write(id: number, data: Buffer): void {
    for (let at = 0; at < data.length; at += maxPayload) {
      this.send(hostFrame.data, id, data.subarray(at, at + maxPayload));
    }
  }

  /** Half-closes (our side is done writing) or closes the connection. */
  closeConnection(id: number, half = false): void {
    if (!half) this.connections.delete(id);
    this.send(hostFrame.close, id, half ? Buffer.from('w') : undefined);
  }

  /** The containers' processes the guest runs: id → pid. */
  list(): Promise<Map<number, number>> {
    return new Promise((resolve) => {
      this.listing = { found: new Map(), resolve };
      this.send(hostFrame.list, 0);
    });
  }

  /** A container's CPU time and working set, from its cgroup in the guest. */
  stats(id: number): Promise<GuestStats> {
    return new Promise((resolve) => {
      const waiting = this.statsWaiters.get(id) ?? [];
      waiting.push(resolve);
      this.statsWaiters.set(id, waiting);
      if (waiting.length === 1) this.send(hostFrame.stats, id);
    });
  }

  poweroff(): void {
    this.send(hostFrame.poweroff, 0);
  }

  close(): void {
    this.socket.destroy();
  }

  /** An id for a process or connection not asked for yet (frames for it may follow the start at once). */
  newId(): number {
    const id = this.nextId;
    this.nextId = this.nextId >= 2 ** 31 ? 1 : this.nextId + 1;
    return id;
  }

  private send(type: number, id: number, payload?: Buffer): void {
    if (this.closed) return;
    this.socket.write(encodeFrame(type, id, payload));
  }

  private handle(type: number, id: number, payload: Buffer): void {
    switch (type) {
      case guestFrame.hello:
        this.configuring.get(id)?.resolve(payload.toString());
        this.configuring.delete(id);
        return;
      case guestFrame.started:
        this.pending.get(id)?.resolve(payload.readUInt32LE(0));
        this.pending.delete(id);
        return;
      case guestFrame.failed:
        (this.pending.get(id) ?? this.configuring.get(id))?.reject(new Error(payload.toString()));
        this.pending.delete(id);
        this.configuring.delete(id);
        return;
      case guestFrame.output: {
        const stream = payload.readUInt8(0) === 2 ? 2 : 1;
        this.processes.get(id)?.output(stream, payload.subarray(1));
        return;
      }
      case guestFrame.exit: {
        const handlers = this.processes.get(id);
        this.processes.delete(id);
        handlers?.exit(decodeExit(payload));
        return;
      }
      case guestFrame.connected: {
        const conn = this.connections.get(id);
        conn?.opened?.resolve(0);
        if (conn) conn.opened = undefined;
        return;
      }
      case guestFrame.data:
        this.connections.get(id)?.data(payload);
        return;
      case guestFrame.close: {
        const conn = this.connections.get(id);
        this.connections.delete(id);
        const message = payload.length ? payload.toString() : undefined;
        if (conn?.opened) conn.opened.reject(new Error(message ?? 'connection refused'));
        else conn?.close(message);
        return;
      }
      case guestFrame.running:
        if (!this.listing) return;
        if (id === 0) {
          this.listing.resolve(this.listing.found);
          this.listing = undefined;
        } else this.listing.found.set(id, payload.readUInt32LE(0));
        return;
      case guestFrame.stats: {
        const waiting = this.statsWaiters.get(id) ?? [];
        this.statsWaiters.delete(id);
        const stats =
          payload.length >= 16
            ? { cpuNs: Number(payload.readBigUInt64LE(0)), workingSetBytes: Number(payload.readBigUInt64LE(8)) }
            : { cpuNs: 0, workingSetBytes: 0 };
        for (const resolve of waiting) resolve(stats);
        return;
      }
      case guestFrame.log:
        this.emit('log', payload.toString());
        return;
    }
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    const gone = new Error('the micro-VM closed its agent channel');
    for (const p of [...this.pending.values(), ...this.configuring.values()]) p.reject(gone);
    this.pending.clear();
    this.configuring.clear();
    for (const c of this.connections.values()) {
      if (c.opened) c.opened.reject(gone);
      else c.close();
    }
    this.connections.clear();
    for (const waiting of this.statsWaiters.values())
      for (const resolve of waiting) resolve({ cpuNs: 0, workingSetBytes: 0 });
    this.statsWaiters.clear();
    this.emit('close');
  }
}
