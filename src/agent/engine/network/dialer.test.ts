// The VPC dialer's protocol (run here in the agent's own namespace): a connection is handed over with nothing the
// far side sent first lost, a refused port rejects with ECONNREFUSED, and HTTP and gRPC work over a dialed socket.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttp } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { grpcHealth } from '../../lifecycle/handlers/grpc.js';
import { httpGet } from '../../lifecycle/handlers/http-get.js';
import { VpcDialer } from './dialer.js';

let dialer: VpcDialer;
const socketDir = mkdtempSync(join(tmpdir(), 'dialer-'));
const servers: Server[] = [];
const listen = async (server: Server) => {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
};

before(async () => {
  dialer = new VpcDialer('', join(socketDir, 'd.sock'));
  await dialer.start();
});
after(() => {
  dialer.stop();
  for (const s of servers) s.close();
  rmSync(socketDir, { recursive: true, force: true });
});

it('hands over the connection without losing what the far side says first', async () => {
  const port = await listen(createServer((socket) => socket.end('hello first\n')));
  const socket = await dialer.dial('127.0.0.1', port, 1000);
  await new Promise((resolve) => setTimeout(resolve, 100));
  let text = '';
  socket.on('data', (d) => (text += d));
  await new Promise((resolve) => socket.once('end', resolve));
  assert.equal(text, 'hello first\n');
});

it('rejects a refused port with its code', async () => {
  const port = await listen(createServer());
  servers.pop()!.close();
  await new Promise((resolve) => setTimeout(resolve, 50));
  await assert.rejects(dialer.dial('127.0.0.1', port, 1000), { code: 'ECONNREFUSED' });
});

it('carries a grpc health check (HTTP/2, where the server speaks first)', async () => {
  const server = new grpc.Server();
  server.addService(
    {
      Check: {
        path: '/grpc.health.v1.Health/Check',
        requestStream: false,
        responseStream: false,
        requestSerialize: (b: Buffer) => b,
        requestDeserialize: (b: Buffer) => ({ raw: b }),
        responseSerialize: (n: number) => Buffer.from([0x08, n]),
        responseDeserialize: (b: Buffer) => b,
      },
    },
    { Check: (_call: unknown, callback: (e: null, n: number) => void) => callback(null, 1) },
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  try {
    const outcome = await grpcHealth('127.0.0.1', port, '', 2000, (h, p, t) => dialer.dial(h, p, t));
    assert.deepEqual(outcome, { result: 'success', message: 'service healthy' });
  } finally {
    server.forceShutdown();
  }
});

it('carries an HTTP probe', async () => {
  const port = await listen(createHttp((_req, res) => res.end('ok')) as unknown as Server);
  const target = { scheme: 'HTTP', host: '127.0.0.1', port, path: '/', headers: [] };
  const outcome = await httpGet(target, 1000, (h, p, t) => dialer.dial(h, p, t));
  assert.deepEqual([outcome.result, outcome.statusCode], ['success', 200]);
});
