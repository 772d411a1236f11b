// SPDY/3.1 frames (spdy-protocol-draft3-1): encoding and parsing of DATA, SYN_STREAM, SYN_REPLY, RST_STREAM,
// SETTINGS, PING, GOAWAY, HEADERS and WINDOW_UPDATE, with header blocks compressed by one zlib context per
// direction, primed with the SPDY dictionary and sync-flushed after each block (as Go's spdy framer does).
import zlib from 'node:zlib';
import { spdyDictionary } from './dictionary.js';

export const spdyVersion = 3;

export const controlType = {
  synStream: 1,
  synReply: 2,
  rstStream: 3,
  settings: 4,
  ping: 6,
  goAway: 7,
  headers: 8,
  windowUpdate: 9,
} as const;

export const flagFin = 0x01;
export const flagUnidirectional = 0x02;

/** RST_STREAM status codes. */
export const rstStatus = { protocolError: 1, invalidStream: 2, refusedStream: 3, cancel: 5, internalError: 6 };

/** Header names are lowercase; several values of one name are joined with NUL, as on the wire. */
export type SpdyHeaders = Record<string, string>;

export type Frame =
  | { type: 'data'; streamId: number; fin: boolean; data: Buffer }
  | {
      type: 'synStream';
      streamId: number;
      associatedId: number;
      fin: boolean;
      unidirectional: boolean;
      headers: SpdyHeaders;
    }
  | { type: 'synReply'; streamId: number; fin: boolean; headers: SpdyHeaders }
  | { type: 'headers'; streamId: number; fin: boolean; headers: SpdyHeaders }
  | { type: 'rstStream'; streamId: number; status: number }
  | { type: 'settings'; entries: { flags: number; id: number; value: number }[] }
  | { type: 'ping'; id: number }
  | { type: 'goAway'; lastStreamId: number; status: number }
  | { type: 'windowUpdate'; streamId: number; delta: number }
  | { type: 'unknown'; control: number };

/**
 * Runs one chunk through a long-lived zlib context and sync-flushes it (the header contexts live for the session).
 * Calls must not overlap: the session chains them.
 */
function processFlushed(context: zlib.Deflate | zlib.Inflate, chunk: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const onData = (data: Buffer) => chunks.push(data);
    const onError = (error: Error) => {
      context.off('data', onData);
      reject(error);
    };
    context.on('data', onData);
    context.once('error', onError);
    context.write(chunk);
    context.flush(zlib.constants.Z_SYNC_FLUSH, () => {
      context.off('data', onData);
      context.off('error', onError);
      resolve(Buffer.concat(chunks));
    });
  });
}

export function encodeHeaderBlock(headers: SpdyHeaders): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [u32(entries.length)];
  for (const [name, value] of entries) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from(value, 'utf8');
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

export function decodeHeaderBlock(block: Buffer): SpdyHeaders {
  const headers: SpdyHeaders = {};
  let at = 0;
  const take = (length: number) => {
    if (at + length > block.length) throw new Error('spdy: truncated header block');
    const bytes = block.subarray(at, at + length);
    at += length;
    return bytes;
  };
  const count = take(4).readUInt32BE();
  for (let i = 0; i < count; i++) {
    const name = take(take(4).readUInt32BE()).toString('utf8').toLowerCase();
    const value = take(take(4).readUInt32BE()).toString('utf8');
    headers[name] = name in headers ? `${headers[name]}\0${value}` : value;
  }
  return headers;
}

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value >>> 0);
  return b;
}

function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | spdyVersion, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE(payload.length, 4);
  head.writeUInt8(flags, 4);
  return Buffer.concat([head, payload]);
}

/** Turns frames into bytes; one per connection direction (it owns the header compression context). */
export class FrameEncoder {
  private deflate = zlib.createDeflate({ dictionary: spdyDictionary, level: zlib.constants.Z_BEST_COMPRESSION });

  private headerBlock(headers: SpdyHeaders): Promise<Buffer> {
    return processFlushed(this.deflate, encodeHeaderBlock(headers));
  }

  close(): void {
    this.deflate.close();
  }

  /** The frame's bytes; calls must not overlap (the compression context is shared). */
  async encode(frame: Frame): Promise<Buffer> {
    switch (frame.type) {
      case 'data': {
        const head = Buffer.alloc(8);
        head.writeUInt32BE(frame.streamId & 0x7fffffff, 0);
        head.writeUInt32BE(frame.data.length, 4);
        head.writeUInt8(frame.fin ? flagFin : 0, 4);
        return Buffer.concat([head, frame.data]);
      }
      case 'synStream': {
        const ids = Buffer.alloc(10);
        ids.writeUInt32BE(frame.streamId & 0x7fffffff, 0);
        ids.writeUInt32BE(frame.associatedId & 0x7fffffff, 4);
        const flags = (frame.fin ? flagFin : 0) | (frame.unidirectional ? flagUnidirectional : 0);
        return controlFrame(controlType.synStream, flags, Buffer.concat([ids, await this.headerBlock(frame.headers)]));
      }
      case 'synReply':
      case 'headers': {
        const type = frame.type === 'synReply' ? controlType.synReply : controlType.headers;
        const payload = Buffer.concat([u32(frame.streamId & 0x7fffffff), await this.headerBlock(frame.headers)]);
        return controlFrame(type, frame.fin ? flagFin : 0, payload);
      }
      case 'rstStream':
        return controlFrame(controlType.rstStream, 0, Buffer.concat([u32(frame.streamId), u32(frame.status)]));
      case 'settings': {
        const parts = [u32(frame.entries.length)];
        for (const e of frame.entries) parts.push(u32(((e.flags & 0xff) << 24) | (e.id & 0xffffff)), u32(e.value));
        return controlFrame(controlType.settings, 0, Buffer.concat(parts));
      }
      case 'ping':
        return controlFrame(controlType.ping, 0, u32(frame.id));
      case 'goAway':
        return controlFrame(controlType.goAway, 0, Buffer.concat([u32(frame.lastStreamId), u32(frame.status)]));
      case 'windowUpdate':
        return controlFrame(controlType.windowUpdate, 0, Buffer.concat([u32(frame.streamId), u32(frame.delta)]));
      case 'unknown':
        throw new Error(`spdy: cannot encode an unknown frame (type ${frame.control})`);
    }
  }
}

/** Cuts a byte stream into frames; one per connection direction (it owns the header decompression context). */
export class FrameDecoder {
  private inflate = zlib.createInflate({ dictionary: spdyDictionary });
  private pending: Buffer = Buffer.alloc(0);

  private async headerBlock(compressed: Buffer): Promise<SpdyHeaders> {
    return decodeHeaderBlock(await processFlushed(this.inflate, compressed));
  }

  close(): void {
    this.inflate.close();
  }

  /** The whole frames now available; the rest waits for more bytes. Calls must not overlap. */
  async push(chunk: Buffer): Promise<Frame[]> {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: Frame[] = [];
    while (this.pending.length >= 8) {
      const length = this.pending.readUInt32BE(4) & 0xffffff;
      if (this.pending.length < 8 + length) break;
      const head = this.pending.subarray(0, 8);
      const payload = this.pending.subarray(8, 8 + length);
      this.pending = this.pending.subarray(8 + length);
      frames.push(await this.decode(head, Buffer.from(payload)));
    }
    return frames;
  }

  private async decode(head: Buffer, payload: Buffer): Promise<Frame> {
    const flags = head.readUInt8(4);
    if ((head.readUInt8(0) & 0x80) === 0) {
      return { type: 'data', streamId: head.readUInt32BE(0) & 0x7fffffff, fin: (flags & flagFin) !== 0, data: payload };
    }
    const version = head.readUInt16BE(0) & 0x7fff;
    if (version !== spdyVersion) throw new Error(`spdy: unsupported version ${version}`);
    const type = head.readUInt16BE(2);
    const fin = (flags & flagFin) !== 0;
    const id = (at: number) => payload.readUInt32BE(at) & 0x7fffffff;
    switch (type) {
      case controlType.synStream:
        return {
          type: 'synStream',
          streamId: id(0),
          associatedId: id(4),
          fin,
          unidirectional: (flags & flagUnidirectional) !== 0,
          headers: await this.headerBlock(payload.subarray(10)),
        };
      case controlType.synReply:
        return { type: 'synReply', streamId: id(0), fin, headers: await this.headerBlock(payload.subarray(4)) };
      case controlType.headers:
        return { type: 'headers', streamId: id(0), fin, headers: await this.headerBlock(payload.subarray(4)) };
      case controlType.rstStream:
        return { type: 'rstStream', streamId: id(0), status: payload.readUInt32BE(4) };
      case controlType.settings: {
        const count = payload.readUInt32BE(0);
        const entries = [];
        for (let i = 0; i < count && 4 + i * 8 + 8 <= payload.length; i++) {
          const word = payload.readUInt32BE(4 + i * 8);
          entries.push({ flags: word >>> 24, id: word & 0xffffff, value: payload.readUInt32BE(8 + i * 8) });
        }
        return { type: 'settings', entries };
      }
      case controlType.ping:
        return { type: 'ping', id: payload.readUInt32BE(0) };
      case controlType.goAway:
        return { type: 'goAway', lastStreamId: id(0), status: payload.length >= 8 ? payload.readUInt32BE(4) : 0 };
      case controlType.windowUpdate:
        return { type: 'windowUpdate', streamId: id(0), delta: payload.readUInt32BE(4) & 0x7fffffff };
      default:
        return { type: 'unknown', control: type };
    }
  }
}
