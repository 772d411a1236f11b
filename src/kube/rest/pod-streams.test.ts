// pods/exec and pods/portforward end to end in process, without a container runtime: the real kube API and an
// agent (over its mTLS endpoint) whose driver points at a stand-in stream server speaking SPDY/3.1 as containerd's
// does. SPDY from the client is relayed as it is, WebSocket v5 exec is translated to SPDY, and the WebSocket
// port-forward tunnel is unwrapped into SPDY.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Duplex } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { type Agent, startAgent } from '../../agent/agent.js';
import type { StreamRequest } from '../../agent/driver.js';
import { createSimulatedDriver } from '../../agent/simulated/index.js';
import { fastTimings, nodeObject, podObject, podWhere } from '../../agent/testing/harness.js';
import { execInPod } from '../../streams/exec-client.js';
import { SpdySession, type SpdyStream } from '../../streams/spdy/session.js';
import { inProcessClient } from '../index.js';
import { startTestApi, type TestApi } from '../testing/api.js';

let api: TestApi;
let agent: Agent;
let streamServer: Server;
const asked: StreamRequest[] = [];

const exitStatus = (code: number) =>
  JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: exit status ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  });

/** A stand-in for containerd's stream server: exec upper-cases stdin and exits 3; port-forward echoes. */
function serveStreams(req: IncomingMessage, socket: Duplex): void {
  const portForward = (req.url ?? '').startsWith('/portforward');
  const protocol = portForward ? 'portforward.k8s.io' : 'v4.channel.k8s.io';
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n' +
      `X-Stream-Protocol-Version: ${protocol}\r\n\r\n`,
  );
  const session = new SpdySession(socket, 'server');
  const streams = new Map<string, SpdyStream>();
  session.on('stream', (stream: SpdyStream) => {
    stream.reply();
    const type = stream.headers.streamtype!;
    streams.set(type, stream);
    if (portForward && type === 'data') {
      stream.on('data', (data: Buffer) => stream.write(Buffer.concat([Buffer.from(`${stream.headers.port}:`), data])));
    }
    if (!portForward && type === 'stdin') {
      let input = '';
      stream.on('data', (data: Buffer) => (input += data));
      stream.on('end', () => {
        streams.get('stdout')?.write(input.toUpperCase());
        streams.get('error')?.write(exitStatus(3));
        session.close();
      });
    }
  });
}

/**
 * A WebSocket client handshake and framing just big enough for this test (`ws` refuses the tunnel's sub-protocol
 * name, which is not an RFC 6455 token): binary messages in and out as a byte stream.
 */
function tunnelClient(path: string): Promise<{ protocol: string; stream: Duplex }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, api.server.url), {
      ca: api.caCert,
      headers: {
        Authorization: `Bearer ${api.token}`,
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        'Sec-WebSocket-Protocol': 'SPDY/3.1+portforward.k8s.io',
      },
    });
    req.on('response', (res) => reject(new Error(`HTTP ${res.statusCode}`)));
    req.on('error', reject);
    req.on('upgrade', (res, socket, head) => {
      let pending = head;
      const stream = new Duplex({
        read() {},
        write(chunk: Buffer, _encoding, done) {
          const mask = randomBytes(4);
          const size =
            chunk.length < 126
              ? Buffer.from([0x82, 0x80 | chunk.length])
              : Buffer.from([0x82, 0x80 | 126, chunk.length >> 8, chunk.length & 0xff]);
          const payload = Buffer.from(chunk.map((byte, i) => byte ^ mask[i % 4]!));
          socket.write(Buffer.concat([size, mask, payload]), done);
        },
      });
      const parse = () => {
        while (pending.length >= 2) {
          let length = pending[1]! & 0x7f;
          let at = 2;
          if (length === 126) {
            if (pending.length < 4) return;
            length = pending.readUInt16BE(2);
            at = 4;
          }
          if (pending.length < at + length) return;
          const opcode = pending[0]! & 0x0f;
          const payload = pending.subarray(at, at + length);
          pending = pending.subarray(at + length);
          if (opcode === 2) stream.push(Buffer.from(payload));
          if (opcode === 8) stream.push(null);
        }
      };
      socket.on('data', (data: Buffer) => {
        pending = Buffer.concat([pending, data]);
        parse();
      });
      parse();
      resolve({ protocol: String(res.headers['sec-websocket-protocol']), stream });
    });
    req.end();
  });
}

describe('exec and port-forward through the kube API and the agent', () => {
  before(async () => {
    streamServer = createServer();
    streamServer.on('upgrade', serveStreams);
    streamServer.listen(0, '127.0.0.1');
    await once(streamServer, 'listening');
    const streamBase = `http://127.0.0.1:${(streamServer.address() as AddressInfo).port}`;
    api = await startTestApi();
    const client = inProcessClient(api.ctx);
    const driver = createSimulatedDriver(fastTimings) as { streamUrl?: (r: StreamRequest) => Promise<string> };
    driver.streamUrl = async (r) => {
      asked.push(r);
      return `${streamBase}/${r.verb}/token`;
    };
    agent = await startAgent({
      client,
      hostName: 'test-host',
      capacity: { cpuMillis: 8000, memoryMiB: 16384, sandboxes: 100 },
      driver: driver as any,
      tls: await api.agentTls('test-host'),
      intervals: { hostLeaseRenewMs: 100, nodeLeaseRenewMs: 100, nodeStatusMs: 150, metricsMs: 100, statusBatchMs: 5 },
      onError: () => {},
    });
    await client.create(nodeObject('ng-1', '10.0.1.5', { podIPs: ['10.0.1.10'] }));
    await client.create(
      podObject('p', 'ng-1', { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] }),
    );
    await podWhere(client, 'p', (pod) => pod.status?.containerStatuses?.[0]?.state?.running, 'running');
  });
  after(async () => {
    await agent?.stop();
    await api?.close();
    streamServer?.close();
  });

  it('WebSocket v5 exec: stdin, its CLOSE, stdout and the exit code', async () => {
    const target = { server: api.server.url, token: api.token, ca: api.caCert, namespace: 'default', pod: 'p' };
    const result = await execInPod(target, ['sh', '-c', 'tr a-z A-Z; exit 3'], 'hello');
    assert.deepEqual(result, { exitCode: 3, stdout: 'HELLO', stderr: '' });
    const last = asked.at(-1)!;
    assert.equal(last.verb, 'exec');
    assert.deepEqual((last as any).command, ['sh', '-c', 'tr a-z A-Z; exit 3']);
    assert.deepEqual([(last as any).stdin, (last as any).stdout, (last as any).tty], [true, true, false]);
  });

  it('SPDY/3.1 exec is relayed as it is', async () => {
    const path = '/api/v1/namespaces/default/pods/p/exec?command=cat&stdin=true&stdout=true&stderr=true';
    const socket = await new Promise<Duplex>((resolve, reject) => {
      const req = request(new URL(path, api.server.url), {
        method: 'POST',
        ca: api.caCert,
        headers: {
          Authorization: `Bearer ${api.token}`,
          Connection: 'Upgrade',
          Upgrade: 'SPDY/3.1',
          'X-Stream-Protocol-Version': 'v4.channel.k8s.io',
        },
      });
      req.on('upgrade', (res, upgraded) => {
        assert.equal(res.headers['x-stream-protocol-version'], 'v4.channel.k8s.io');
        resolve(upgraded);
      });
      req.on('response', (res) => reject(new Error(`HTTP ${res.statusCode}`)));
      req.on('error', reject);
      req.end();
    });
    const session = new SpdySession(socket, 'client');
    const error = session.createStream({ streamtype: 'error' });
    const stdin = session.createStream({ streamtype: 'stdin' });
    const stdout = session.createStream({ streamtype: 'stdout' });
    session.createStream({ streamtype: 'stderr' });
    let out = '';
    let status = '';
    stdout.on('data', (d: Buffer) => (out += d));
    error.on('data', (d: Buffer) => (status += d));
    stdin.write('relayed');
    stdin.end();
    await once(session, 'close');
    assert.equal(out, 'RELAYED');
    assert.equal(JSON.parse(status).details.causes[0].message, '3');
  });

  it('WebSocket port-forward: the SPDY tunnel reaches the stream server', async () => {
    const { protocol, stream } = await tunnelClient('/api/v1/namespaces/default/pods/p/portforward');
    assert.equal(protocol, 'SPDY/3.1+portforward.k8s.io');
    const session = new SpdySession(stream, 'client');
    session.createStream({ streamtype: 'error', port: '8080', requestid: '0' });
    const data = session.createStream({ streamtype: 'data', port: '8080', requestid: '0' });
    data.write('ping');
    const [echo] = (await once(data, 'data')) as [Buffer];
    assert.equal(echo.toString(), '8080:ping');
    assert.equal(asked.at(-1)!.verb, 'portforward');
    session.destroy();
  });
});
