// kubectl 1.31+ port-forward over a WebSocket (KEP-4006): the sub-protocol SPDY/3.1+portforward.k8s.io carries the
// client's SPDY bytes in binary messages. As kube-apiserver's tunneling handler does, the messages are unwrapped
// into a byte stream and spliced onto a SPDY upgrade at the backend, so the stream server sees plain SPDY.
import type { Duplex } from 'node:stream';
import { createWebSocketStream, type WebSocket } from 'ws';
import { splice } from './upgrade.js';

export const portForwardTunnelProtocol = 'SPDY/3.1+portforward.k8s.io';

export function tunnel(ws: WebSocket, backend: Duplex, backendHead: Buffer): Promise<void> {
  const stream = createWebSocketStream(ws);
  stream.on('error', () => stream.destroy());
  return splice(stream, Buffer.alloc(0), backend, backendHead);
}
