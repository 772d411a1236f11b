// The micro-VM runtime's stream server, in the role containerd's plays for the process runtime: the agent asks it
// for a one-time URL per exec, attach or port-forward (CRI's Exec/Attach/PortForward), then relays kubectl's
// SPDY/3.1 upgrade to it. Exec streams (error, stdin, stdout, stderr, resize) become an EXEC in the guest; attach
// joins the container's own output and stdin; each port-forward data stream becomes a connection to 127.0.0.1:port
// inside the VM. The error stream ends with a v4 Status (exit code in NonZeroExitCode), as the kubelet writes it.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { SpdySession, type SpdyStream } from '../../streams/spdy/session.js';
import { refuse, UpgradedSockets, writeHead } from '../../streams/upgrade.js';
import type { StreamRequest } from '../driver.js';
import type { GuestSession } from './guest-session.js';
import type { GuestProcess } from './protocol.js';

export interface StreamTargets {
  session(podUid: string): GuestSession | undefined;
  instance(
    containerId: string,
  ): { guestId: number; process: GuestProcess; listeners: Set<(stream: 1 | 2, data: Buffer) => void> } | undefined;
}

const execProtocols = ['v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];
const tokenLifetimeMs = 30_000;
const streamWaitMs = 30_000;

/** The error stream's last word on an exec: a v4 Status (the exit code as kubectl reads it), or plain text. */
export function exitStatus(protocol: string, exitCode: number, command: string[]): string {
  const v4 = protocol === 'v4.channel.k8s.io';
  if (exitCode === 0) return v4 ? JSON.stringify({ metadata: {}, status: 'Success' }) : '';
  const message = `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`;
  if (!v4) return message;
  return JSON.stringify({
    metadata: {},
    status: 'Failure',
    message,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  });
}

function failureStatus(protocol: string, message: string): string {
  if (protocol !== 'v4.channel.k8s.io') return message;
  return JSON.stringify({ metadata: {}, status: 'Failure', message, reason: 'InternalError', code: 500 });
}

function offeredProtocols(req: IncomingMessage): string[] {
  const raw = req.headers['x-stream-protocol-version'];
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return list.flatMap((v) => v.split(',')).map((v) => v.trim());
}

export class MicroVmStreams {
  private server?: Server;
  private port?: Promise<number>;
  private requests = new Map<string, { request: StreamRequest; expires: number }>();
  private sockets = new UpgradedSockets();

  constructor(private targets: StreamTargets) {}

  /** A one-time URL serving `request` (the server starts on first use, on 127.0.0.1). */
  async url(request: StreamRequest): Promise<string> {
    if (request.verb === 'portforward') {
      if (!this.targets.session(request.podUid)) throw new Error(`pod sandbox of pod ${request.podUid} not found`);
    } else if (!this.targets.instance(request.containerId)) {
      throw new Error(`container ${request.containerId} is not running`);
    }
    const port = await this.listen();
    const now = Date.now();
    for (const [token, entry] of this.requests) if (entry.expires < now) this.requests.delete(token);
    const token = randomBytes(12).toString('base64url');
    this.requests.set(token, { request, expires: now + tokenLifetimeMs });
    return `http://127.0.0.1:${port}/${request.verb}/${token}`;
  }

  async close(): Promise<void> {
    this.sockets.destroyAll();
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private listen(): Promise<number> {
    this.port ??= new Promise((resolve, reject) => {
      const server = createServer((_req, res) => {
        res.writeHead(400, { 'Content-Type': 'text/plain' });
        res.end('an upgrade to SPDY/3.1 is required');
      });
      server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
      this.server = server;
    });
    return this.port;
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const token = (req.url ?? '').split('/').pop() ?? '';
    const entry = this.requests.get(token);
    this.requests.delete(token);
    if (!entry || entry.expires < Date.now()) {
      refuse(socket, 404, 'text/plain', 'stream not found');
      return;
    }
    if ((req.headers.upgrade ?? '').toLowerCase() !== 'spdy/3.1') {
      refuse(socket, 400, 'text/plain', 'unsupported upgrade: SPDY/3.1 only');
      return;
    }
    const offered = offeredProtocols(req);
    const { request } = entry;
    const protocol =
      request.verb === 'portforward'
        ? offered.includes('portforward.k8s.io')
          ? 'portforward.k8s.io'
          : undefined
        : execProtocols.find((p) => offered.includes(p));
    if (!protocol) {
      refuse(socket, 403, 'text/plain', `no supported protocol among ${offered.join(', ')}`);
      return;
    }
    writeHead(socket, 101, [
      ['Connection', 'Upgrade'],
      ['Upgrade', 'SPDY/3.1'],
      ['X-Stream-Protocol-Version', protocol],
    ]);
    this.sockets.add(socket);
    if (head.length) socket.unshift(head);
    const session = new SpdySession(socket, 'server');
    if (request.verb === 'portforward') this.portForward(session, request.podUid);
    else this.exec(session, request, protocol);
  }

  private exec(session: SpdySession, request: Exclude<StreamRequest, { verb: 'portforward' }>, protocol: string): void {
    const wanted = new Set(['error']);
    if (request.stdin) wanted.add('stdin');
    if (request.stdout) wanted.add('stdout');
    if (request.stderr && !request.tty) wanted.add('stderr');
    if (request.tty && protocol !== 'channel.k8s.io' && protocol !== 'v2.channel.k8s.io') wanted.add('resize');
    const streams = new Map<string, SpdyStream>();
    const target = this.targets.instance(request.containerId);
    const guest = this.targets.session(request.podUid);
    // Input (stdin, terminal sizes) may come before the process is asked for: it waits, in order, for the id.
    const id = request.verb === 'attach' ? target?.guestId : guest?.newId();
    const queue: (() => void)[] = [];
    let started = request.verb === 'attach';
    const act = (fn: () => void) => (started ? fn() : queue.push(fn));
    const timer = setTimeout(() => session.destroy(), streamWaitMs);
    session.on('stream', (stream: SpdyStream) => {
      const type = stream.headers.streamtype ?? '';
      stream.reply();
      streams.set(type, stream);
      if (guest && id !== undefined && type === 'stdin') {
        stream.on('data', (data: Buffer) => act(() => guest.stdin(id, data)));
        if (request.verb === 'exec') stream.on('end', () => act(() => guest.stdinEof(id)));
      }
      if (guest && id !== undefined && type === 'resize') {
        stream.on('data', (data: Buffer) => {
          for (const line of data.toString().split('\n')) {
            if (!line.trim()) continue;
            try {
              const size = JSON.parse(line);
              act(() => guest.resize(id, Number(size.Width) || 80, Number(size.Height) || 24));
            } catch {}
          }
        });
      }
      if (![...wanted].every((w) => streams.has(w))) return;
      clearTimeout(timer);
      session.removeAllListeners('stream');
      const error = streams.get('error')!;
      const finish = async (text: string) => {
        if (text) error.write(text);
        for (const s of streams.values()) s.end();
        await session.flushed();
        session.close();
      };
      if (!target || !guest || id === undefined) {
        finish(failureStatus(protocol, `container ${request.containerId} is not running`)).catch(() => {});
        return;
      }
      const output = (kind: 1 | 2, data: Buffer) => {
        const out = kind === 2 && !request.tty ? streams.get('stderr') : streams.get('stdout');
        out?.write(data);
      };
      if (request.verb === 'attach') {
        // The container's own process: its output from now on, and its stdin.
        target.listeners.add(output);
        session.once('close', () => target.listeners.delete(output));
        return;
      }
      const process = {
        ...target.process,
        root: undefined,
        container: target.guestId,
        args: request.command,
        tty: request.tty,
        stdin: request.stdin,
        mounts: [],
      };
      let exited!: (code: number) => void;
      const exit = new Promise<number>((resolve) => (exited = resolve));
      const running = guest.start('exec', process, { output, exit: (e) => exited(e.exitCode) }, id);
      started = true;
      for (const fn of queue.splice(0)) fn();
      running.then(
        () => {
          session.once('close', () => guest.signal(id, 9));
          exit.then((code) => finish(exitStatus(protocol, code, request.command))).catch(() => {});
        },
        (e: any) => {
          const message = `failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: ${e?.message ?? e}: unknown`;
          finish(failureStatus(protocol, message)).catch(() => {});
        },
      );
    });
    session.on('close', () => clearTimeout(timer));
  }

  private portForward(session: SpdySession, podUid: string): void {
    const errors = new Map<string, SpdyStream>();
    session.on('stream', (stream: SpdyStream) => {
      stream.reply();
      const requestId = stream.headers.requestid ?? '';
      const port = Number(stream.headers.port);
      if (stream.headers.streamtype === 'error') {
        errors.set(requestId, stream);
        return;
      }
      const guest = this.targets.session(podUid);
      const fail = (message: string) => {
        const error = errors.get(requestId);
        error?.write(`an error occurred forwarding ${port} -> ${port}: ${message}`);
        error?.end();
        stream.end();
      };
      if (!guest || !Number.isInteger(port) || port <= 0 || port > 65535) {
        return fail(guest ? `invalid port ${stream.headers.port}` : 'the pod sandbox is gone');
      }
      const held: Buffer[] = [];
      let connId: number | undefined;
      let ended = false;
      stream.on('data', (data: Buffer) => (connId === undefined ? held.push(data) : guest.write(connId, data)));
      stream.on('end', () => {
        ended = true;
        if (connId !== undefined) guest.closeConnection(connId, true);
      });
      stream.on('close', () => {
        if (connId !== undefined) guest.closeConnection(connId);
      });
      guest
        .connect(port, {
          data: (data) => stream.write(data),
          close: () => {
            stream.end();
            errors.get(requestId)?.end();
          },
        })
        .then(
          (id) => {
            connId = id;
            for (const data of held.splice(0)) guest.write(id, data);
            if (ended) guest.closeConnection(id, true);
          },
          (error: Error) => fail(error.message),
        );
    });
  }
}
