// The VPC namespace's whole packet-filter ruleset, as kube-proxy's iptables mode writes it, in iptables-restore's
// format (a pure function: Services, EndpointSlices, pods and nodes in, rules text out). nat: KUBE-SERVICES
// matches each ClusterIP and external IP port (and, through KUBE-NODEPORTS, each node-group node's InternalIP and
// NodePort) and jumps to the service chain, which spreads over the ready endpoints (else those serving while they
// terminate) with `statistic --mode random`, keeps a client on its endpoint with `recent` under
// `sessionAffinity: ClientIP`, and marks for masquerade what comes from outside the VPC and what hairpins (an
// endpoint reaching itself). `internalTrafficPolicy: Local` sends each client pod only to endpoints on its own
// node; `externalTrafficPolicy: Local` sends a NodePort only to that node's endpoints, keeping the client's
// address. filter: whatever still heads for a service port after nat (no endpoints: REJECT as kube-proxy; none
// allowed by the traffic policy: DROP); the host link lets in only replies, NodePorts and the host itself
// (private subnets). Headless and ExternalName Services get no rules.
//
// Other clusters in the same VPC (CreateCluster) have their own Services, and their Service CIDR may be another's:
// each gets its own services and node-port chains in both tables (chain names hashed with the cluster's name), and
// a KUBE-CLUSTERS chain sends each of its pods' new connections there by source address, as each EKS cluster's
// kube-proxy sees only its own nodes' pods. Everything else (the host, the VPC namespace) takes the first
// cluster's rules.
import type { KubeObject } from '../../kube/api/types.js';
import { chainName } from './chains.js';
import { type Endpoint, portEndpoints, slicesOf, usable } from './endpoints.js';

export interface ProxyInput {
  services: KubeObject[];
  slices: KubeObject[];
  /** Running pods' IPs and nodes: the clients `internalTrafficPolicy: Local` tells apart. */
  pods: { ip: string; nodeName: string }[];
  /** The nodes whose InternalIP takes NodePorts (node-group nodes; EKS serves none on Fargate). */
  nodes: { name: string; ip: string }[];
  /** The VPC CIDR: traffic from outside it to a ClusterIP is masqueraded. */
  vpcCidr: string;
  /**
   * The VPC's link to the host (its device in the namespace and the link's /30): new connections coming in over it
   * are let through only from the host itself or to a NodePort, as nothing reaches a private subnet from outside.
   */
  hostLink?: { device: string; cidr: string };
}

/** Another cluster in the VPC: its name (for its chains) and what its rules are made from. */
export interface ClusterRules {
  name: string;
  input: ProxyInput;
}

/** Where one cluster's rules go: its services and node-port chains, and what its chain names are hashed with. */
interface Scope {
  services: string;
  nodeports: string;
  salt: string;
}

const firstCluster: Scope = { services: 'KUBE-SERVICES', nodeports: 'KUBE-NODEPORTS', salt: '' };

function scopeOf(name: string): Scope {
  return {
    services: chainName('KUBE-CSVCS', name),
    nodeports: chainName('KUBE-CNPS', name),
    salt: `${name}/`,
  };
}

const masqMark = '0x4000';
const defaultAffinitySeconds = 10800;

class Tables {
  readonly natChains = ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ'];
  readonly nat: string[] = [];
  readonly filter: string[] = [];
  private declared = new Set(this.natChains);

  chain(name: string): string {
    if (!this.declared.has(name)) {
      this.declared.add(name);
      this.natChains.push(name);
    }
    return name;
  }

  /** kube-proxy's chain name for what the parts stand for, in the cluster the scope is. */
  name(scope: Scope, prefix: string, portName: string, ...parts: string[]): string {
    return chainName(prefix, `${scope.salt}${portName}`, ...parts);
  }
}

interface PortContext {
  scope: Scope;
  service: KubeObject;
  port: any;
  /** `namespace/name:port`, kube-proxy's ServicePortName. */
  portName: string;
  protocol: string;
  /** Every endpoint that may take traffic; `usable` picks among them. */
  all: Endpoint[];
}

const quote = (text: string) => `"${text.replace(/"/g, '')}"`;
const match = (protocol: string, port: number) => `-p ${protocol} -m ${protocol} --dport ${port}`;

function renderCluster(t: Tables, scope: Scope, input: ProxyInput): void {
  const services = [...input.services].sort((a, b) => key(a).localeCompare(key(b)));
  for (const service of services) {
    if (!routable(service)) continue;
    const slices = slicesOf(service, input.slices);
    for (const port of service.spec.ports ?? []) {
      const protocol = (port.protocol ?? 'TCP').toLowerCase();
      const portName = port.name ? `${key(service)}:${port.name}` : key(service);
      renderPort(t, input, { scope, service, port, portName, protocol, all: portEndpoints(port, slices) });
    }
  }
}

/** KUBE-CLUSTERS: each other cluster's pods to its chains (a goto: they never reach the first cluster's). */
function dispatch(others: { scope: Scope; input: ProxyInput }[], chainOf: (scope: Scope) => string): string[] {
  if (!others.length) return [];
  const rules = others.flatMap(({ scope, input }) =>
    [...input.pods]
      .sort((a, b) => a.ip.localeCompare(b.ip))
      .map((pod) => `-A KUBE-CLUSTERS -s ${pod.ip}/32 -g ${chainOf(scope)}`),
  );
  return [...rules, `-A KUBE-CLUSTERS -j ${chainOf(firstCluster)}`];
}

export function renderRules(input: ProxyInput, otherClusters: ClusterRules[] = []): string {
  const t = new Tables();
  renderCluster(t, firstCluster, input);
  const others = [...otherClusters]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((c) => ({ scope: scopeOf(c.name), input: c.input }));
  for (const { scope, input: theirs } of others) {
    t.chain(scope.services);
    t.chain(scope.nodeports);
    renderCluster(t, scope, theirs);
  }
  // With other clusters, the base chains jump to KUBE-CLUSTERS, which picks the cluster.
  const portals = others.length ? 'KUBE-CLUSTERS' : 'KUBE-SERVICES';
  const filterChains = others.length
    ? ['KUBE-CLUSTERS', 'KUBE-SERVICES', ...others.map((o) => o.scope.services)]
    : ['KUBE-SERVICES'];
  return [
    '*filter',
    ':INPUT ACCEPT [0:0]',
    ':FORWARD ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    ...filterChains.map((c) => `:${c} - [0:0]`),
    `-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j ${portals}`,
    `-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j ${portals}`,
    `-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j ${portals}`,
    ...dispatch(others, (scope) => scope.services),
    ...t.filter,
    ...privateSubnets(input.hostLink, input.vpcCidr),
    'COMMIT',
    '*nat',
    ':PREROUTING ACCEPT [0:0]',
    ':INPUT ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    ':POSTROUTING ACCEPT [0:0]',
    ...(others.length ? [':KUBE-CLUSTERS - [0:0]'] : []),
    ...t.natChains.map((c) => `:${c} - [0:0]`),
    `-A PREROUTING -m comment --comment "kubernetes service portals" -j ${portals}`,
    `-A OUTPUT -m comment --comment "kubernetes service portals" -j ${portals}`,
    ...dispatch(others, (scope) => scope.services),
    '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
    `-A KUBE-MARK-MASQ -j MARK --or-mark ${masqMark}`,
    `-A KUBE-POSTROUTING -m mark ! --mark ${masqMark}/${masqMark} -j RETURN`,
    `-A KUBE-POSTROUTING -j MARK --xor-mark ${masqMark}`,
    '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
    ...t.nat,
    ...[firstCluster, ...others.map((o) => o.scope)].map(
      (scope) => `-A ${scope.services} -m comment --comment "kubernetes service nodeports" -j ${scope.nodeports}`,
    ),
    'COMMIT',
    '',
  ].join('\n');
}

/** NodePorts are the node IPs' (in the VPC CIDR): a ClusterIP is no way in from outside. */
function privateSubnets(link: ProxyInput['hostLink'], vpcCidr: string): string[] {
  if (!link) return [];
  const from = `-A FORWARD -i ${link.device}`;
  return [
    `${from} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
    `${from} -m conntrack --ctstate DNAT --ctorigdst ${vpcCidr} -m comment --comment "NodePorts" -j ACCEPT`,
    `${from} -s ${link.cidr} -m comment --comment "this host" -j ACCEPT`,
    `${from} -m comment --comment "private subnets: nothing else from outside the VPC" -j DROP`,
  ];
}

const key = (o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`;

/** Headless (clusterIP None) and ExternalName Services are DNS-only: kube-proxy writes nothing for them. */
function routable(service: KubeObject): boolean {
  const ip = service.spec?.clusterIP;
  return service.spec?.type !== 'ExternalName' && typeof ip === 'string' && ip !== '' && ip !== 'None';
}

function renderPort(t: Tables, input: ProxyInput, p: PortContext): void {
  const { scope, service, port, portName, protocol, all } = p;
  const endpoints = usable(all);
  const clusterIP = service.spec.clusterIP;
  const internalLocal = service.spec.internalTrafficPolicy === 'Local';
  const externalLocal = service.spec.externalTrafficPolicy === 'Local';
  const nodePort = ['NodePort', 'LoadBalancer'].includes(service.spec.type) ? port.nodePort : undefined;
  const nodePorts = typeof nodePort === 'number' ? [...input.nodes].sort((a, b) => a.ip.localeCompare(b.ip)) : [];
  const reject = (destination: string, dport: number, what: string, local: boolean) => {
    if (endpoints.length && !local) return;
    const [why, verdict] = endpoints.length
      ? ['has no local endpoints', 'DROP']
      : ['has no endpoints', 'REJECT --reject-with icmp-port-unreachable'];
    const comment = quote(`${portName}${what} ${why}`);
    t.filter.push(
      `-A ${scope.services} -d ${destination}/32 ${match(protocol, dport)} -m comment --comment ${comment} -j ${verdict}`,
    );
  };
  // spec.externalIPs: no node receives them here, so every endpoint serves them (the client's address kept under
  // externalTrafficPolicy: Local).
  const externalIPs: string[] = [...(service.spec.externalIPs ?? [])].sort();
  reject(clusterIP, port.port, '', internalLocal);
  for (const ip of externalIPs) reject(ip, port.port, ' external IP', false);
  for (const node of nodePorts) reject(node.ip, nodePort, ' nodePort', externalLocal);
  if (!endpoints.length) return;
  const local = (nodeName: string) => usable(all.filter((e) => e.nodeName === nodeName));
  const clusterChain = () => spread(t, p, t.name(scope, 'KUBE-SVC', portName, protocol), endpoints);
  const localChain = (nodeName: string) =>
    local(nodeName).length
      ? spread(t, p, t.name(scope, 'KUBE-SVL', portName, protocol, nodeName), local(nodeName))
      : '';

  const comment = `-m comment --comment ${quote(`${portName} cluster IP`)}`;
  if (internalLocal) {
    const chain = t.chain(t.name(scope, 'KUBE-ITP', portName, protocol));
    t.nat.push(`-A ${scope.services} -d ${clusterIP}/32 ${match(protocol, port.port)} ${comment} -j ${chain}`);
    const clients = [...input.pods].sort((a, b) => a.ip.localeCompare(b.ip));
    for (const client of clients) {
      const target = localChain(client.nodeName);
      if (target) t.nat.push(`-A ${chain} -s ${client.ip}/32 -j ${target}`);
    }
  } else {
    const chain = t.name(scope, 'KUBE-SVC', portName, protocol);
    t.nat.push(`-A ${chain} ! -s ${input.vpcCidr} -d ${clusterIP}/32 ${match(protocol, port.port)} -j KUBE-MARK-MASQ`);
    t.nat.push(`-A ${scope.services} -d ${clusterIP}/32 ${match(protocol, port.port)} ${comment} -j ${clusterChain()}`);
  }
  for (const node of nodePorts) {
    const target = externalLocal ? localChain(node.name) : clusterChain();
    if (!target) continue;
    const head = `-A ${scope.nodeports} -d ${node.ip}/32 ${match(protocol, nodePort)} -m comment --comment ${quote(`${portName} nodePort`)}`;
    if (!externalLocal) t.nat.push(`${head} -j KUBE-MARK-MASQ`);
    t.nat.push(`${head} -j ${target}`);
  }
  for (const ip of externalIPs) {
    const head = `-A ${scope.services} -d ${ip}/32 ${match(protocol, port.port)} -m comment --comment ${quote(`${portName} external IP`)}`;
    if (!externalLocal) t.nat.push(`${head} -j KUBE-MARK-MASQ`);
    t.nat.push(`${head} -j ${clusterChain()}`);
  }
}

/** A service chain over `endpoints` (declared once), with an endpoint chain each; returns the chain's name. */
function spread(t: Tables, p: PortContext, chain: string, endpoints: Endpoint[]): string {
  if (t.natChains.includes(chain)) return chain;
  t.chain(chain);
  const affinity = p.service.spec.sessionAffinity === 'ClientIP';
  const seconds = p.service.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? defaultAffinitySeconds;
  const seps = endpoints.map((e) => ({ e, sep: endpointChain(t, p, e, affinity) }));
  if (affinity) {
    for (const { e, sep } of seps) {
      t.nat.push(
        `-A ${chain} -m comment --comment ${quote(`${p.portName} -> ${e.ip}:${e.port}`)} -m recent --name ${sep} --mask 255.255.255.255 --rsource --rcheck --seconds ${seconds} --reap -j ${sep}`,
      );
    }
  }
  seps.forEach(({ e, sep }, i) => {
    const left = seps.length - i;
    const odds = left > 1 ? ` -m statistic --mode random --probability ${(1 / left).toFixed(10)}` : '';
    t.nat.push(`-A ${chain} -m comment --comment ${quote(`${p.portName} -> ${e.ip}:${e.port}`)}${odds} -j ${sep}`);
  });
  return chain;
}

function endpointChain(t: Tables, p: PortContext, e: Endpoint, affinity: boolean): string {
  const sep = t.name(p.scope, 'KUBE-SEP', p.portName, p.protocol, `${e.ip}:${e.port}`);
  if (t.natChains.includes(sep)) return sep;
  t.chain(sep);
  const comment = `-m comment --comment ${quote(p.portName)}`;
  const remember = affinity ? ` -m recent --name ${sep} --mask 255.255.255.255 --rsource --set` : '';
  t.nat.push(`-A ${sep} ${comment} -s ${e.ip}/32 -j KUBE-MARK-MASQ`);
  t.nat.push(
    `-A ${sep} ${comment} -p ${p.protocol}${remember} -m ${p.protocol} -j DNAT --to-destination ${e.ip}:${e.port}`,
  );
  return sep;
}
