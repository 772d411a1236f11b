// networking.k8s.io kinds as kube-apiserver prints them: Ingress (`printIngress`: class, hosts, load-balancer
// address, ports 80 and 443 with TLS) and IngressClass (`printIngressClass`: controller, parameters).
import type { KubeObject } from '../../api/types.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import { since } from '../duration.js';
import type { Printer } from '../types.js';

/** `formatHosts`: up to three hosts, then "+ N more...", or "*" when no rule names one. */
function hosts(ingress: KubeObject): string {
  const names: string[] = (ingress.spec?.rules ?? []).map((r: { host?: string }) => r.host).filter(Boolean);
  if (names.length === 0) return '*';
  const shown = names.slice(0, 3).join(',');
  return names.length > 3 ? `${shown} + ${names.length - 3} more...` : shown;
}

const addresses = (ingress: KubeObject) =>
  (ingress.status?.loadBalancer?.ingress ?? [])
    .map((i: { ip?: string; hostname?: string }) => i.ip || i.hostname)
    .filter(Boolean)
    .join(',');

export const ingressPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Class', 'string', 'The name of the IngressClass resource.'),
    column('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    column('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    column('Ports', 'string', 'Ports of TLS configurations that open'),
    ageColumn(),
  ],
  cells: (ingress, now) => [
    ingress.metadata.name,
    ingress.spec?.ingressClassName ?? '<none>',
    hosts(ingress),
    addresses(ingress),
    ingress.spec?.tls?.length ? '80, 443' : '80',
    since(ingress.metadata.creationTimestamp, now),
  ],
};

function parameters(ingressClass: KubeObject): string {
  const p = ingressClass.spec?.parameters;
  if (!p) return '<none>';
  const kind = p.apiGroup ? `${p.kind}.${p.apiGroup}` : p.kind;
  return `${kind}/${p.name}`;
}

export const ingressClassPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Controller', 'string', 'Controller that is responsible for handling this class'),
    column('Parameters', 'string', 'A reference to a resource with additional parameters'),
    ageColumn(),
  ],
  cells: (ingressClass, now) => [
    ingressClass.metadata.name,
    ingressClass.spec?.controller ?? '',
    parameters(ingressClass),
    since(ingressClass.metadata.creationTimestamp, now),
  ],
};
