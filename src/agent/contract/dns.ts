// The pod's DNS settings per dnsPolicy, as the kubelet computes them for CRI's DNSConfig (containerd writes them
// to /etc/resolv.conf): ClusterFirst → the cluster DNS Service's IP, `<ns>.svc.cluster.local svc.cluster.local
// cluster.local` and the host's search domains, ndots:5; Default → the host's resolv.conf; None → only dnsConfig;
// hostNetwork pods with ClusterFirst use Default (ClusterFirstWithHostNet keeps ClusterFirst); dnsConfig merged in.
import { existsSync, readFileSync } from 'node:fs';
import type { SandboxPod } from '../driver.js';
import { clusterDomain } from './hosts.js';

export interface DnsConfig {
  servers: string[];
  searches: string[];
  options: string[];
}

/** EKS' cluster DNS address in its default 10.100.0.0/16 service range, when no kube-dns Service exists. */
export const defaultClusterDns = '10.100.0.10';

/** The resolv.conf the kubelet would be given: systemd-resolved's upstream file where it exists. */
export function hostResolvConfPath(): string {
  const resolved = '/run/systemd/resolve/resolv.conf';
  return existsSync(resolved) ? resolved : '/etc/resolv.conf';
}

export function parseResolvConf(text: string): DnsConfig {
  const config: DnsConfig = { servers: [], searches: [], options: [] };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const [key, ...fields] = line.split(/\s+/);
    if (key === 'nameserver' && fields[0]) config.servers.push(fields[0]);
    else if (key === 'search') config.searches = fields.filter((f) => f !== '.');
    else if (key === 'domain' && fields[0]) config.searches = [fields[0]];
    else if (key === 'options') config.options.push(...fields);
  }
  return config;
}

const unique = (list: string[]) => [...new Set(list)];

function mergeOptions(base: string[], extra: { name: string; value?: string }[]): string[] {
  const byName = new Map<string, string>();
  for (const option of base) {
    const [name, value] = option.split(':');
    byName.set(name!, value === undefined ? name! : `${name}:${value}`);
  }
  for (const option of extra) {
    if (!option?.name) continue;
    byName.set(option.name, option.value ? `${option.name}:${option.value}` : option.name);
  }
  return [...byName.values()];
}

export function podDnsConfig(pod: SandboxPod, clusterDns: string, host: DnsConfig): DnsConfig {
  const spec = pod.pod.spec ?? {};
  let policy = spec.dnsPolicy ?? 'ClusterFirst';
  if (policy === 'ClusterFirst' && spec.hostNetwork) policy = 'Default';
  let config: DnsConfig;
  if (policy === 'None') config = { servers: [], searches: [], options: [] };
  else if (policy === 'Default') config = structuredClone(host);
  else {
    config = {
      servers: [clusterDns],
      searches: unique([
        `${pod.namespace}.svc.${clusterDomain}`,
        `svc.${clusterDomain}`,
        clusterDomain,
        ...host.searches,
      ]),
      options: ['ndots:5'],
    };
  }
  const extra = spec.dnsConfig ?? {};
  config.servers = unique([...config.servers, ...(extra.nameservers ?? [])]);
  config.searches = unique([...config.searches, ...(extra.searches ?? [])]).slice(0, 32);
  config.options = mergeOptions(config.options, extra.options ?? []);
  return config;
}

export function hostDnsConfig(): DnsConfig {
  try {
    return parseResolvConf(readFileSync(hostResolvConfPath(), 'utf8'));
  } catch {
    return { servers: [], searches: [], options: [] };
  }
}
