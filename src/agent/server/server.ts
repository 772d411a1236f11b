// The agent's own HTTP endpoint, like the kubelet's port 10250, for what the kube API asks of a host over the
// network: today GET /containerLogs/{namespace}/{pod}/{container}. Every request needs the host's bearer token.
// It listens on loopback (plain HTTP); the URL and token are published on the host Lease (see host-lease.ts).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { KubeObject } from '../../kube/api/types.js';
import { refuse } from '../../streams/upgrade.js';
import type { SandboxDriver } from '../driver.js';
import { HttpError, serveContainerLogs } from './container-logs.js';
import { serveStream } from './streams.js';

export interface AgentServerOptions {
  driver: SandboxDriver;
  /** The pod as the agent last saw it in the API (its status names the container instances). */
  podByName(namespace: string, name: string): KubeObject | undefined;
  /** Default 127.0.0.1, port 0 (any free one). */
  host?: string;
  port?: number;
  onError?: (error: unknown) => void;
}

export interface AgentServer {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly token: string;
  close(): Promise<void>;
}

function authorized(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? '';
  const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function writeText(res: ServerResponse, code: number, text: string): void {
  if (res.headersSent) return void res.end();
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

export async function startAgentServer(options: AgentServerOptions): Promise<AgentServer> {
  const token = randomBytes(32).toString('base64url');
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    if (!authorized(req, token)) return writeText(res, 401, 'Unauthorized');
    const url = new URL(req.url ?? '/', 'http://agent');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'containerLogs' || parts.length !== 4) return writeText(res, 404, '404 page not found');
    if (req.method !== 'GET') return writeText(res, 405, 'Method Not Allowed');
    const [, namespace, pod, container] = parts;
    await serveContainerLogs(
      { namespace, pod, container, query: url.searchParams },
      res,
      options.driver,
      options.podByName,
    );
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (error instanceof HttpError) return writeText(res, error.code, error.message);
      options.onError?.(error);
      writeText(res, 500, String(error?.message ?? error));
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    if (!authorized(req, token)) return refuse(socket, 401, 'text/plain', 'Unauthorized');
    serveStream(req, socket, head, options.driver, options.podByName).catch((error) => {
      options.onError?.(error);
      socket.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
