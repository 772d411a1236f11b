// The data path against servers on loopback: routing by path and by the Host header between load balancers that
// share a port, health checks keeping failing targets out, ELB's 503 with no target, a port in use reported, the
// TCP proxy of an NLB, and a load balancer's port closed when it goes.
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import { connect, createServer as createTcpServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { TargetHealth } from './health.js';
import { LoadBalancerListeners } from './listeners.js';
import type { HealthCheck, LoadBalancer, TargetGroup } from './model.js';
import { compile } from './rules.js';

const check: HealthCheck = {
  protocol: 'HTTP',
  path: '/healthz',
  port: 'traffic-port',
  intervalSeconds: 1,
  timeoutSeconds: 1,
  healthyThreshold: 1,
  unhealthyThreshold: 1,
  matcher: '200',
};

async function freePort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A backend answering its name, whose /healthz passes while `healthy` says so. */
async function backend(name: string, state = { healthy: true }): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    if (req.url === '/healthz') res.writeHead(state.healthy ? 200 : 500).end();
    else res.end(`${name} ${req.url} ${req.headers['x-forwarded-for']} ${req.headers['x-forwarded-port']}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

function get(port: number, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const group = (id: string, ports: number[]): TargetGroup => ({
  id,
  service: id,
  servicePort: { port: 80 },
  healthCheck: check,
  targets: ports.map((port) => ({ ip: '127.0.0.1', port })),
});

function alb(
  id: string,
  address: string,
  port: number,
  groups: TargetGroup[],
  rules: [string[], string[], string][],
): LoadBalancer {
  return {
    id,
    type: 'application',
    name: id,
    address,
    scheme: 'internet-facing',
    listeners: [
      {
        port,
        protocol: 'HTTP',
        rules: rules.map(([hosts, paths, tg], i) =>
          compile({ priority: i + 1, hosts, paths, action: { type: 'forward', targetGroup: tg }, ingress: id }),
        ),
        defaultAction: { type: 'fixed-response', statusCode: 404 },
      },
    ],
    targetGroups: new Map(groups.map((g) => [g.id, g])),
    owners: [],
  };
}

describe('load balancer listeners', () => {
  const health = new TargetHealth();
  const listeners = new LoadBalancerListeners('127.0.0.1', health);
  const servers: Server[] = [];
  let a: number;
  let b: number;
  let sick: number;
  const sickState = { healthy: false };
  let port: number;

  before(async () => {
    const made = await Promise.all([backend('a'), backend('b'), backend('sick', sickState)]);
    servers.push(...made.map((m) => m.server));
    [a, b, sick] = made.map((m) => m.port) as [number, number, number];
    port = await freePort();
  });
  after(async () => {
    await listeners.close();
    health.stop();
    for (const s of servers) s.close();
  });

  const apply = async (lbs: LoadBalancer[]) => {
    const problems = await listeners.apply(lbs);
    health.update(lbs.flatMap((lb) => [...lb.targetGroups.values()]));
    return problems;
  };

  it('routes by path to target groups, keeps failing targets out, answers 404 and 503 as ELB', async () => {
    const lb = alb(
      'one',
      'one.elb.localhost',
      port,
      [group('ga', [a, sick]), group('gb', [b]), group('empty', [])],
      [
        [[], ['/b', '/b/*'], 'gb'],
        [[], ['/a*'], 'ga'],
        [[], ['/none'], 'empty'],
      ],
    );
    assert.equal((await apply([lb])).size, 0);
    await sleep(200);
    for (let i = 0; i < 4; i++) {
      const res = await get(port, '/a1', 'one.elb.localhost');
      assert.equal(res.status, 200);
      assert.match(res.body, new RegExp(`^a /a1 127\\.0\\.0\\.1 ${port}$`));
    }
    assert.match((await get(port, '/b/x', 'whatever')).body, /^b \/b\/x/);
    assert.equal((await get(port, '/zzz', 'one.elb.localhost')).status, 404);
    const unavailable = await get(port, '/none', 'one.elb.localhost');
    assert.equal(unavailable.status, 503);
    assert.match(unavailable.body, /503 Service Temporarily Unavailable/);
    sickState.healthy = true;
    await sleep(1500);
    const seen = new Set<string>();
    for (let i = 0; i < 4; i++) seen.add((await get(port, '/a', 'one.elb.localhost')).body.split(' ')[0]!);
    assert.deepEqual([...seen].sort(), ['a', 'sick']);
  });

  it('tells load balancers that share a port apart by Host, their address first', async () => {
    const one = alb('one', 'one.elb.localhost', port, [group('ga', [a])], [[[], ['/*'], 'ga']]);
    const two = alb('two', 'two.elb.localhost', port, [group('gb', [b])], [[['api.example.com'], ['/*'], 'gb']]);
    assert.equal((await apply([one, two])).size, 0);
    await sleep(200);
    assert.match((await get(port, '/', 'one.elb.localhost')).body, /^a /);
    assert.match((await get(port, '/', 'api.example.com')).body, /^b /);
    assert.equal((await get(port, '/', 'two.elb.localhost')).status, 404);
    assert.equal((await get(port, '/', 'unknown.example.com')).status, 404);
  });

  it('relays a WebSocket upgrade to the target', async () => {
    const { WebSocket, WebSocketServer } = await import('ws');
    const echo = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => echo.once('listening', resolve));
    echo.on('connection', (socket, req) =>
      socket.on('message', (m) => socket.send(`${m} via ${req.headers['x-forwarded-port']}`)),
    );
    try {
      const echoPort = (echo.address() as { port: number }).port;
      await apply([alb('ws', 'ws.elb.localhost', port, [group('gw', [echoPort])], [[[], ['/*'], 'gw']])]);
      health.update([{ ...group('gw', [echoPort]), healthCheck: { ...check, protocol: 'TCP' } }]);
      await sleep(200);
      const client = new WebSocket(`ws://127.0.0.1:${port}/chat`, { headers: { host: 'ws.elb.localhost' } });
      await new Promise((resolve, reject) => client.once('open', resolve).once('error', reject));
      client.send('hello');
      const answer = await new Promise((resolve) => client.once('message', (m) => resolve(String(m))));
      assert.equal(answer, `hello via ${port}`);
      client.close();
    } finally {
      echo.close();
    }
  });

  it('drops clients outside the load balancer’s source ranges', async () => {
    const { BlockList } = await import('node:net');
    const only = new BlockList();
    only.addSubnet('10.0.0.0', 8, 'ipv4');
    const lb = { ...alb('one', 'one.elb.localhost', port, [group('ga', [a])], [[[], ['/*'], 'ga']]), sources: only };
    await apply([lb]);
    await assert.rejects(get(port, '/', 'one.elb.localhost'), /socket hang up|ECONNRESET/);
    only.addAddress('127.0.0.1', 'ipv4');
    assert.equal((await get(port, '/', 'one.elb.localhost')).status, 200);
  });

  it('reports a port in use, and an NLB on a port an ALB holds', async () => {
    const holder = createTcpServer();
    const taken = await freePort();
    await new Promise<void>((resolve) => holder.listen(taken, '127.0.0.1', resolve));
    try {
      const lb = alb('busy', 'busy.elb.localhost', taken, [group('ga', [a])], [[[], ['/*'], 'ga']]);
      const nlb: LoadBalancer = {
        ...alb('nlb', 'nlb.elb.localhost', port, [group('gt', [a])], []),
        type: 'network',
        listeners: [{ port, protocol: 'TCP', rules: [], defaultAction: { type: 'forward', targetGroup: 'gt' } }],
      };
      const one = alb('one', 'one.elb.localhost', port, [group('ga', [a])], [[[], ['/*'], 'ga']]);
      const problems = await apply([lb, one, nlb]);
      assert.deepEqual(problems.get('busy'), [{ port: taken, message: `port ${taken} on 127.0.0.1 is in use` }]);
      assert.deepEqual(problems.get('nlb'), [
        { port, message: `port ${port} on 127.0.0.1 is taken by load balancer one` },
      ]);
    } finally {
      holder.close();
    }
  });

  it('binds the address it is given (skiff up --host), and no other', async () => {
    const elsewhere = new LoadBalancerListeners('127.0.0.2', health);
    try {
      const other = await freePort();
      const lb = alb('host', 'host.elb.localhost', other, [group('ga', [a])], [[[], ['/*'], 'ga']]);
      assert.equal((await elsewhere.apply([lb])).size, 0);
      health.update([...lb.targetGroups.values()]);
      await sleep(200);
      const answer = await new Promise<string>((resolve, reject) => {
        const req = request({ host: '127.0.0.2', port: other, path: '/' }, (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve(body));
        });
        req.on('error', reject);
        req.end();
      });
      assert.match(answer, /^a \//);
      await assert.rejects(get(other, '/', 'host.elb.localhost'), /ECONNREFUSED/);
    } finally {
      await elsewhere.close();
    }
  });

  it('proxies TCP for an NLB, and closes a port whose load balancer went', async () => {
    const nlbPort = await freePort();
    const nlb: LoadBalancer = {
      ...alb(
        'nlb',
        'nlb.elb.localhost',
        nlbPort,
        [{ ...group('gt', [b]), healthCheck: { ...check, protocol: 'TCP' } }],
        [],
      ),
      type: 'network',
      listeners: [{ port: nlbPort, protocol: 'TCP', rules: [], defaultAction: { type: 'forward', targetGroup: 'gt' } }],
    };
    assert.equal((await apply([nlb])).size, 0);
    assert.deepEqual(listeners.ports(), [nlbPort]);
    await sleep(200);
    assert.match((await get(nlbPort, '/tcp', 'x')).body, /^b \/tcp undefined undefined$/);
    await apply([]);
    assert.deepEqual(listeners.ports(), []);
    await assert.rejects(
      new Promise((resolve, reject) => connect(nlbPort, '127.0.0.1').on('connect', resolve).on('error', reject)),
      /ECONNREFUSED/,
    );
  });
});
