// kube-apiserver's StreamTranslatorProxy (KEP-4006): kubectl 1.30+ speaks exec/attach over a WebSocket with the
// v5.channel.k8s.io sub-protocol (v4.channel.k8s.io from older clients), one byte of channel before each message —
// 0 stdin, 1 stdout, 2 stderr, 3 error (a Status), 4 resize, and in v5 255 CLOSE (its byte names the channel to
// half-close). The runtime's stream server speaks SPDY, so each channel becomes a SPDY stream (streamtype header)
// of a client session on the upgraded connection to the agent.
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { SpdySession, type SpdyStream } from './spdy/session.js';

export const websocketExecProtocols = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

const highWaterMark = 1024 * 1024;

export const channel = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

export interface ExecStreams {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** The SPDY protocol versions asked of the stream server, newest first (the error stream carries a Status). */
export const spdyExecProtocols = ['v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];

/**
 * Relays one WebSocket exec/attach session onto an upgraded SPDY connection; resolves when both are closed.
 * `spdy` has already been switched (the stream server answered 101 to our SPDY/3.1 upgrade).
 */
export function translateExec(ws: WebSocket, spdy: Duplex, spdyHead: Buffer, streams: ExecStreams): Promise<void> {
  if (spdyHead.length) spdy.unshift(spdyHead);
  const session = new SpdySession(spdy, 'client');
  const open = (type: string) => session.createStream({ streamtype: type });
  const error = open('error');
  const stdin = streams.stdin ? open('stdin') : undefined;
  const stdout = streams.stdout ? open('stdout') : undefined;
  const stderr = streams.stderr && !streams.tty ? open('stderr') : undefined;
  const resize = streams.tty ? open('resize') : undefined;

  // Back-pressure both ways: a slow kubectl pauses the stream server's connection, a slow stream server pauses
  // kubectl's WebSocket (kubectl cp of a large file must not pile up in memory).
  const resumeSpdy = () => {
    if (ws.bufferedAmount < highWaterMark / 4 && spdy.isPaused()) spdy.resume();
  };
  const forward = (stream: SpdyStream | undefined, id: number) =>
    stream?.on('data', (data: Buffer) => {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(Buffer.concat([Buffer.from([id]), data]), resumeSpdy);
      if (ws.bufferedAmount > highWaterMark) spdy.pause();
    });
  forward(stdout, channel.stdout);
  forward(stderr, channel.stderr);
  forward(error, channel.error);

  ws.on('message', (message: Buffer, isBinary: boolean) => {
    const data = isBinary ? message : Buffer.from(message.toString(), 'utf8');
    if (data.length === 0) return;
    const id = data[0];
    const payload = data.subarray(1);
    if (id === channel.stdin && payload.length) {
      stdin?.write(payload);
      if (spdy.writableLength > highWaterMark && !ws.isPaused) {
        ws.pause();
        spdy.once('drain', () => ws.resume());
      }
    } else if (id === channel.resize && payload.length) resize?.write(payload);
    else if (id === channel.close && payload[0] === channel.stdin) stdin?.end();
  });

  return new Promise((resolve) => {
    let remaining = 2;
    const done = () => {
      remaining -= 1;
      if (remaining === 0) resolve();
    };
    session.once('close', () => {
      // Every frame read has been relayed; close once they are sent.
      if (ws.readyState === ws.OPEN) ws.close(1000);
      else ws.terminate();
      done();
    });
    ws.once('close', () => {
      session.destroy();
      done();
    });
    ws.once('error', () => ws.terminate());
  });
}
