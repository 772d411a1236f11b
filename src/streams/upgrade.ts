// HTTP upgrades relayed as the kube-apiserver's and kubelet's UpgradeAwareHandler does: the request goes on to the
// next hop with its Upgrade headers, the 101 answer comes back onto the client's socket, then bytes flow both ways
// untouched until either side closes. A refusal comes back as a status, headers and body.
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, STATUS_CODES } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';

export interface UpgradeTarget {
  url: URL;
  method: string;
  headers: Record<string, string | string[]>;
  /** For https URLs: the CA to trust and the client certificate to show. */
  tls?: { ca?: string; cert?: string; key?: string; servername?: string };
  timeoutMs?: number;
}

export type UpgradeResult =
  | { upgraded: true; response: IncomingMessage; socket: Duplex; head: Buffer }
  | { upgraded: false; status: number; headers: IncomingHttpHeaders; body: Buffer };

/** The request headers that belong to the upgrade and its sub-protocols, passed on to the next hop. */
export function upgradeHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (
      name === 'upgrade' ||
      name === 'connection' ||
      name.startsWith('x-stream-protocol-version') ||
      (name.startsWith('sec-websocket-') && name !== 'sec-websocket-extensions')
    ) {
      out[name] = value;
    }
  }
  return out;
}

/** Upgraded connections are never pooled, but TLS sessions are resumed (one handshake's work saved per stream). */
const tlsSessions = new HttpsAgent({ keepAlive: false, maxCachedSessions: 64 });

export function requestUpgrade(target: UpgradeTarget): Promise<UpgradeResult> {
  const https = target.url.protocol === 'https:';
  const request = https ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const upstream = request(target.url, {
      method: target.method,
      headers: target.headers,
      ...(https ? { agent: tlsSessions, ...target.tls } : { agent: false }),
    });
    upstream.setTimeout(target.timeoutMs ?? 30_000, () => upstream.destroy(new Error('timed out')));
    upstream.on('upgrade', (response, socket, head) => {
      socket.setTimeout?.(0);
      resolve({ upgraded: true, response, socket, head });
    });
    upstream.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          upgraded: false,
          status: response.statusCode ?? 502,
          headers: response.headers,
          body: Buffer.concat(chunks),
        }),
      );
      response.on('error', reject);
    });
    upstream.on('error', reject);
    upstream.end();
  });
}

/** Writes an HTTP/1.1 response head onto a raw socket (the upgrade's 101, or a refusal). */
export function writeHead(socket: Duplex, status: number, headers: [string, string][]): void {
  const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Unknown'}`];
  for (const [name, value] of headers) lines.push(`${name}: ${value}`);
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
}

/** The 101 answer of the next hop, as its raw header lines. */
export function switchingHeaders(response: IncomingMessage): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < response.rawHeaders.length; i += 2) {
    pairs.push([response.rawHeaders[i]!, response.rawHeaders[i + 1]!]);
  }
  return pairs;
}

/** Answers a refused upgrade on a raw socket and closes it. */
export function refuse(socket: Duplex, status: number, contentType: string, body: Buffer | string): void {
  if (socket.destroyed) return;
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  writeHead(socket, status, [
    ['Content-Type', contentType],
    ['Content-Length', String(bytes.length)],
    ['Connection', 'close'],
  ]);
  socket.end(bytes);
}

/** Pipes two upgraded connections into each other (with the bytes each already read); either closing ends both. */
export function splice(a: Duplex, aHead: Buffer, b: Duplex, bHead: Buffer, graceMs = 5000): Promise<void> {
  if (aHead.length) b.write(aHead);
  if (bHead.length) a.write(bHead);
  a.pipe(b, { end: false });
  b.pipe(a, { end: false });
  const closed = (side: Duplex) =>
    new Promise<void>((resolve) => {
      if (side.destroyed) return resolve();
      side.once('close', () => resolve());
    });
  // One side done (ended or gone): the other gets what was written, then an end, and both are destroyed after a
  // grace period (a peer that ignores the half-close must not hold the relay open); a broken side takes the other
  // down at once.
  const follow = (side: Duplex, other: Duplex) => {
    side.once('error', () => other.destroy());
    const finish = () => {
      if (!other.destroyed && !other.writableEnded) other.end();
      setTimeout(() => {
        side.destroy();
        other.destroy();
      }, graceMs).unref();
    };
    side.once('end', finish);
    side.once('close', finish);
  };
  follow(a, b);
  follow(b, a);
  return Promise.all([closed(a), closed(b)]).then(() => undefined);
}

/** The upgraded connections a server relays, destroyed when it closes (server.close() would wait for them). */
export class UpgradedSockets {
  private sockets = new Set<Duplex>();

  add(socket: Duplex): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  destroyAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }
}
