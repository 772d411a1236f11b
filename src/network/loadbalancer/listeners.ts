// The load balancers' data path on the host: one server per listener port on the listen address (`skiff up --host`,
// 127.0.0.1 by default). ALB listeners are HTTP reverse proxies (the ALB is an L7 proxy in AWS too); load balancers
// that share a port are told apart by the Host header (each one's own address; another name of that shape, such as a
// deleted one's, is a 404; else the one whose host rules match, else the only one), then the listener's rules pick the target group and round robin picks a target among the
// healthy ones, reached by IP over the VPC's host link with keep-alive connections. ALB adds X-Forwarded-For,
// -Proto and -Port and relays WebSocket upgrades. NLB listeners are TCP proxies. A port that cannot be bound is
// reported for the controller to say so, and tried again at the next apply.
import {
  Agent,
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';
import { connect, createServer as createTcpServer, isIPv4, type Socket, type Server as TcpServer } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TargetHealth } from './health.js';
import type { Listener, LoadBalancer, Target } from './model.js';
import { addressDomain } from './names.js';
import { hostOf, matchRule, pathOf } from './rules.js';

/** A name of the shape load balancer addresses have (…elb….localhost). */
const looksLikeAddress = (host: string) => host.includes('.elb.') && host.endsWith(`.${addressDomain}`);

/** Whether the load balancer lets a client in (its source ranges, when it has any). */
function admits(lb: LoadBalancer, remote: string | undefined): boolean {
  if (!lb.sources) return true;
  const address = remote?.startsWith('::ffff:') ? remote.slice(7) : (remote ?? '');
  return isIPv4(address) && lb.sources.check(address, 'ipv4');
}

export interface PortProblem {
  port: number;
  message: string;
}

interface HttpRoutes {
  loadBalancers: LoadBalancer[];
  byAddress: Map<string, LoadBalancer>;
}

interface Bound {
  kind: 'http' | 'tcp';
  server: Server | TcpServer;
  sockets: Set<Socket | Duplex>;
  http?: HttpRoutes;
  tcp?: { loadBalancer: LoadBalancer; listener: Listener };
}

const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const name in headers) if (!hopByHop.has(name)) out[name] = headers[name];
  return out;
}

/** ELB's own error pages (`Server: awselb/2.0`). */
function elbPage(res: ServerResponse, status: number, text: string): void {
  const body = `<html>\r\n<head><title>${status} ${text}</title></head>\r\n<body>\r\n<center><h1>${status} ${text}</h1></center>\r\n</body>\r\n</html>\r\n`;
  res.writeHead(status, {
    server: 'awselb/2.0',
    'content-type': 'text/html',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

export class LoadBalancerListeners {
  private readonly bound = new Map<number, Bound>();
  private readonly cursors = new Map<string, number>();
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 512, maxFreeSockets: 256, scheduling: 'lifo' });

  constructor(
    private readonly host: string,
    private readonly health: TargetHealth,
  ) {}

  /** Serves exactly these load balancers' listeners; returns, per load balancer id, the ports it could not take. */
  async apply(loadBalancers: LoadBalancer[]): Promise<Map<string, PortProblem[]>> {
    const problems = new Map<string, PortProblem[]>();
    const report = (lb: LoadBalancer, port: number, message: string) =>
      problems.set(lb.id, [...(problems.get(lb.id) ?? []), { port, message }]);
    const http = new Map<number, LoadBalancer[]>();
    const tcp = new Map<number, { loadBalancer: LoadBalancer; listener: Listener }>();
    const ordered = [...loadBalancers].sort((a, b) => a.id.localeCompare(b.id));
    for (const lb of ordered.filter((l) => l.type === 'application')) {
      for (const listener of lb.listeners) http.set(listener.port, [...(http.get(listener.port) ?? []), lb]);
    }
    for (const lb of ordered.filter((l) => l.type === 'network')) {
      for (const listener of lb.listeners) {
        const holder = http.get(listener.port)?.[0] ?? tcp.get(listener.port)?.loadBalancer;
        if (holder)
          report(lb, listener.port, `port ${listener.port} on ${this.host} is taken by load balancer ${holder.name}`);
        else tcp.set(listener.port, { loadBalancer: lb, listener });
      }
    }
    for (const [port, bound] of this.bound) {
      const keep =
        bound.kind === 'http' ? http.has(port) : tcp.get(port)?.loadBalancer.id === bound.tcp?.loadBalancer.id;
      if (!keep) this.unbind(port, bound);
    }
    for (const [port, lbs] of http) {
      const routes: HttpRoutes = { loadBalancers: lbs, byAddress: new Map(lbs.map((lb) => [lb.address, lb])) };
      const error = await this.bind(port, 'http', (b) => (b.http = routes));
      if (error) for (const lb of lbs) report(lb, port, error);
    }
    for (const [port, entry] of tcp) {
      const error = await this.bind(port, 'tcp', (b) => (b.tcp = entry));
      if (error) report(entry.loadBalancer, port, error);
    }
    for (const key of this.cursors.keys()) {
      if (!loadBalancers.some((lb) => lb.targetGroups.has(key))) this.cursors.delete(key);
    }
    return problems;
  }

  async close(): Promise<void> {
    for (const [port, bound] of this.bound) this.unbind(port, bound);
    this.agent.destroy();
  }

  /** The ports served now. */
  ports(): number[] {
    return [...this.bound.keys()].sort((a, b) => a - b);
  }

  private unbind(port: number, bound: Bound): void {
    this.bound.delete(port);
    bound.server.close();
    for (const socket of bound.sockets) socket.destroy();
  }

  private async bind(port: number, kind: 'http' | 'tcp', set: (bound: Bound) => void): Promise<string | undefined> {
    const existing = this.bound.get(port);
    if (existing) {
      set(existing);
      return undefined;
    }
    const bound: Bound = { kind, sockets: new Set(), server: undefined as unknown as Server };
    set(bound);
    bound.server = kind === 'http' ? this.httpServer(port, bound) : this.tcpServer(bound);
    bound.server.on('connection', (socket: Socket) => {
      bound.sockets.add(socket);
      socket.once('close', () => bound.sockets.delete(socket));
    });
    const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      bound.server.once('error', resolve);
      bound.server.listen({ host: this.host, port }, () => resolve(undefined));
    });
    if (error) {
      bound.server.close();
      if (error.code === 'EADDRINUSE') return `port ${port} on ${this.host} is in use`;
      return `port ${port} on ${this.host}: ${error.message}`;
    }
    bound.server.on('error', () => {});
    this.bound.set(port, bound);
    return undefined;
  }

  /** The next target of a target group, round robin over those that take traffic. */
  private pick(groupId: string): Target | undefined {
    const targets = this.health.usable(groupId);
    if (!targets.length) return undefined;
    const cursor = (this.cursors.get(groupId) ?? -1) + 1;
    this.cursors.set(groupId, cursor % targets.length);
    return targets[cursor % targets.length];
  }

  /** The target group an HTTP request goes to, the status of the fixed response it gets, or undefined for a
   * client the load balancer does not let in (its connection is dropped, as a security group drops it). */
  private route(port: number, routes: HttpRoutes, req: IncomingMessage): string | number | undefined {
    const host = hostOf(req.headers.host).toLowerCase();
    const path = pathOf(req.url);
    let lb = routes.byAddress.get(host);
    // Another (or a deleted) load balancer's address is no way into this one.
    if (!lb && looksLikeAddress(host)) return 404;
    lb ??= routes.loadBalancers.find((l) =>
      l.listeners.some((ls) => ls.port === port && ls.rules.some((r) => r.hostPattern?.test(host))),
    );
    if (!lb && routes.loadBalancers.length === 1) lb = routes.loadBalancers[0];
    const listener = lb?.listeners.find((l) => l.port === port);
    if (!listener) return 404;
    if (!admits(lb!, req.socket.remoteAddress)) return undefined;
    const action = matchRule(listener.rules, host, path)?.action ?? listener.defaultAction;
    return action.type === 'forward' ? action.targetGroup : action.statusCode;
  }

  private forwardedHeaders(req: IncomingMessage, port: number): IncomingHttpHeaders {
    const headers = endToEnd(req.headers);
    const client = req.socket.remoteAddress ?? '';
    const prior = req.headers['x-forwarded-for'];
    headers['x-forwarded-for'] = prior ? `${prior}, ${client}` : client;
    headers['x-forwarded-proto'] = 'http';
    headers['x-forwarded-port'] = String(port);
    return headers;
  }

  private httpServer(port: number, bound: Bound): Server {
    const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
      const routed = this.route(port, bound.http!, req);
      if (routed === undefined) return void req.socket.destroy();
      if (typeof routed === 'number') {
        res.writeHead(routed, {
          server: 'awselb/2.0',
          'content-type': 'text/plain; charset=utf-8',
          'content-length': 0,
        });
        res.end();
        return;
      }
      const target = this.pick(routed);
      if (!target) return elbPage(res, 503, 'Service Temporarily Unavailable');
      const upstream = request(
        {
          host: target.ip,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: this.forwardedHeaders(req, port),
          agent: this.agent,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.headers));
          answer.pipe(res);
        },
      );
      upstream.once('error', () => (res.headersSent ? res.destroy() : elbPage(res, 502, 'Bad Gateway')));
      res.once('close', () => {
        if (!res.writableFinished) upstream.destroy();
      });
      req.pipe(upstream);
    });
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const routed = this.route(port, bound.http!, req);
      if (routed === undefined) return void socket.destroy();
      const target = typeof routed === 'string' ? this.pick(routed) : undefined;
      if (!target) {
        socket.end(`HTTP/1.1 ${typeof routed === 'number' ? routed : 503} \r\nserver: awselb/2.0\r\n\r\n`);
        return;
      }
      bound.sockets.add(socket);
      const upstream = connect({ host: target.ip, port: target.port }, () => {
        const headers = { ...this.forwardedHeaders(req, port), connection: 'Upgrade', upgrade: req.headers.upgrade };
        const lines = Object.entries(headers).flatMap(([k, v]) =>
          v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((x) => `${k}: ${x}`),
        );
        upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`);
        if (head.length) upstream.write(head);
        upstream.pipe(socket).pipe(upstream);
      });
      const end = () => {
        socket.destroy();
        upstream.destroy();
        bound.sockets.delete(socket);
      };
      upstream.once('error', end);
      socket.once('error', end);
      socket.once('close', end);
    });
    return server;
  }

  private tcpServer(bound: Bound): TcpServer {
    return createTcpServer((socket) => {
      if (!admits(bound.tcp!.loadBalancer, socket.remoteAddress)) return void socket.destroy();
      const target = this.pick(
        bound.tcp!.listener.defaultAction.type === 'forward' ? bound.tcp!.listener.defaultAction.targetGroup : '',
      );
      if (!target) {
        socket.resetAndDestroy();
        return;
      }
      const upstream = connect({ host: target.ip, port: target.port });
      upstream.setNoDelay(true);
      socket.setNoDelay(true);
      const end = () => {
        socket.destroy();
        upstream.destroy();
      };
      upstream.once('error', end);
      socket.once('error', end);
      upstream.once('close', end);
      socket.once('close', end);
      socket.pipe(upstream).pipe(socket);
    });
  }
}
