// pods/exec, pods/attach and pods/portforward: kube-apiserver's checks (the pod, its container, its
// node), then the upgraded connection relayed to the agent that runs the pod (see agent-client.ts) — SPDY/3.1 byte
// for byte, WebSocket exec/attach (v5/v4.channel.k8s.io) translated to a SPDY session, and WebSocket port-forward
// (SPDY/3.1+portforward.k8s.io) unwrapped into the SPDY bytes it carries.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import {
  refuse,
  requestUpgrade,
  splice,
  switchingHeaders,
  type UpgradeResult,
  upgradeHeaders,
  writeHead,
} from '../../streams/upgrade.js';
import { spdyExecProtocols, translateExec, websocketExecProtocols } from '../../streams/websocket-exec.js';
import { portForwardTunnelProtocol, tunnel } from '../../streams/websocket-tunnel.js';
import { badRequest, internalError, notFound } from '../api/errors.js';
import { toApiError } from '../api/unexpected.js';
import { getObject } from '../storage/objects.js';
import { type AgentConnection, agentOf } from './agent-client.js';
import type { ApiContext } from './context.js';
import { containerOf } from './pod-logs.js';

export const streamSubresources = new Set(['exec', 'attach', 'portforward']);

const websockets = new WebSocketServer({ noServer: true, perMessageDeflate: false });

// "SPDY/3.1+portforward.k8s.io" is not an RFC 6455 token ('/'), which `ws` refuses to parse: such requests are
// handed over without the header, and the chosen sub-protocol is put back into the 101 answer here.
const tunnelRequests = new WeakSet<IncomingMessage>();
websockets.on('headers', (headers: string[], req: IncomingMessage) => {
  if (tunnelRequests.has(req)) headers.push(`Sec-WebSocket-Protocol: ${portForwardTunnelProtocol}`);
});

const truthy = (q: URLSearchParams, name: string) => ['true', '1'].includes(q.get(name) ?? '');

function offered(req: IncomingMessage): string[] {
  return (req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/** The agent's path and query for the request, as kube-apiserver builds the kubelet's URL. */
function agentPath(subresource: string, namespace: string, name: string, container: string, q: URLSearchParams) {
  const at = (...parts: string[]) => parts.map(encodeURIComponent).join('/');
  const query = new URLSearchParams();
  if (subresource === 'portforward') {
    for (const port of q.getAll('ports')) for (const p of port.split(',')) query.append('port', p.trim());
    return `/portForward/${at(namespace, name)}?${query}`;
  }
  if (subresource === 'exec') for (const c of q.getAll('command')) query.append('command', c);
  if (truthy(q, 'stdin')) query.set('input', '1');
  if (truthy(q, 'stdout')) query.set('output', '1');
  if (truthy(q, 'stderr')) query.set('error', '1');
  if (truthy(q, 'tty')) query.set('tty', '1');
  const verb = subresource === 'exec' ? 'exec' : 'attach';
  return `/${verb}/${at(namespace, name, container)}?${query}`;
}

/** The kubelet's check (remotecommand.NewOptions), made before anything is dialled. */
function checkOptions(subresource: string, q: URLSearchParams): void {
  if (subresource === 'portforward') return;
  if (!truthy(q, 'stdin') && !truthy(q, 'stdout') && !truthy(q, 'stderr')) {
    throw badRequest('you must specify at least 1 of stdin, stdout, stderr');
  }
}

async function upgradeAgent(
  agent: AgentConnection,
  path: string,
  method: string,
  headers: Record<string, string | string[]>,
): Promise<UpgradeResult> {
  try {
    return await requestUpgrade({ url: new URL(path, agent.url), method, headers, tls: agent.tls });
  } catch (error: any) {
    throw internalError(
      `error trying to reach the agent of host "${agent.host}" at ${agent.url}: ${error?.message ?? error}`,
    );
  }
}

function relayRefusal(socket: Duplex, result: Extract<UpgradeResult, { upgraded: false }>): void {
  refuse(socket, result.status, String(result.headers['content-type'] ?? 'text/plain'), result.body);
}

export async function servePodStream(
  ctx: ApiContext,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  url: URL,
  namespace: string,
  name: string,
  subresource: string,
): Promise<void> {
  const q = url.searchParams;
  checkOptions(subresource, q);
  const pod = await getObject(ctx.store, ctx.registry.lookup('', 'v1', 'pods')!, namespace, name);
  if (!pod) throw notFound('pods', name);
  const container = subresource === 'portforward' ? '' : containerOf(pod, q.get('container'));
  const nodeName: string | undefined = pod.spec?.nodeName;
  if (!nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
  const agent = await agentOf(ctx, nodeName);
  const path = agentPath(subresource, namespace, name, container, q);
  const websocket = (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
  const protocols = offered(req);

  if (websocket && subresource !== 'portforward' && protocols.some((p) => websocketExecProtocols.includes(p))) {
    const upstream = await upgradeAgent(agent, path, 'POST', {
      Connection: 'Upgrade',
      Upgrade: 'SPDY/3.1',
      'X-Stream-Protocol-Version': spdyExecProtocols,
    });
    if (!upstream.upgraded) return relayRefusal(socket, upstream);
    const protocol = websocketExecProtocols.find((p) => protocols.includes(p))!;
    const streams = {
      stdin: truthy(q, 'stdin'),
      stdout: truthy(q, 'stdout'),
      stderr: truthy(q, 'stderr'),
      tty: truthy(q, 'tty'),
    };
    const accepted = dropUnlessAccepted(socket, upstream.socket);
    websockets.handleUpgrade(withProtocol(req, protocol), socket, head, (ws) => {
      accepted();
      translateExec(ws, upstream.socket, upstream.head, streams);
    });
    return;
  }
  if (websocket && subresource === 'portforward' && protocols.includes(portForwardTunnelProtocol)) {
    const upstream = await upgradeAgent(agent, path, 'POST', {
      Connection: 'Upgrade',
      Upgrade: 'SPDY/3.1',
      'X-Stream-Protocol-Version': 'portforward.k8s.io',
    });
    if (!upstream.upgraded) return relayRefusal(socket, upstream);
    delete req.headers['sec-websocket-protocol'];
    tunnelRequests.add(req);
    const accepted = dropUnlessAccepted(socket, upstream.socket);
    websockets.handleUpgrade(req, socket, head, (ws) => {
      accepted();
      tunnel(ws, upstream.socket, upstream.head);
    });
    return;
  }
  // SPDY (and any other upgrade the stream server may know): byte for byte.
  const upstream = await upgradeAgent(agent, path, req.method ?? 'POST', upgradeHeaders(req.headers));
  if (!upstream.upgraded) return relayRefusal(socket, upstream);
  writeHead(socket, 101, switchingHeaders(upstream.response));
  await splice(socket, head, upstream.socket, upstream.head);
}

/** A client whose WebSocket handshake fails (ws answers it and closes) takes the agent's connection down too. */
function dropUnlessAccepted(client: Duplex, upstream: Duplex): () => void {
  let accepted = false;
  client.once('close', () => {
    if (!accepted) upstream.destroy();
  });
  return () => {
    accepted = true;
  };
}

/** The request as `ws` should answer it: with only the sub-protocol chosen here. */
function withProtocol(req: IncomingMessage, protocol: string): IncomingMessage {
  req.headers['sec-websocket-protocol'] = protocol;
  return req;
}

/** A Status refusal for an upgrade request that failed before it reached the agent. */
export function refuseWithStatus(socket: Duplex, error: unknown): void {
  const apiError = toApiError(error);
  refuse(socket, apiError.code, 'application/json', JSON.stringify(apiError.status));
}
