// The host side of the guest protocol (docs/microvm.md): frames <u32 length><u8 type><u32 id><payload> in
// little-endian over the VM's virtio-serial port, the frame types both ways, and the NUL-separated key=value
// payload that describes a process to run (skiff-init.c reads it).

export const hostFrame = {
  run: 1,
  exec: 2,
  stdin: 3,
  stdinEof: 4,
  resize: 5,
  signal: 6,
  connect: 7,
  data: 8,
  close: 9,
  poweroff: 10,
  list: 11,
  stats: 12,
  configure: 13,
} as const;

export const guestFrame = {
  hello: 64,
  started: 65,
  failed: 66,
  output: 67,
  exit: 68,
  connected: 69,
  data: 70,
  close: 71,
  log: 72,
  running: 73,
  stats: 74,
} as const;

export interface Frame {
  type: number;
  id: number;
  payload: Buffer;
}

/** The guest's largest frame (skiff-init's read buffer); payloads are cut below it. */
export const maxFrame = 1 << 20;
export const maxPayload = 64 * 1024;

export function encodeFrame(type: number, id: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(9);
  head.writeUInt32LE(5 + payload.length, 0);
  head.writeUInt8(type, 4);
  head.writeUInt32LE(id >>> 0, 5);
  return Buffer.concat([head, payload]);
}

/** Splits a byte stream into frames, keeping a partial frame until the rest arrives. */
export class FrameDecoder {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const frames: Frame[] = [];
    let at = 0;
    while (this.buffer.length - at >= 4) {
      const length = this.buffer.readUInt32LE(at);
      if (length < 5 || length > maxFrame) throw new Error(`guest protocol: bad frame length ${length}`);
      if (this.buffer.length - at < 4 + length) break;
      frames.push({
        type: this.buffer.readUInt8(at + 4),
        id: this.buffer.readUInt32LE(at + 5),
        payload: Buffer.from(this.buffer.subarray(at + 9, at + 4 + length)),
      });
      at += 4 + length;
    }
    this.buffer = this.buffer.subarray(at);
    return frames;
  }
}

export interface GuestMount {
  /** Path inside the VM (under /pod, the 9p share). */
  source: string;
  /** Path inside the container. */
  target: string;
  readOnly: boolean;
}

/** A process for the guest to start: a container's first process (root set) or an exec (container set). */
export interface GuestProcess {
  /** The container's root inside the VM (RUN). */
  root?: string;
  /** The id of the container to join (EXEC). */
  container?: number;
  args: string[];
  env: string[];
  cwd?: string;
  uid: number;
  gid: number;
  groups: number[];
  tty: boolean;
  stdin: boolean;
  rows?: number;
  cols?: number;
  /** [soft, hard] */
  nofile?: [number, number];
  nproc?: [number, number];
  /** cgroup v2 memory.max in bytes. */
  memory?: number;
  /** cgroup v2 cpu.max ("quota period"). */
  cpu?: string;
  /** cgroup v2 cpu.weight. */
  cpuWeight?: number;
  /** The capability bit mask (absent: the guest's own, all). */
  capabilities?: bigint;
  readOnlyRoot?: boolean;
  /** RUN: the VM's PID namespace ("pod") or another container's (its guest id) instead of its own. */
  pidNamespace?: 'pod' | number;
  noNewPrivileges?: boolean;
  /** The seccomp filter skiff-init installs before the command runs: a classic BPF program (compile.ts). */
  seccomp?: Buffer;
  mounts: GuestMount[];
}

const fieldSafe = (key: string, value: string): string => {
  if (value.includes('\0')) throw new Error(`${key} may not contain a NUL byte`);
  return `${key}=${value}\0`;
};

/** The RUN/EXEC payload: key=value strings, each ending in NUL; arg, env and mount repeat in order. */
export function encodeProcess(p: GuestProcess): Buffer {
  const out: string[] = [];
  const put = (key: string, value: string | number | undefined) => {
    if (value !== undefined) out.push(fieldSafe(key, String(value)));
  };
  put('root', p.root);
  put('container', p.container);
  put('cwd', p.cwd);
  put('uid', p.uid);
  put('gid', p.gid);
  put('groups', p.groups.join(','));
  put('tty', p.tty ? 1 : 0);
  put('stdin', p.stdin ? 1 : 0);
  put('rows', p.rows);
  put('cols', p.cols);
  put('nofile', p.nofile?.join(':'));
  put('nproc', p.nproc?.join(':'));
  put('memory', p.memory);
  put('cpu', p.cpu);
  put('cpuweight', p.cpuWeight);
  put('caps', p.capabilities?.toString(16));
  if (p.readOnlyRoot) put('readonly', 1);
  put('pidns', p.pidNamespace);
  if (p.noNewPrivileges) put('nonewprivs', 1);
  if (p.seccomp?.length) put('seccomp', p.seccomp.toString('hex'));
  for (const m of p.mounts) {
    if (m.source.includes('\x1f') || m.target.includes('\x1f')) throw new Error(`mount path ${m.target} is invalid`);
    put('mount', `${m.source}\x1f${m.target}\x1f${m.readOnly ? 'ro' : 'rw'}`);
  }
  for (const a of p.args) put('arg', a);
  for (const e of p.env) put('env', e);
  return Buffer.from(out.join(''));
}

/** What CONFIGURE gives a VM once it runs (booted, or restored from its size's template). */
export interface GuestConfig {
  /** The pod's IP with the subnet's prefix length, e.g. 10.0.130.7/16. */
  ip: string;
  gateway: string;
  mac: string;
  hostname: string;
  /** The host's wall clock in nanoseconds since the epoch (a restored guest's clock is the template's). */
  timeNs: bigint;
  /** Random bytes the guest mixes in and reseeds from (a restored guest's generator state is the template's). */
  seed: Buffer;
}

/** The CONFIGURE payload; an empty one (a host reconnecting) changes nothing and is answered with HELLO. */
export function encodeConfigure(c?: GuestConfig): Buffer {
  if (!c) return Buffer.alloc(0);
  return Buffer.from(
    [
      fieldSafe('time', c.timeNs.toString()),
      fieldSafe('seed', c.seed.toString('hex')),
      fieldSafe('hostname', c.hostname),
      fieldSafe('mac', c.mac),
      fieldSafe('ip', c.ip),
      fieldSafe('gw', c.gateway),
    ].join(''),
  );
}

export interface GuestExit {
  exitCode: number;
  signal: number;
  oomKilled: boolean;
}

export function decodeExit(payload: Buffer): GuestExit {
  return {
    exitCode: payload.readInt32LE(0),
    signal: payload.readInt32LE(4),
    oomKilled: payload.readInt32LE(8) !== 0,
  };
}

export const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
};

export const i32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32LE(n);
  return b;
};
