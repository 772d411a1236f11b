// A SPDY/3.1 session over one connection, as spdystream (Go) speaks it for kubectl and the kubelet: streams opened
// with SYN_STREAM (odd ids from the client, even from the server), accepted with SYN_REPLY, data half-closed with
// FIN, reset with RST_STREAM; PINGs are echoed. Like spdystream it keeps no flow-control windows.
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { type Frame, FrameDecoder, FrameEncoder, rstStatus, type SpdyHeaders } from './frames.js';

/** Data frames are cut at this size (spdystream reads up to 16 MiB; 32 KiB keeps latency low). */
const maxDataFrame = 32 * 1024;

export class SpdyStream extends EventEmitter {
  private replied = false;
  private queued: { data: Buffer; fin: boolean }[] = [];
  private localEnded = false;
  private remoteEnded = false;
  closed = false;

  constructor(
    private session: SpdySession,
    readonly id: number,
    /** The headers of the SYN_STREAM that opened it. */
    readonly headers: SpdyHeaders,
    local: boolean,
  ) {
    super();
    this.replied = !local;
  }

  /** Accepts a stream the peer opened. */
  reply(headers: SpdyHeaders = {}): void {
    this.session.send({ type: 'synReply', streamId: this.id, fin: false, headers });
  }

  write(data: Buffer | string): void {
    if (this.localEnded || this.closed) return;
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    for (let at = 0; at < bytes.length; at += maxDataFrame) {
      this.push(bytes.subarray(at, at + maxDataFrame), false);
    }
  }

  /** Half-closes our side (a DATA frame with FIN). */
  end(): void {
    if (this.localEnded || this.closed) return;
    this.localEnded = true;
    this.push(Buffer.alloc(0), true);
    this.maybeClosed();
  }

  reset(status = rstStatus.cancel): void {
    if (this.closed) return;
    this.session.send({ type: 'rstStream', streamId: this.id, status });
    this.finish();
  }

  private push(data: Buffer, fin: boolean): void {
    if (!this.replied) this.queued.push({ data, fin });
    else this.session.send({ type: 'data', streamId: this.id, fin, data });
  }

  /** @internal */
  onReply(): void {
    if (this.replied) return;
    this.replied = true;
    for (const { data, fin } of this.queued.splice(0)) {
      this.session.send({ type: 'data', streamId: this.id, fin, data });
    }
    this.emit('reply');
  }

  /** @internal */
  onData(data: Buffer, fin: boolean): void {
    if (data.length) this.emit('data', data);
    if (fin) this.onRemoteEnd();
  }

  /** @internal */
  onRemoteEnd(): void {
    if (this.remoteEnded) return;
    this.remoteEnded = true;
    this.emit('end');
    this.maybeClosed();
  }

  /** @internal */
  finish(): void {
    if (this.closed) return;
    if (!this.remoteEnded) {
      this.remoteEnded = true;
      this.emit('end');
    }
    this.closed = true;
    this.session.forget(this.id);
    this.emit('close');
  }

  private maybeClosed(): void {
    if (this.localEnded && this.remoteEnded) this.finish();
  }
}

export class SpdySession extends EventEmitter {
  private encoder = new FrameEncoder();
  private decoder = new FrameDecoder();
  private streams = new Map<number, SpdyStream>();
  private nextId: number;
  private closed = false;
  /** Frames are encoded and parsed one at a time, in order (the header contexts are shared). */
  private writing: Promise<void> = Promise.resolve();
  private reading: Promise<void> = Promise.resolve();

  constructor(
    private socket: Duplex,
    readonly role: 'client' | 'server',
  ) {
    super();
    this.nextId = role === 'client' ? 1 : 2;
    socket.on('data', (chunk: Buffer) => {
      this.reading = this.reading.then(async () => {
        let frames: Frame[];
        try {
          frames = await this.decoder.push(chunk);
        } catch (error) {
          this.emit('protocolError', error);
          this.destroy();
          return;
        }
        for (const frame of frames) this.handle(frame);
      });
    });
    // Frames already read are handled before the session counts as closed.
    const closed = () => {
      this.reading = this.reading.then(() => this.onClosed());
    };
    socket.on('close', closed);
    socket.on('end', closed);
    socket.on('error', closed);
  }

  /** Opens a stream; data written before the peer's SYN_REPLY waits for it (spdystream drops it otherwise). */
  createStream(headers: SpdyHeaders, fin = false): SpdyStream {
    const id = this.nextId;
    this.nextId += 2;
    const stream = new SpdyStream(this, id, headers, true);
    this.streams.set(id, stream);
    this.send({ type: 'synStream', streamId: id, associatedId: 0, fin, unidirectional: false, headers });
    return stream;
  }

  /** Says goodbye (GOAWAY) and ends the connection once written. */
  close(): void {
    if (this.closed) return;
    this.send({ type: 'goAway', lastStreamId: 0, status: 0 });
    this.writing = this.writing.then(() => {
      this.socket.end();
    });
  }

  destroy(): void {
    this.socket.destroy();
    this.onClosed();
  }

  /** @internal */
  send(frame: Frame): void {
    if (this.closed || this.socket.destroyed) return;
    this.writing = this.writing.then(async () => {
      if (this.closed || this.socket.destroyed) return;
      const bytes = await this.encoder.encode(frame).catch(() => undefined);
      if (bytes && !this.socket.destroyed) this.socket.write(bytes);
    });
  }

  /** Resolves once every frame sent so far has been handed to the connection. */
  flushed(): Promise<void> {
    return this.writing;
  }

  /** @internal */
  forget(id: number): void {
    this.streams.delete(id);
  }

  private handle(frame: Frame): void {
    switch (frame.type) {
      case 'synStream': {
        const stream = new SpdyStream(this, frame.streamId, frame.headers, false);
        this.streams.set(frame.streamId, stream);
        this.emit('stream', stream);
        if (frame.fin) stream.onRemoteEnd();
        return;
      }
      case 'synReply': {
        const stream = this.streams.get(frame.streamId);
        stream?.onReply();
        if (frame.fin) stream?.onRemoteEnd();
        return;
      }
      case 'headers':
        if (frame.fin) this.streams.get(frame.streamId)?.onRemoteEnd();
        return;
      case 'data':
        this.streams.get(frame.streamId)?.onData(frame.data, frame.fin);
        return;
      case 'rstStream':
        this.streams.get(frame.streamId)?.finish();
        return;
      case 'ping':
        // Echo the peer's pings (ids of the other parity); ours are not sent.
        if ((frame.id & 1) !== (this.role === 'client' ? 1 : 0)) this.send(frame);
        return;
      case 'goAway':
        this.emit('goaway');
        return;
      default:
        return;
    }
  }

  private onClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.writing.then(() => this.encoder.close());
    this.reading.then(() => this.decoder.close());
    for (const stream of [...this.streams.values()]) stream.finish();
    this.emit('close');
  }
}
