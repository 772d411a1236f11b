// The kubernetes plugin's answers (CoreDNS' plugin/kubernetes, DNS spec for Kubernetes 1.1.0) from the cluster view:
// `<svc>.<ns>.svc.<zone>` A (the ClusterIP, or one record per ready endpoint of a headless Service), ExternalName
// as CNAME, SRV for named ports (`_<port>._<proto>.<svc>.<ns>.svc.<zone>`, or every port without the prefix),
// `<hostname or a-b-c-d>.<svc>.<ns>.svc.<zone>` for endpoints (StatefulSet pods), `a-b-c-d.<ns>.pod.<zone>`
// (pods insecure), PTR for ClusterIPs and endpoint IPs, NXDOMAIN or NODATA with the zone's SOA otherwise.
// A reverse name no Service or endpoint has falls through (undefined) when the zone is in `fallthrough`.
import type { ClusterView, EndpointSliceObject, ServiceObject } from './cluster-view.js';

export type Rcode = 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED';

export interface Answer {
  name: string;
  type: 'A' | 'AAAA' | 'CNAME' | 'SRV' | 'PTR' | 'SOA' | 'NS' | 'TXT';
  ttl: number;
  data: unknown;
}

export interface Reply {
  rcode: Rcode;
  answers: Answer[];
  authorities: Answer[];
  additionals: Answer[];
}

export interface KubernetesPluginConfig {
  /** Zones the plugin is authoritative for, without the trailing dot: cluster.local, in-addr.arpa, ip6.arpa. */
  zones: string[];
  /** Zones whose names it does not know go to the next plugin (forward); `[]` when none, all zones with no list. */
  fallthrough: string[];
  ttl: number;
  /** `pods insecure` answers a-b-c-d.<ns>.pod.<zone> with a-b-c-d; `disabled` (the default) answers NXDOMAIN. */
  pods: 'disabled' | 'insecure' | 'verified';
}

const lower = (name: string) => name.toLowerCase().replace(/\.$/, '');
const dashed = (ip: string) => ip.replaceAll('.', '-');
const isIpv4 = (ip: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(ip);

/** The zone of `name` this plugin serves (the longest match), if any. */
export function zoneOf(name: string, zones: string[]): string | undefined {
  const n = lower(name);
  return zones.filter((z) => n === z || n.endsWith(`.${z}`)).sort((a, b) => b.length - a.length)[0];
}

function soa(zone: string, config: KubernetesPluginConfig, view: ClusterView): Answer {
  return {
    name: zone,
    type: 'SOA',
    ttl: config.ttl,
    data: {
      mname: `ns.dns.${zone}`,
      rname: `hostmaster.${zone}`,
      serial: view.modified >>> 0,
      refresh: 7200,
      retry: 1800,
      expire: 86400,
      minimum: config.ttl,
    },
  };
}

const clusterIps = (svc: ServiceObject) =>
  (svc.spec?.clusterIPs?.length ? svc.spec.clusterIPs : [svc.spec?.clusterIP]).filter(
    (ip): ip is string => !!ip && ip !== 'None',
  );
const isHeadless = (svc: ServiceObject) => svc.spec?.type !== 'ExternalName' && clusterIps(svc).length === 0;

interface EndpointAddress {
  ip: string;
  /** The endpoint's DNS label: its hostname, else its IP with dashes. */
  label: string;
}

function readyEndpoints(slices: EndpointSliceObject[]): EndpointAddress[] {
  const seen = new Set<string>();
  const out: EndpointAddress[] = [];
  for (const slice of slices) {
    for (const ep of slice.endpoints ?? []) {
      if (ep.conditions?.ready === false) continue;
      for (const ip of ep.addresses ?? []) {
        if (seen.has(ip) || !isIpv4(ip)) continue;
        seen.add(ip);
        out.push({ ip, label: ep.hostname ?? dashed(ip) });
      }
    }
  }
  return out;
}

function slicePorts(slices: EndpointSliceObject[]): { name: string; port: number; protocol: string }[] {
  const ports = new Map<string, { name: string; port: number; protocol: string }>();
  for (const slice of slices) {
    for (const p of slice.ports ?? []) {
      if (p.port === undefined) continue;
      const port = { name: p.name ?? '', port: p.port, protocol: (p.protocol ?? 'TCP').toLowerCase() };
      ports.set(`${port.name}/${port.protocol}/${port.port}`, port);
    }
  }
  return [...ports.values()];
}

export class KubernetesAnswerer {
  constructor(
    private readonly config: KubernetesPluginConfig,
    private readonly view: ClusterView,
  ) {}

  /** The plugin's reply for one question; undefined when the name is not in its zones or falls through. */
  answer(qname: string, qtype: string): Reply | undefined {
    const zone = zoneOf(qname, this.config.zones);
    if (!zone) return undefined;
    const name = lower(qname);
    if (zone.endsWith('in-addr.arpa') || zone.endsWith('ip6.arpa')) return this.reverse(name, qtype, zone);
    if (name === zone) return this.apex(zone, qtype);
    if (name === `dns-version.${zone}`) {
      return this.reply(zone, qtype === 'TXT' ? [{ name, type: 'TXT', ttl: this.config.ttl, data: ['1.1.0'] }] : []);
    }
    const labels = name.slice(0, -(zone.length + 1)).split('.');
    const kind = labels.at(-1);
    if (kind === 'svc') return this.svc(labels.slice(0, -1), name, qtype, zone);
    if (kind === 'pod') return this.pod(labels.slice(0, -1), name, qtype, zone);
    return this.nxdomain(zone);
  }

  private reply(zone: string, answers: Answer[], additionals: Answer[] = []): Reply {
    const authorities = answers.length === 0 ? [soa(zone, this.config, this.view)] : [];
    return { rcode: 'NOERROR', answers, authorities, additionals };
  }

  private nxdomain(zone: string): Reply {
    return { rcode: 'NXDOMAIN', answers: [], authorities: [soa(zone, this.config, this.view)], additionals: [] };
  }

  private apex(zone: string, qtype: string): Reply {
    if (qtype === 'SOA') return this.reply(zone, [soa(zone, this.config, this.view)]);
    if (qtype === 'NS') {
      const ns = `ns.dns.${zone}`;
      const dns = this.view.service('kube-system', 'kube-dns');
      const glue = (dns ? clusterIps(dns) : []).map(
        (ip): Answer => ({ name: ns, type: 'A', ttl: this.config.ttl, data: ip }),
      );
      return this.reply(zone, [{ name: zone, type: 'NS', ttl: this.config.ttl, data: ns }], glue);
    }
    return this.reply(zone, []);
  }

  private svc(labels: string[], name: string, qtype: string, zone: string): Reply {
    const ttl = this.config.ttl;
    if (labels.length === 0) return this.reply(zone, []);
    if (labels.length === 1) return this.view.hasNamespace(labels[0]!) ? this.reply(zone, []) : this.nxdomain(zone);
    if (labels.length === 2) {
      const [svcName, ns] = labels as [string, string];
      const svc = this.view.service(ns, svcName);
      if (!svc) return this.nxdomain(zone);
      return this.service(svc, name, qtype, zone);
    }
    if (labels.length === 3) {
      const [endpoint, svcName, ns] = labels as [string, string, string];
      const svc = this.view.service(ns, svcName);
      if (!svc) return this.nxdomain(zone);
      const found = readyEndpoints(this.view.slicesOf(ns, svcName)).filter((e) => e.label === endpoint);
      if (found.length === 0) return this.nxdomain(zone);
      return this.reply(zone, qtype === 'A' ? found.map((e): Answer => ({ name, type: 'A', ttl, data: e.ip })) : []);
    }
    if (labels.length === 4 && labels[0]!.startsWith('_') && labels[1]!.startsWith('_')) {
      const [port, proto, svcName, ns] = labels as [string, string, string, string];
      const svc = this.view.service(ns, svcName);
      if (!svc) return this.nxdomain(zone);
      const records = this.srv(svc, zone, port.slice(1), proto.slice(1));
      if (records.answers.length === 0) return this.nxdomain(zone);
      if (qtype !== 'SRV') return this.reply(zone, []);
      return this.reply(
        zone,
        records.answers.map((a) => ({ ...a, name })),
        records.additionals,
      );
    }
    return this.nxdomain(zone);
  }

  private service(svc: ServiceObject, name: string, qtype: string, zone: string): Reply {
    const ttl = this.config.ttl;
    if (svc.spec?.type === 'ExternalName') {
      const target = lower(svc.spec.externalName ?? '');
      if (!target) return this.nxdomain(zone);
      return this.reply(zone, [{ name, type: 'CNAME', ttl, data: target }]);
    }
    if (qtype === 'SRV') {
      const records = this.srv(svc, zone);
      return this.reply(
        zone,
        records.answers.map((a) => ({ ...a, name })),
        records.additionals,
      );
    }
    if (isHeadless(svc)) {
      const endpoints = readyEndpoints(this.view.slicesOf(svc.metadata.namespace!, svc.metadata.name!));
      if (endpoints.length === 0) return this.nxdomain(zone);
      return this.reply(
        zone,
        qtype === 'A' ? endpoints.map((e): Answer => ({ name, type: 'A', ttl, data: e.ip })) : [],
      );
    }
    const ips = clusterIps(svc).filter((ip) => (qtype === 'AAAA' ? !isIpv4(ip) : qtype === 'A' && isIpv4(ip)));
    return this.reply(
      zone,
      ips.map((ip): Answer => ({ name, type: qtype === 'AAAA' ? 'AAAA' : 'A', ttl, data: ip })),
    );
  }

  /** SRV records of a Service's named ports (those matching `port`/`proto` when given), with their targets' A. */
  private srv(
    svc: ServiceObject,
    zone: string,
    port?: string,
    proto?: string,
  ): { answers: Answer[]; additionals: Answer[] } {
    const ttl = this.config.ttl;
    const ns = svc.metadata.namespace!;
    const base = `${svc.metadata.name}.${ns}.svc.${zone}`;
    const matches = (p: { name?: string; protocol?: string }) =>
      !!p.name &&
      (port === undefined || p.name.toLowerCase() === port) &&
      (proto === undefined || (p.protocol ?? 'TCP').toLowerCase() === proto);
    const answers: Answer[] = [];
    const additionals: Answer[] = [];
    if (isHeadless(svc)) {
      const slices = this.view.slicesOf(ns, svc.metadata.name!);
      const endpoints = readyEndpoints(slices);
      const ports = slicePorts(slices).filter(matches);
      const weight = Math.floor(100 / Math.max(1, endpoints.length * ports.length));
      for (const p of ports) {
        for (const e of endpoints) {
          const target = `${e.label}.${base}`;
          answers.push({ name: base, type: 'SRV', ttl, data: { priority: 0, weight, port: p.port, target } });
          additionals.push({ name: target, type: 'A', ttl, data: e.ip });
        }
      }
      return { answers, additionals };
    }
    const ports = (svc.spec?.ports ?? []).filter(matches);
    const weight = Math.floor(100 / Math.max(1, ports.length));
    for (const p of ports) {
      answers.push({ name: base, type: 'SRV', ttl, data: { priority: 0, weight, port: p.port, target: base } });
    }
    if (ports.length > 0) {
      for (const ip of clusterIps(svc).filter(isIpv4)) additionals.push({ name: base, type: 'A', ttl, data: ip });
    }
    return { answers, additionals };
  }

  private pod(labels: string[], name: string, qtype: string, zone: string): Reply {
    if (this.config.pods === 'disabled' || labels.length !== 2) return this.nxdomain(zone);
    const [ipLabel, ns] = labels as [string, string];
    const ip = ipLabel.replaceAll('-', '.');
    if (!isIpv4(ip)) return this.nxdomain(zone);
    if (this.config.pods === 'verified' && !this.endpointIps(ns).has(ip)) return this.nxdomain(zone);
    return this.reply(zone, qtype === 'A' ? [{ name, type: 'A', ttl: this.config.ttl, data: ip }] : []);
  }

  private endpointIps(namespace?: string): Set<string> {
    const ips = new Set<string>();
    for (const svc of this.view.allServices()) {
      if (namespace && svc.metadata.namespace !== namespace) continue;
      for (const e of readyEndpoints(this.view.slicesOf(svc.metadata.namespace!, svc.metadata.name!))) ips.add(e.ip);
    }
    return ips;
  }

  private reverse(name: string, qtype: string, zone: string): Reply | undefined {
    const ip = name.endsWith('.in-addr.arpa')
      ? name.slice(0, -'.in-addr.arpa'.length).split('.').reverse().join('.')
      : '';
    const targets: string[] = [];
    if (isIpv4(ip)) {
      for (const svc of this.view.allServices()) {
        const base = `${svc.metadata.name}.${svc.metadata.namespace}.svc.${this.clusterZone()}`;
        if (clusterIps(svc).includes(ip)) targets.push(base);
        for (const e of readyEndpoints(this.view.slicesOf(svc.metadata.namespace!, svc.metadata.name!))) {
          if (e.ip === ip) targets.push(`${e.label}.${base}`);
        }
      }
    }
    if (targets.length === 0) {
      if (this.config.fallthrough.some((z) => zoneOf(name, [z]))) return undefined;
      return this.nxdomain(zone);
    }
    if (qtype !== 'PTR') return this.reply(zone, []);
    return this.reply(
      zone,
      [...new Set(targets)].map((t): Answer => ({ name, type: 'PTR', ttl: this.config.ttl, data: t })),
    );
  }

  /** The forward zone the reverse names point into: the first zone that is not a reverse zone. */
  private clusterZone(): string {
    return this.config.zones.find((z) => !z.endsWith('.arpa')) ?? 'cluster.local';
  }
}
