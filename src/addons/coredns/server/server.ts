// Skiff's CoreDNS: runs the Corefile's server blocks — DNS over UDP and TCP on each block's port, the block chosen
// by the longest zone a name falls in —, the health (/health), ready (/ready) and prometheus (/metrics) endpoints,
// the kubernetes plugin's watches, and reload (the Corefile re-read every interval; a change restarts the servers
// with the new file). `stop` waits the health plugin's lameduck first, as CoreDNS does on SIGTERM.
import { createHash } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { KubeClient } from '../../../kube/client/types.js';
import { ClusterView } from './cluster-view.js';
import { parseCorefile, type ServerBlock } from './corefile.js';
import { upstreamsOf } from './forward.js';
import { BlockHandler } from './handler.js';
import { type KubeSource, watchCluster } from './kube-source.js';
import { Metrics } from './metrics.js';
import { zoneOf } from './records.js';

export const coreDnsVersion = '1.11.4';

export interface CoreDnsOptions {
  corefilePath: string;
  /** The API client for the kubernetes plugin (made only when a block has one). */
  client: () => KubeClient;
  log?: (line: string) => void;
  /** Where forward's resolv.conf paths are read (tests). */
  readFile?: (path: string) => string;
  /** Overrides each block's DNS port (tests). */
  dnsPort?: number;
}

export interface RunningCoreDns {
  /** The bound DNS port of the first block (its configured one unless 0 was asked for). */
  dnsPort: number;
  stop(): Promise<void>;
}

function splitAddress(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  const host = address.slice(0, colon).replace(/^\[|\]$/g, '');
  return { host: host === 'localhost' ? '127.0.0.1' : host || '0.0.0.0', port: Number(address.slice(colon + 1)) };
}

/** The loop plugin's refusal: a forward upstream that is this pod itself would send queries round forever. */
function checkLoop(blocks: ServerBlock[], readFile: (path: string) => string): void {
  const own = new Set([
    '127.0.0.1',
    '::1',
    ...Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address)),
  ]);
  for (const block of blocks) {
    if (!block.loop || !block.forward) continue;
    for (const upstream of upstreamsOf(block.forward.to, readFile)) {
      if (own.has(upstream.host) && upstream.port === block.port) {
        throw new Error(
          `plugin/loop: Loop (${upstream.host}:${upstream.port} -> :${block.port}) detected for zone "${block.zones[0] || '.'}"`,
        );
      }
    }
  }
}

async function listenHttp(
  address: string,
  handler: (path: string) => { code: number; body: string },
): Promise<HttpServer> {
  const { host, port } = splitAddress(address);
  const server = createHttpServer((req, res) => {
    const { code, body } = handler(new URL(req.url ?? '/', 'http://x').pathname);
    res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8' }).end(body);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  return server;
}

async function start(options: CoreDnsOptions, text: string): Promise<RunningCoreDns> {
  const log = options.log ?? ((line: string) => console.log(line));
  const readFile = options.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  const blocks = parseCorefile(text, options.corefilePath);
  checkLoop(blocks, readFile);
  const view = new ClusterView();
  let source: KubeSource | undefined;
  let synced = false;
  if (blocks.some((b) => b.kubernetes)) {
    source = watchCluster(options.client(), view, (error) =>
      log(`[ERROR] plugin/kubernetes: ${(error as Error).message ?? error}`),
    );
    source.synced.then(() => {
      synced = true;
    });
  } else synced = true;
  const closers: (() => Promise<void> | void)[] = [() => source?.stop()];
  const ports = [...new Set(blocks.map((b) => options.dnsPort ?? b.port))];
  let firstPort = 0;
  try {
    for (const port of ports) {
      const metrics = new Metrics(`dns://:${port}`);
      const handlers = blocks
        .filter((b) => (options.dnsPort ?? b.port) === port)
        .map((b) => {
          const upstreams = b.forward ? upstreamsOf(b.forward.to, readFile) : [];
          return new BlockHandler(b, { view, upstreams, metrics, log, synced: () => synced });
        });
      const pick = (packet: Buffer) => {
        const name = readQuestionName(packet);
        let best: BlockHandler | undefined;
        let bestLength = -1;
        for (const h of handlers) {
          for (const zone of h.block.zones) {
            if ((zone === '' || zoneOf(name, [zone])) && zone.length > bestLength) {
              best = h;
              bestLength = zone.length;
            }
          }
        }
        return best;
      };
      const udp: UdpSocket = createSocket('udp4');
      udp.on('message', (packet, remote) => {
        pick(packet)
          ?.handle(packet, 'udp')
          .then((reply) => reply && udp.send(reply, remote.port, remote.address));
      });
      await new Promise<void>((resolve, reject) => udp.once('error', reject).bind(port, '0.0.0.0', () => resolve()));
      const boundPort = udp.address().port;
      closers.push(() => {
        udp.close();
      });
      const tcp: TcpServer = createTcpServer((socket) => {
        let data = Buffer.alloc(0);
        socket.on('error', () => socket.destroy());
        socket.on('data', (chunk) => {
          data = Buffer.concat([data, chunk]);
          while (data.length >= 2 && data.length >= 2 + data.readUInt16BE(0)) {
            const packet = data.subarray(2, 2 + data.readUInt16BE(0));
            data = data.subarray(2 + packet.length);
            pick(packet)
              ?.handle(packet, 'tcp')
              .then((reply) => {
                if (!reply || socket.destroyed) return;
                const length = Buffer.alloc(2);
                length.writeUInt16BE(reply.length);
                socket.write(Buffer.concat([length, reply]));
              });
          }
        });
      });
      await new Promise<void>((resolve, reject) => tcp.once('error', reject).listen(boundPort, '0.0.0.0', resolve));
      closers.push(() => new Promise<void>((resolve) => tcp.close(() => resolve())));
      if (!firstPort) firstPort = boundPort;
      for (const block of blocks.filter((b) => (options.dnsPort ?? b.port) === port)) {
        log(`${block.zones.map((z) => `${z || '.'}`).join(' ')}:${boundPort}`);
      }
      const prometheus = blocks.find((b) => (options.dnsPort ?? b.port) === port && b.prometheus)?.prometheus;
      if (prometheus) {
        const server = await listenHttp(prometheus.address, (path) =>
          path === '/metrics'
            ? { code: 200, body: metrics.render(coreDnsVersion) }
            : { code: 404, body: '404 page not found\n' },
        );
        closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
      }
    }
    const health = blocks.find((b) => b.health)?.health;
    if (health) {
      const server = await listenHttp(health.address, (path) =>
        path === '/health' ? { code: 200, body: 'OK' } : { code: 404, body: '404 page not found\n' },
      );
      closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    }
    const ready = blocks.find((b) => b.ready)?.ready;
    if (ready) {
      const server = await listenHttp(ready.address, (path) => {
        if (path !== '/ready') return { code: 404, body: '404 page not found\n' };
        return synced ? { code: 200, body: 'OK' } : { code: 503, body: 'kubernetes' };
      });
      closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    }
  } catch (error) {
    for (const close of closers.reverse()) await close();
    throw error;
  }
  const sha = createHash('sha512').update(text).digest('hex');
  log(`[INFO] plugin/reload: Running configuration SHA512 = ${sha}`);
  return {
    dnsPort: firstPort,
    async stop() {
      for (const close of closers.reverse()) await close();
    },
  };
}

function readQuestionName(packet: Buffer): string {
  const labels: string[] = [];
  let at = 12;
  while (at < packet.length) {
    const length = packet[at]!;
    if (length === 0 || length >= 0xc0) break;
    labels.push(packet.subarray(at + 1, at + 1 + length).toString('latin1'));
    at += 1 + length;
  }
  return labels.join('.');
}

/** Starts the servers of the Corefile at `corefilePath`; with `reload` in it, follows the file's changes. */
export async function runCoreDns(options: CoreDnsOptions): Promise<RunningCoreDns> {
  const log = options.log ?? ((line: string) => console.log(line));
  let text = readFileSync(options.corefilePath, 'utf8');
  let running = await start(options, text);
  const reload = parseCorefile(text, options.corefilePath).find((b) => b.reload)?.reload;
  const lameduckMs = () => parseCorefile(text, options.corefilePath).find((b) => b.health)?.health?.lameduckMs ?? 0;
  let timer: NodeJS.Timeout | undefined;
  if (reload) {
    timer = setInterval(async () => {
      let next: string;
      try {
        next = readFileSync(options.corefilePath, 'utf8');
      } catch {
        return;
      }
      if (next === text) return;
      try {
        parseCorefile(next, options.corefilePath);
      } catch (error) {
        log(`[ERROR] Restart failed: ${(error as Error).message}`);
        return;
      }
      log('[INFO] Reloading');
      await running.stop();
      text = next;
      running = await start(options, text);
      log('[INFO] Reloading complete');
    }, reload.intervalMs);
  }
  return {
    get dnsPort() {
      return running.dnsPort;
    },
    async stop() {
      if (timer) clearInterval(timer);
      const wait = lameduckMs();
      if (wait > 0) {
        log(`[INFO] plugin/health: Going into lameduck mode for ${wait / 1000}s`);
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
      await running.stop();
    },
  };
}
