// The agent's own HTTPS endpoint, like the kubelet's port 10250, for what the kube API asks of a host over the
// network: GET /containerLogs/{namespace}/{pod}/{container}, GET /metrics, and the exec/attach/portForward upgrades. It serves a
// certificate from the cluster CA and requires the kube API's client certificate (CN kube-apiserver-kubelet-client,
// from the same CA): everyone else is refused during the TLS handshake or with 403. Only the URL is published on
// the host Lease (see host-lease.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import type { KubeObject } from '../../kube/api/types.js';
import { type AgentTls, agentClientName } from '../../kube/pki/agent-certs.js';
import { refuse, UpgradedSockets } from '../../streams/upgrade.js';
import type { SandboxDriver } from '../driver.js';
import { HttpError, serveContainerLogs } from './container-logs.js';
import { serveStream } from './streams.js';

export interface AgentServerOptions {
  driver: SandboxDriver;
  /** The cluster CA (to check clients), and this agent's serving certificate and key. */
  tls: AgentTls;
  /** The pod as the agent last saw it in the API (its status names the container instances). */
  podByName(namespace: string, name: string): KubeObject | undefined;
  /** Default 127.0.0.1, port 0 (any free one). */
  host?: string;
  port?: number;
  onError?: (error: unknown) => void;
  /** What GET /metrics serves (Prometheus text format), as the kubelet does on its port. */
  metrics?: { readonly contentType: string; metrics(): Promise<string> };
}

export interface AgentServer {
  /** https://127.0.0.1:PORT */
  readonly url: string;
  close(): Promise<void>;
}

/** The client showed a certificate from the cluster CA, and it is the kube API's. */
function authorized(req: IncomingMessage): boolean {
  const socket = req.socket as TLSSocket;
  if (!socket.authorized) return false;
  return socket.getPeerCertificate()?.subject?.CN === agentClientName;
}

function writeText(res: ServerResponse, code: number, text: string): void {
  if (res.headersSent) return void res.end();
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

export async function startAgentServer(options: AgentServerOptions): Promise<AgentServer> {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    if (!authorized(req)) return writeText(res, 403, 'Forbidden');
    const url = new URL(req.url ?? '/', 'http://agent');
    if (url.pathname === '/metrics' && options.metrics && req.method === 'GET') {
      const text = await options.metrics.metrics();
      res.writeHead(200, { 'Content-Type': options.metrics.contentType });
      return void res.end(text);
    }
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
  const { ca, cert, key } = options.tls;
  const server = createServer({ ca, cert, key, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    handle(req, res).catch((error) => {
      if (error instanceof HttpError) return writeText(res, error.code, error.message);
      options.onError?.(error);
      writeText(res, 500, String(error?.message ?? error));
    });
  });
  const upgraded = new UpgradedSockets();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    upgraded.add(socket);
    if (!authorized(req)) return refuse(socket, 403, 'text/plain', 'Forbidden');
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
    url: `https://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        upgraded.destroyAll();
      }),
  };
}
