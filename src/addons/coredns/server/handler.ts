// One server block's query pipeline, in CoreDNS' plugin order: cache → hosts → kubernetes → forward, with
// loadbalance shuffling address answers, errors logged as the errors plugin does, and the counters prometheus
// serves. Takes a wire-format query, gives a wire-format reply (dns-packet encodes and decodes).
import dnsPacket, { type Packet, type Answer as PacketAnswer } from 'dns-packet';
import type { ClusterView } from './cluster-view.js';
import type { ServerBlock } from './corefile.js';
import { forwardQuery, type Upstream } from './forward.js';
import type { Metrics } from './metrics.js';
import { type Answer, KubernetesAnswerer, type Rcode, zoneOf } from './records.js';

const flags = { QR: 1 << 15, AA: 1 << 10, TC: 1 << 9, RD: 1 << 8, RA: 1 << 7 };
const rcodes: Record<Rcode | 'FORMERR', number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 };

interface CacheEntry {
  packet: Buffer;
  expires: number;
}

export interface HandlerOptions {
  view: ClusterView;
  upstreams: Upstream[];
  metrics: Metrics;
  log: (line: string) => void;
  /** Before the kubernetes plugin has synced, its zones answer SERVFAIL rather than a wrong NXDOMAIN. */
  synced: () => boolean;
}

const toPacketAnswer = (a: Answer): PacketAnswer =>
  ({ name: a.name, type: a.type, ttl: a.ttl, class: 'IN', data: a.data }) as PacketAnswer;

function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export class BlockHandler {
  private readonly kubernetes?: KubernetesAnswerer;
  private readonly cache = new Map<string, CacheEntry>();

  constructor(
    readonly block: ServerBlock,
    private readonly options: HandlerOptions,
  ) {
    if (block.kubernetes) this.kubernetes = new KubernetesAnswerer(block.kubernetes, options.view);
  }

  async handle(query: Buffer, proto: 'udp' | 'tcp'): Promise<Buffer | undefined> {
    let request: Packet;
    try {
      request = dnsPacket.decode(query);
    } catch {
      return undefined;
    }
    const question = request.questions?.[0];
    const id = request.id ?? 0;
    const rd = (request.flags ?? 0) & flags.RD;
    if (!question) return this.encode({ id, flags: flags.QR | rd | rcodes.FORMERR, questions: [] });
    const started = performance.now();
    const zone = this.serverZone(question.name);
    let reply: Buffer;
    try {
      reply = await this.answer(query, request, proto);
    } catch (error) {
      if (this.block.errors)
        this.options.log(`[ERROR] plugin/errors: 2 ${question.name}. ${question.type}: ${(error as Error).message}`);
      reply = this.encode({ id, flags: flags.QR | rd | flags.RA | rcodes.SERVFAIL, questions: [question] });
    }
    if (proto === 'udp') reply = this.truncated(reply, request);
    const rcode = reply.readUInt16BE(2) & 0xf;
    this.options.metrics.record({
      zone,
      proto,
      type: question.type,
      rcode,
      seconds: (performance.now() - started) / 1000,
    });
    if (this.block.log)
      this.options.log(`[INFO] "${question.type} IN ${question.name}. ${proto} ${query.length}" ${rcode}`);
    return reply;
  }

  /** The zone of this block a name falls in, as the metrics label it ("." for the root). */
  private serverZone(name: string): string {
    const zone = zoneOf(name, this.block.zones.filter(Boolean)) ?? '';
    return `${zone}.`;
  }

  private async answer(query: Buffer, request: Packet, proto: 'udp' | 'tcp'): Promise<Buffer> {
    const question = request.questions![0]!;
    const key = `${question.name.toLowerCase()}|${question.type}|${question.class ?? 'IN'}`;
    const cached = this.block.cache && this.fromCache(key, request.id ?? 0);
    if (cached) return cached;
    const rd = (request.flags ?? 0) & flags.RD;
    const base = { id: request.id ?? 0, questions: [question] };
    const hosts = this.block.hosts;
    if (hosts) {
      const name = question.name.toLowerCase().replace(/\.$/, '');
      const addresses = hosts.entries.get(name);
      if (addresses) {
        const family = question.type === 'AAAA' ? (a: string) => a.includes(':') : (a: string) => !a.includes(':');
        const answers = question.type === 'A' || question.type === 'AAAA' ? addresses.filter(family) : [];
        const packet = this.encode({
          ...base,
          flags: flags.QR | flags.AA | rd | flags.RA,
          answers: this.balanced(
            answers.map(
              (data) =>
                ({ name: question.name, type: question.type, ttl: hosts.ttl, class: 'IN', data }) as PacketAnswer,
            ),
          ),
        });
        return this.store(key, packet, hosts.ttl);
      }
      // Without `fallthrough`, hosts answers every name it lacks itself, as CoreDNS' hosts plugin does.
      const falls =
        hosts.fallthrough !== undefined && (hosts.fallthrough.length === 0 || zoneOf(name, hosts.fallthrough));
      if (!falls) return this.encode({ ...base, flags: flags.QR | flags.AA | rd | flags.RA | rcodes.NXDOMAIN });
    }
    if (this.kubernetes && zoneOf(question.name, this.block.kubernetes!.zones) && !this.options.synced()) {
      throw new Error('plugin/kubernetes: not yet synced with the API');
    }
    const reply = this.kubernetes?.answer(question.name, question.type);
    if (reply) {
      const packet = this.encode({
        ...base,
        flags: flags.QR | flags.AA | rd | flags.RA | rcodes[reply.rcode],
        answers: this.balanced(reply.answers.map(toPacketAnswer)),
        authorities: reply.authorities.map(toPacketAnswer),
        additionals: reply.additionals.map(toPacketAnswer),
      });
      const ttls = [...reply.answers, ...reply.authorities].map((a) => a.ttl);
      return this.store(key, packet, Math.min(...ttls));
    }
    const forward = this.block.forward;
    if (forward && (forward.from === '' || zoneOf(question.name, [forward.from]))) {
      const packet = await forwardQuery(query, this.options.upstreams, proto);
      const answer = dnsPacket.decode(packet);
      const ttls = [...(answer.answers ?? []), ...(answer.authorities ?? [])].map((a: any) => a.ttl ?? 0);
      const rcode = (answer as { rcode?: string }).rcode;
      const ok = rcode === 'NOERROR' || rcode === 'NXDOMAIN';
      return ok && ttls.length ? this.store(key, packet, Math.min(...ttls)) : packet;
    }
    throw new Error('plugin/forward: no next plugin found');
  }

  private balanced(answers: PacketAnswer[]): PacketAnswer[] {
    if (!this.block.loadbalance) return answers;
    const addresses = answers.filter((a) => a.type === 'A' || a.type === 'AAAA');
    return [...answers.filter((a) => a.type !== 'A' && a.type !== 'AAAA'), ...shuffled(addresses)];
  }

  private encode(packet: Packet): Buffer {
    return dnsPacket.encode({ type: 'response', ...packet });
  }

  private store(key: string, packet: Buffer, ttl: number): Buffer {
    const cache = this.block.cache;
    const seconds = Math.min(ttl, cache?.ttl ?? 0);
    if (cache && seconds > 0) {
      if (this.cache.size >= 9984) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, { packet, expires: Date.now() + seconds * 1000 });
    }
    return packet;
  }

  private fromCache(key: string, id: number): Buffer | undefined {
    const entry = this.cache.get(key);
    if (!entry) return undefined;
    if (entry.expires <= Date.now()) {
      this.cache.delete(key);
      return undefined;
    }
    const packet = Buffer.from(entry.packet);
    packet.writeUInt16BE(id, 0);
    return packet;
  }

  /** A UDP reply larger than the client's buffer (512, or its EDNS size) goes back empty with TC set. */
  private truncated(reply: Buffer, request: Packet): Buffer {
    const opt = request.additionals?.find((a) => a.type === 'OPT') as { udpPayloadSize?: number } | undefined;
    const limit = Math.max(512, opt?.udpPayloadSize ?? 512);
    if (reply.length <= limit) return reply;
    const decoded = dnsPacket.decode(reply);
    return this.encode({ id: decoded.id, flags: (decoded.flags ?? 0) | flags.TC, questions: decoded.questions });
  }
}
