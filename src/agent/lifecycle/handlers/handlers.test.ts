// The network probe handlers against local servers: httpGet (status codes, headers, HTTPS without verification,
// timeouts, refused connections in Go's words), tcpSocket, and grpc.health.v1 Health/Check.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttp, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { createServer as createTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { type Dial, directDial } from './dial.js';
import { decodeResponse, encodeRequest, grpcHealth } from './grpc.js';
import { httpGet } from './http-get.js';
import { tcpSocket } from './tcp-socket.js';

const servers: { close(): void }[] = [];
after(() => {
  for (const s of servers) s.close();
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

async function freePort(): Promise<number> {
  const s = createTcp();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

describe('httpGet', () => {
  let seen: IncomingHttpHeaders = {};
  const handler = (req: any, res: any) => {
    seen = req.headers;
    if (req.url === '/slow') return setTimeout(() => res.end('late'), 500);
    res.statusCode = req.url === '/bad' ? 500 : req.url === '/moved' ? 302 : 200;
    res.end('ok');
  };
  const target = (port: number, path: string, scheme = 'HTTP') => ({
    scheme,
    host: '127.0.0.1',
    port,
    path,
    headers: [{ name: 'X-Custom', value: 'yes' }],
  });

  it('passes 2xx and 3xx, fails others with the kubelet message, sends headers', async () => {
    const port = await listen(createHttp(handler));
    assert.equal((await httpGet(target(port, '/'), 1000)).result, 'success');
    assert.equal(seen['user-agent'], 'kube-probe/1.32');
    assert.equal(seen['x-custom'], 'yes');
    assert.equal((await httpGet(target(port, '/moved'), 1000)).result, 'success');
    assert.deepEqual(await httpGet(target(port, '/bad'), 1000), {
      result: 'failure',
      message: 'HTTP probe failed with statuscode: 500',
      statusCode: 500,
    });
    const slow = await httpGet(target(port, '/slow'), 100);
    assert.equal(
      slow.message,
      `Get "http://127.0.0.1:${port}/slow": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
    );
  });

  it('reports a refused connection as Go does', async () => {
    const port = await freePort();
    const outcome = await httpGet(target(port, '/healthz'), 1000);
    assert.equal(
      outcome.message,
      `Get "http://127.0.0.1:${port}/healthz": dial tcp 127.0.0.1:${port}: connect: connection refused`,
    );
  });

  it('does not verify the certificate over HTTPS', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'probe-tls-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=nobody',
        '-days',
        '1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const tls = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
    const port = await listen(createHttps(tls, handler) as unknown as Server);
    const tlsOutcome = await httpGet(target(port, '/', 'HTTPS'), 2000);
    assert.equal(tlsOutcome.result, 'success', tlsOutcome.message);
  });
});

describe('dialing', () => {
  it('every network handler connects through the given dialer', async () => {
    const port = await listen(createHttp((_req, res) => res.end('ok')));
    const dialed: string[] = [];
    const dial: Dial = (host, p, timeoutMs) => {
      dialed.push(`${host}:${p}`);
      return directDial('127.0.0.1', port, timeoutMs);
    };
    const far = { scheme: 'HTTP', host: '10.255.255.1', port: 81, path: '/', headers: [] };
    assert.equal((await httpGet(far, 1000, dial)).result, 'success');
    assert.equal((await tcpSocket('10.255.255.1', 82, 1000, dial)).result, 'success');
    assert.deepEqual(dialed, ['10.255.255.1:81', '10.255.255.1:82']);
  });
});

describe('tcpSocket', () => {
  it('passes when the port accepts, fails in Go words when refused', async () => {
    const server = createTcp((socket) => socket.end());
    const port = await listen(server as unknown as Server);
    assert.equal((await tcpSocket('127.0.0.1', port, 1000)).result, 'success');
    const closed = await freePort();
    assert.deepEqual(await tcpSocket('127.0.0.1', closed, 1000), {
      result: 'failure',
      message: `dial tcp 127.0.0.1:${closed}: connect: connection refused`,
    });
  });
});

describe('grpc', () => {
  it('encodes and decodes the health messages', () => {
    assert.deepEqual([...encodeRequest('svc')], [0x0a, 3, 0x73, 0x76, 0x63]);
    assert.equal(decodeResponse(Buffer.from([0x08, 2])), 2);
    assert.equal(decodeResponse(Buffer.alloc(0)), 0);
  });

  it('calls grpc.health.v1.Health/Check: SERVING passes, NOT_SERVING fails', async () => {
    const server = new grpc.Server();
    const statusOf: Record<string, number> = { '': 1, down: 2 };
    server.addService(
      {
        Check: {
          path: '/grpc.health.v1.Health/Check',
          requestStream: false,
          responseStream: false,
          requestSerialize: (s: string) => encodeRequest(s),
          requestDeserialize: (b: Buffer) => ({ service: b.length ? b.subarray(2).toString() : '' }),
          responseSerialize: (n: number) => Buffer.from([0x08, n]),
          responseDeserialize: decodeResponse,
        },
      },
      { Check: (call: any, callback: any) => callback(null, statusOf[call.request.service] ?? 3) },
    );
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
    );
    servers.push({ close: () => server.forceShutdown() });
    assert.deepEqual(await grpcHealth('127.0.0.1', port, '', 1000), { result: 'success', message: 'service healthy' });
    assert.deepEqual(await grpcHealth('127.0.0.1', port, 'down', 1000), {
      result: 'failure',
      message: 'service unhealthy (responded with "NOT_SERVING")',
    });
    const closed = await freePort();
    assert.deepEqual(await grpcHealth('127.0.0.1', closed, '', 300), {
      result: 'failure',
      message: `timeout: failed to connect service "127.0.0.1:${closed}" within 300ms: context deadline exceeded`,
    });
  });
});
