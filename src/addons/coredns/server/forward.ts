// The forward plugin: a query for a name no earlier plugin answered goes, as it came, to an upstream resolver —
// the nameservers of a resolv.conf file (`forward . /etc/resolv.conf`, the pod's dnsPolicy Default one: the
// host's) or addresses given inline — over UDP for UDP clients and TCP for TCP clients, upstreams tried in random
// order (the plugin's default policy) with a 2 s deadline each.
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';

export interface Upstream {
  host: string;
  port: number;
}

/** The upstreams a forward directive names: resolv.conf paths expand to their nameservers. */
export function upstreamsOf(targets: string[], read = (path: string) => readFileSync(path, 'utf8')): Upstream[] {
  const out: Upstream[] = [];
  for (const target of targets) {
    if (target.startsWith('/')) {
      for (const line of read(target).split('\n')) {
        const m = /^\s*nameserver\s+(\S+)/.exec(line);
        if (m) out.push({ host: m[1]!, port: 53 });
      }
      continue;
    }
    const plain = target.replace(/^dns:\/\//, '');
    const m = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(plain);
    if (plain.includes('.') && m) out.push({ host: m[1]!, port: m[2] ? Number(m[2]) : 53 });
    else throw new Error(`plugin/forward: not an IP address or file: "${target}"`);
  }
  return out;
}

function viaUdp(query: Buffer, upstream: Upstream, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(upstream.host.includes(':') ? 'udp6' : 'udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`read udp ${upstream.host}:${upstream.port}: i/o timeout`));
    }, timeoutMs);
    socket.on('message', (message) => {
      if (message.readUInt16BE(0) !== query.readUInt16BE(0)) return;
      clearTimeout(timer);
      socket.close();
      resolve(message);
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      socket.close();
      reject(error);
    });
    socket.send(query, upstream.port, upstream.host);
  });
}

function viaTcp(query: Buffer, upstream: Upstream, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: upstream.host, port: upstream.port });
    let data = Buffer.alloc(0);
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(new Error(`read tcp ${upstream.host}:${upstream.port}: i/o timeout`)),
    );
    socket.on('connect', () => {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(query.length);
      socket.write(Buffer.concat([length, query]));
    });
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      if (data.length >= 2 && data.length >= 2 + data.readUInt16BE(0)) {
        socket.end();
        resolve(data.subarray(2, 2 + data.readUInt16BE(0)));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`tcp ${upstream.host}:${upstream.port}: connection closed`)));
  });
}

export async function forwardQuery(
  query: Buffer,
  upstreams: Upstream[],
  proto: 'udp' | 'tcp',
  timeoutMs = 2000,
): Promise<Buffer> {
  if (upstreams.length === 0) throw new Error('plugin/forward: no upstream host');
  const order = [...upstreams].sort(() => Math.random() - 0.5);
  let last: unknown;
  for (const upstream of order) {
    try {
      return await (proto === 'tcp' ? viaTcp : viaUdp)(query, upstream, timeoutMs);
    } catch (error) {
      last = error;
    }
  }
  throw last;
}
