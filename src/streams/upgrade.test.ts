// The upgrade relay: bytes both ways with what each side had already read, the end of one side passed on, and a
// peer that ignores the half-close (as a stream server may) cut after the grace period instead of holding the relay.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { splice } from './upgrade.js';

/** Two connected TCP sockets on loopback. */
async function pair(): Promise<[Socket, Socket]> {
  const server = createServer({ allowHalfOpen: true });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const accepted = once(server, 'connection');
  const client = connect({ port: (server.address() as any).port, host: '127.0.0.1', allowHalfOpen: true });
  const [other] = (await accepted) as [Socket];
  server.close();
  return [client, other];
}

describe('splice', () => {
  it('relays both ways, heads first, and ends the other side when one ends', async () => {
    const [client, relayClientSide] = await pair();
    const [relayServerSide, server] = await pair();
    const relay = splice(relayClientSide, Buffer.from('early '), relayServerSide, Buffer.from('hello '), 200);
    let atServer = '';
    server.on('data', (d) => (atServer += d));
    let atClient = '';
    client.on('data', (d) => (atClient += d));
    client.write('request');
    server.write('answer');
    await new Promise((resolve) => setTimeout(resolve, 50));
    server.end();
    await once(client, 'end');
    assert.equal(atServer, 'early request');
    assert.equal(atClient, 'hello answer');
    await relay;
    client.destroy();
    server.destroy();
  });

  it('cuts a peer that ignores the half-close after the grace period', async () => {
    const [client, relayClientSide] = await pair();
    const [relayServerSide, server] = await pair();
    const started = Date.now();
    const relay = splice(relayClientSide, Buffer.alloc(0), relayServerSide, Buffer.alloc(0), 100);
    client.end();
    // The server side sees the end but keeps its half open; the relay still finishes.
    await once(server, 'end');
    await relay;
    assert.ok(Date.now() - started >= 90);
    assert.ok(relayClientSide.destroyed && relayServerSide.destroyed);
    client.destroy();
    server.destroy();
  });
});
