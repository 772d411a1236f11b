// The pod's hostname and its kubelet-managed /etc/hosts: the localhost lines, the pod's IP with its hostname (and
// FQDN `<hostname>.<subdomain>.<ns>.svc.cluster.local` with a subdomain), then the hostAliases; a hostNetwork pod
// gets the host's own hosts file with the aliases after it.
import { readFileSync } from 'node:fs';
import type { SandboxPod } from '../driver.js';

export const clusterDomain = 'cluster.local';

/**
 * spec.hostname, else the pod's name cut to 63 characters (trailing '-' and '.' trimmed), as the kubelet does — the
 * FQDN with setHostnameAsFQDN and a subdomain; a hostNetwork pod has the node's (the sandbox sets none: it has no
 * UTS namespace of its own).
 */
export function podHostname(pod: SandboxPod): string {
  const spec = pod.pod.spec ?? {};
  if (spec.hostNetwork) return '';
  const name = shortHostname(pod);
  const domain = podDomain(pod);
  return spec.setHostnameAsFQDN && domain ? `${name}.${domain}` : name;
}

/** `<subdomain>.<namespace>.svc.cluster.local`, or undefined without a subdomain. */
export function podDomain(pod: SandboxPod): string | undefined {
  const subdomain = pod.pod.spec?.subdomain;
  return subdomain ? `${subdomain}.${pod.namespace}.svc.${clusterDomain}` : undefined;
}

/** The hostname without the domain that setHostnameAsFQDN adds (the hosts file names both). */
function shortHostname(pod: SandboxPod): string {
  const spec = pod.pod.spec ?? {};
  return spec.hostname || (pod.name.length > 63 ? pod.name.slice(0, 63).replace(/[-.]+$/, '') : pod.name);
}

function aliasLines(pod: SandboxPod): string {
  const aliases: any[] = pod.pod.spec?.hostAliases ?? [];
  if (!aliases.length) return '';
  let out = '\n# Entries added by HostAliases.\n';
  for (const alias of aliases) out += `${alias.ip}\t${(alias.hostnames ?? []).join('\t')}\n`;
  return out;
}

export function etcHostsContent(pod: SandboxPod, hostHosts = '/etc/hosts'): string {
  if (pod.pod.spec?.hostNetwork) {
    let host = '';
    try {
      host = readFileSync(hostHosts, 'utf8');
    } catch {}
    return `# Kubernetes-managed hosts file (host network).\n${host}${aliasLines(pod)}`;
  }
  const hostname = shortHostname(pod);
  const domain = podDomain(pod);
  let out =
    '# Kubernetes-managed hosts file.\n' +
    '127.0.0.1\tlocalhost\n' +
    '::1\tlocalhost ip6-localhost ip6-loopback\n' +
    'fe00::0\tip6-localnet\n' +
    'fe00::0\tip6-mcastprefix\n' +
    'fe00::1\tip6-allnodes\n' +
    'fe00::2\tip6-allrouters\n';
  if (pod.podIP) out += domain ? `${pod.podIP}\t${hostname}.${domain}\t${hostname}\n` : `${pod.podIP}\t${hostname}\n`;
  return out + aliasLines(pod);
}
