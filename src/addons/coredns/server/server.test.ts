// Skiff's CoreDNS end to end in one process: the EKS Corefile's plugins over a real in-process kube API (Services
// and EndpointSlices created through it), queries over UDP and TCP with dns-packet, names outside the cluster
// forwarded to a stub upstream on loopback named by a resolv.conf, hosts entries, /ready and the Corefile's
// parse errors as CoreDNS words them.
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import dnsPacket from 'dns-packet';
import { inProcessClient } from '../../../kube/index.js';
import { startTestApi, type TestApi } from '../../../kube/testing/api.js';
import { until } from '../../../testing/until.js';
import { parseCorefile } from './corefile.js';
import { upstreamsOf } from './forward.js';
import { type RunningCoreDns, runCoreDns } from './server.js';

const corefile = (upstreamPort: number) => `
.:53 {
    errors
    health 127.0.0.1:0
    kubernetes cluster.local in-addr.arpa ip6.arpa {
      pods insecure
      fallthrough in-addr.arpa ip6.arpa
    }
    hosts {
      10.6.180.43 local-domain.com
      fallthrough
    }
    forward . 127.0.0.1:${upstreamPort}
    cache 30
    loop
    reload
    loadbalance
}
`;

let api: TestApi;
let dns: RunningCoreDns;
let upstream: ReturnType<typeof createSocket>;
let upstreamAsked: string[] = [];

function askUdp(name: string, type: string, port: number): Promise<any> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => reject(new Error(`no answer for ${name}`)), 3000);
    socket.on('message', (m) => {
      clearTimeout(timer);
      socket.close();
      resolve(dnsPacket.decode(m));
    });
    socket.send(
      dnsPacket.encode({
        type: 'query',
        id: 4242,
        flags: dnsPacket.RECURSION_DESIRED,
        questions: [{ name, type: type as any }],
      }),
      port,
      '127.0.0.1',
    );
  });
}

function askTcp(name: string, type: string, port: number): Promise<any> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let data = Buffer.alloc(0);
    socket.on('connect', () =>
      socket.write(dnsPacket.streamEncode({ type: 'query', id: 7, questions: [{ name, type: type as any }] })),
    );
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      if (data.length >= 2 && data.length >= 2 + data.readUInt16BE(0)) {
        socket.end();
        resolve(dnsPacket.streamDecode(data));
      }
    });
    socket.on('error', reject);
  });
}

let dir: string | undefined;
before(async () => {
  api = await startTestApi();
  const client = inProcessClient(api.ctx);
  upstream = createSocket('udp4');
  upstream.on('message', (m, r) => {
    const q = dnsPacket.decode(m);
    upstreamAsked.push(q.questions![0]!.name);
    const answer = dnsPacket.encode({
      type: 'response',
      id: q.id,
      flags: dnsPacket.RECURSION_AVAILABLE,
      questions: q.questions,
      answers: [{ name: q.questions![0]!.name, type: 'A', ttl: 60, data: '192.0.2.10' }],
    });
    upstream.send(answer, r.port, r.address);
  });
  await new Promise<void>((resolve) => upstream.bind(0, '127.0.0.1', () => resolve()));
  const upstreamPort = upstream.address().port;
  dir = mkdtempSync(join(tmpdir(), 'skiff-coredns-'));
  writeFileSync(join(dir, 'Corefile'), corefile(upstreamPort));
  await client.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { clusterIP: '10.100.50.5', ports: [{ name: 'http', port: 80 }] },
  });
  await client.create({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'web-x1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.0.130.9'], conditions: { ready: true } }],
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  });
  dns = await runCoreDns({
    corefilePath: join(dir, 'Corefile'),
    client: () => client,
    dnsPort: 0,
    log: () => {},
  });
});
after(async () => {
  await dns?.stop();
  upstream?.close();
  await api?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('runCoreDns', () => {
  it('answers a Service over UDP and TCP once synced', async () => {
    const reply = await until(async () => {
      const r = await askUdp('web.default.svc.cluster.local', 'A', dns.dnsPort);
      return r.rcode === 'NOERROR' ? r : undefined;
    }, 'the kubernetes plugin to sync');
    assert.equal(reply.id, 4242);
    assert.ok(reply.flags & dnsPacket.AUTHORITATIVE_ANSWER);
    assert.deepEqual(
      reply.answers.map((a: any) => a.data),
      ['10.100.50.5'],
    );
    const tcp = await askTcp('web.default.svc.cluster.local', 'A', dns.dnsPort);
    assert.deepEqual(
      tcp.answers.map((a: any) => a.data),
      ['10.100.50.5'],
    );
  });

  it('sees a new Service through its watch', async () => {
    await inProcessClient(api.ctx).create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'late', namespace: 'default' },
      spec: { clusterIP: '10.100.50.6', ports: [{ port: 80 }] },
    });
    await until(async () => {
      const r = await askUdp('late.default.svc.cluster.local', 'A', dns.dnsPort);
      return r.answers?.[0]?.data === '10.100.50.6';
    }, 'the new Service');
  });

  it('answers NXDOMAIN with the SOA for unknown cluster names', async () => {
    const reply = await askUdp('nope.default.svc.cluster.local', 'A', dns.dnsPort);
    assert.equal(reply.rcode, 'NXDOMAIN');
    assert.equal(reply.authorities[0].type, 'SOA');
  });

  it('answers hosts entries', async () => {
    const reply = await askUdp('local-domain.com', 'A', dns.dnsPort);
    assert.deepEqual(
      reply.answers.map((a: any) => a.data),
      ['10.6.180.43'],
    );
  });

  it('forwards other names to the upstream and caches the answer', async () => {
    upstreamAsked = [];
    for (let i = 0; i < 2; i++) {
      const reply = await askUdp('example.test', 'A', dns.dnsPort);
      assert.deepEqual(
        reply.answers.map((a: any) => a.data),
        ['192.0.2.10'],
      );
    }
    assert.deepEqual(upstreamAsked, ['example.test']);
  });

  it('answers PTR for the ClusterIP', async () => {
    const reply = await askUdp('5.50.100.10.in-addr.arpa', 'PTR', dns.dnsPort);
    assert.deepEqual(
      reply.answers.map((a: any) => a.data),
      ['web.default.svc.cluster.local'],
    );
  });
});

describe('upstreamsOf', () => {
  it('reads a resolv.conf’s nameservers and inline addresses', () => {
    const read = () => '# host\nnameserver 10.255.255.53\nsearch x\nnameserver 10.255.255.54\n';
    assert.deepEqual(upstreamsOf(['/etc/resolv.conf', '8.8.8.8:5353'], read), [
      { host: '10.255.255.53', port: 53 },
      { host: '10.255.255.54', port: 53 },
      { host: '8.8.8.8', port: 5353 },
    ]);
  });
});

describe('parseCorefile', () => {
  it('reads the EKS Corefile', () => {
    const [block] = parseCorefile(`.:53 {
    errors
    health {
        lameduck 5s
      }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
      pods insecure
      fallthrough in-addr.arpa ip6.arpa
    }
    prometheus :9153
    forward . /etc/resolv.conf
    cache 30
    loop
    reload
    loadbalance
}`);
    assert.deepEqual(block!.zones, ['']);
    assert.equal(block!.port, 53);
    assert.deepEqual(block!.health, { address: '0.0.0.0:8080', lameduckMs: 5000 });
    assert.deepEqual(block!.ready, { address: '0.0.0.0:8181' });
    assert.deepEqual(block!.prometheus, { address: '0.0.0.0:9153' });
    assert.deepEqual(block!.kubernetes, {
      zones: ['cluster.local', 'in-addr.arpa', 'ip6.arpa'],
      fallthrough: ['in-addr.arpa', 'ip6.arpa'],
      ttl: 5,
      pods: 'insecure',
    });
    assert.deepEqual(block!.forward, { from: '', to: ['/etc/resolv.conf'] });
    assert.deepEqual(block!.cache, { ttl: 30 });
  });

  it('refuses a directive it does not know, as CoreDNS words it', () => {
    assert.throws(() => parseCorefile('.:53 {\n    rewrite name a b\n}', 'Corefile'), {
      message: "Corefile:2 - Error during parsing: Unknown directive 'rewrite'",
    });
  });
});
