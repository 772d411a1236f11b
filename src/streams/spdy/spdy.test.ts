// SPDY/3.1 framing and sessions: the dictionary's size, header blocks through shared zlib contexts, and a client
// and a server session talking over a real TCP connection (reply before data, FIN both ways, reset, ping echo).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { spdyDictionary } from './dictionary.js';
import { decodeHeaderBlock, encodeHeaderBlock, FrameDecoder, FrameEncoder } from './frames.js';
import { SpdySession, type SpdyStream } from './session.js';

async function socketPair(): Promise<[Socket, Socket, () => void]> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const accepted = once(server, 'connection');
  const client = connect((server.address() as any).port, '127.0.0.1');
  const [serverSide] = (await accepted) as [Socket];
  await once(client, 'connect').catch(() => {});
  return [client, serverSide, () => server.close()];
}

describe('spdy frames', () => {
  it('uses the 1423-byte SPDY/3 dictionary', () => {
    assert.equal(spdyDictionary.length, 1423);
    assert.equal(spdyDictionary.subarray(4, 11).toString(), 'options');
  });

  it('round-trips header blocks and frames through one compression context per direction', async () => {
    assert.deepEqual(decodeHeaderBlock(encodeHeaderBlock({ StreamType: 'error' })), { streamtype: 'error' });
    const encoder = new FrameEncoder();
    const decoder = new FrameDecoder();
    const bytes = Buffer.concat([
      await encoder.encode({
        type: 'synStream',
        streamId: 1,
        associatedId: 0,
        fin: false,
        unidirectional: false,
        headers: { streamtype: 'stdin' },
      }),
      await encoder.encode({
        type: 'synStream',
        streamId: 3,
        associatedId: 0,
        fin: true,
        unidirectional: false,
        headers: { streamtype: 'stdout', port: '80' },
      }),
      await encoder.encode({ type: 'data', streamId: 1, fin: true, data: Buffer.from('hi') }),
      await encoder.encode({ type: 'ping', id: 2 }),
    ]);
    const frames = [...(await decoder.push(bytes.subarray(0, 5))), ...(await decoder.push(bytes.subarray(5)))];
    assert.deepEqual(
      frames.map((f) => f.type),
      ['synStream', 'synStream', 'data', 'ping'],
    );
    assert.deepEqual((frames[1] as any).headers, { streamtype: 'stdout', port: '80' });
    assert.equal((frames[1] as any).fin, true);
    assert.equal((frames[2] as any).data.toString(), 'hi');
  });
});

describe('spdy sessions', () => {
  it('opens streams, waits for the reply before data, and half-closes both ways', async () => {
    const [a, b, done] = await socketPair();
    const client = new SpdySession(a, 'client');
    const server = new SpdySession(b, 'server');
    const received: string[] = [];
    server.on('stream', (stream: SpdyStream) => {
      assert.equal(stream.headers.streamtype, 'stdin');
      setTimeout(() => stream.reply(), 20);
      stream.on('data', (d: Buffer) => received.push(d.toString()));
      stream.on('end', () => {
        stream.write(`got ${received.join('')}`);
        stream.end();
      });
    });
    const stream = client.createStream({ streamtype: 'stdin' });
    stream.write('hello ');
    stream.write('world');
    stream.end();
    let answer = '';
    stream.on('data', (d: Buffer) => {
      answer += d;
    });
    await once(stream, 'close');
    assert.equal(answer, 'got hello world');
    client.close();
    await once(server, 'close');
    done();
  });

  it('resets a stream and echoes the peer pings', async () => {
    const [a, b, done] = await socketPair();
    const client = new SpdySession(a, 'client');
    const server = new SpdySession(b, 'server');
    server.on('stream', (stream: SpdyStream) => {
      stream.reply();
      stream.reset();
    });
    const stream = client.createStream({ streamtype: 'data' });
    await once(stream, 'close');
    const pong = new Promise<number>((resolve) => a.once('data', (d: Buffer) => resolve(d.readUInt32BE(8))));
    server.send({ type: 'ping', id: 2 });
    assert.equal(await pong, 2);
    client.destroy();
    server.destroy();
    done();
  });
});
