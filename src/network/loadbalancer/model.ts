// The load balancers the AWS Load Balancer Controller would build, as a pure function of the cluster's objects:
// one ALB per Ingress group (Ingresses of the `alb` class; `group.name` puts several in one, ordered by
// `group.order` then namespace/name) and one NLB per Service of type LoadBalancer that the controller takes
// (`loadBalancerClass: service.k8s.aws/nlb`, or `aws-load-balancer-type: external` / `nlb-ip`, or neither, which the
// controller's Service webhook turns into its class). Targets are pods by IP (Fargate supports no other kind): the
// ready endpoints of the backend Service's EndpointSlices. What the controller refuses is a problem with its event
// text (`Failed build model due to …`); what Skiff cannot serve is refused the same way, saying so.
import { BlockList, isIPv4 } from 'node:net';
import type { KubeObject } from '../../kube/api/types.js';
import { portEndpoints, slicesOf } from '../proxy/endpoints.js';
import { type LoadBalancerType, loadBalancerAddress, loadBalancerName, type Scheme } from './names.js';
import { type Action, type CompiledRule, compile, pathPatterns, type Rule, RuleError, sortPaths } from './rules.js';

export const albController = 'ingress.k8s.aws/alb';
export const nlbClass = 'service.k8s.aws/nlb';
const ing = 'alb.ingress.kubernetes.io/';
const svcLb = 'service.beta.kubernetes.io/aws-load-balancer-';

export interface HealthCheck {
  protocol: 'HTTP' | 'TCP';
  path: string;
  /** `traffic-port` (each target's own port) or a fixed port. */
  port: 'traffic-port' | number;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  /** HTTP codes that pass: `200`, `200-399`, `200,302`. */
  matcher: string;
}

export interface Target {
  ip: string;
  port: number;
}

export interface TargetGroup {
  id: string;
  /** The backend Service (`namespace/name`) and its port. */
  service: string;
  servicePort: any;
  healthCheck: HealthCheck;
  targets: Target[];
}

export interface Listener {
  port: number;
  protocol: 'HTTP' | 'TCP';
  /** HTTP: the rules in priority order and the default action. */
  rules: CompiledRule[];
  defaultAction: Action;
}

export interface LoadBalancer {
  /** `ingress/<group>` or `service/<namespace>/<name>`. */
  id: string;
  type: LoadBalancerType;
  name: string;
  address: string;
  scheme: Scheme;
  listeners: Listener[];
  targetGroups: Map<string, TargetGroup>;
  /** The Ingresses or the Service whose status carries the address. */
  owners: KubeObject[];
  /** The client addresses let in (inbound-cidrs, loadBalancerSourceRanges); everyone when unset. */
  sources?: BlockList;
}

export interface Problem {
  object: KubeObject;
  /** The load balancer the object belongs to, which the controller keeps as it last was (as AWS keeps it). */
  loadBalancerId: string;
  reason: string;
  message: string;
}

export interface ModelInput {
  clusterName: string;
  region: string;
  ingresses: KubeObject[];
  ingressClasses: KubeObject[];
  /** elbv2.k8s.aws IngressClassParams: a class's `scheme` and `group.name` apply to all its Ingresses. */
  ingressClassParams?: KubeObject[];
  services: KubeObject[];
  slices: KubeObject[];
}

export interface Model {
  loadBalancers: LoadBalancer[];
  problems: Problem[];
}

class BuildError extends Error {}

const keyOf = (o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`;

export function buildModel(input: ModelInput): Model {
  const model: Model = { loadBalancers: [], problems: [] };
  const services = new Map(input.services.map((s) => [keyOf(s), s]));
  for (const [groupId, group] of ingressGroups(input)) {
    try {
      model.loadBalancers.push(buildAlb(input, services, groupId, group));
    } catch (error) {
      if (!(error instanceof BuildError || error instanceof RuleError)) throw error;
      for (const member of group.members) {
        model.problems.push({
          object: member,
          loadBalancerId: `ingress/${groupId}`,
          reason: 'FailedBuildModel',
          message: `Failed build model due to ${error.message}`,
        });
      }
    }
  }
  for (const service of input.services) {
    if (!takesService(service)) continue;
    try {
      model.loadBalancers.push(buildNlb(input, service));
    } catch (error) {
      if (!(error instanceof BuildError)) throw error;
      model.problems.push({
        object: service,
        loadBalancerId: `service/${keyOf(service)}`,
        reason: 'FailedBuildModel',
        message: `Failed build model due to ${error.message}`,
      });
    }
  }
  return model;
}

// ---- Ingress → ALB

/** Whether the controller takes the Ingress: the `alb` class annotation, an IngressClass of its controller, or a
 * default IngressClass of its controller when the Ingress names none. */
export function isAlbIngress(ingress: KubeObject, classes: KubeObject[]): boolean {
  const annotation = ingress.metadata.annotations?.['kubernetes.io/ingress.class'];
  if (annotation !== undefined) return annotation === 'alb';
  const className = ingress.spec?.ingressClassName;
  const ours = (c: KubeObject) => c.spec?.controller === albController;
  if (className) return classes.some((c) => c.metadata.name === className && ours(c));
  return classes.some(
    (c) => ours(c) && c.metadata.annotations?.['ingressclass.kubernetes.io/is-default-class'] === 'true',
  );
}

interface Group {
  explicit: boolean;
  members: KubeObject[];
}

/** The Ingress groups, each with its members in the controller's order. */
export function ingressGroups(
  input: Pick<ModelInput, 'ingresses' | 'ingressClasses' | 'ingressClassParams'>,
): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const ingress of input.ingresses) {
    if (ingress.metadata.deletionTimestamp || !isAlbIngress(ingress, input.ingressClasses)) continue;
    const name = classParamsOf(ingress, input)?.spec?.group?.name ?? ingress.metadata.annotations?.[`${ing}group.name`];
    const id = name ?? keyOf(ingress);
    const group = groups.get(id) ?? { explicit: name !== undefined, members: [] };
    group.members.push(ingress);
    groups.set(id, group);
  }
  for (const group of groups.values()) {
    group.members.sort((a, b) => orderOf(a) - orderOf(b) || keyOf(a).localeCompare(keyOf(b)));
  }
  return groups;
}

/** The IngressClassParams the Ingress's class points at, if any. */
function classParamsOf(
  ingress: KubeObject,
  input: Pick<ModelInput, 'ingressClasses' | 'ingressClassParams'>,
): KubeObject | undefined {
  const className = ingress.spec?.ingressClassName;
  const parameters = input.ingressClasses.find((c) => c.metadata.name === className)?.spec?.parameters;
  if (parameters?.apiGroup !== 'elbv2.k8s.aws' || parameters.kind !== 'IngressClassParams') return undefined;
  return (input.ingressClassParams ?? []).find((p) => p.metadata.name === parameters.name);
}

/** The scheme of a member: its class's params, else its annotation; params fields Skiff cannot honour refused. */
function memberScheme(ingress: KubeObject, input: ModelInput): Scheme {
  const what = `ingress: ${keyOf(ingress)}: `;
  const spec = classParamsOf(ingress, input)?.spec ?? {};
  for (const field of Object.keys(spec)) {
    if (['group', 'scheme'].includes(field) || (field === 'ipAddressType' && spec[field] === 'ipv4')) continue;
    throw new BuildError(`${what}IngressClassParams spec.${field} is not served by Skiff's ALB`);
  }
  return parseScheme(spec.scheme ?? ingress.metadata.annotations?.[`${ing}scheme`], what);
}

function orderOf(ingress: KubeObject): number {
  const raw = ingress.metadata.annotations?.[`${ing}group.order`];
  const order = raw === undefined ? 0 : Number(raw);
  return Number.isInteger(order) ? order : 0;
}

function parseScheme(raw: string | undefined, what: string): Scheme {
  const scheme = raw ?? 'internal';
  if (scheme !== 'internal' && scheme !== 'internet-facing') throw new BuildError(`${what}unknown scheme: ${scheme}`);
  return scheme;
}

function intAnnotation(annotations: Record<string, string>, key: string, fallback: number, what: string): number {
  const raw = annotations[key];
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw.trim())) {
    throw new BuildError(
      `${what}failed to parse int64 annotation, ${key}: ${raw}: strconv.ParseInt: parsing "${raw}": invalid syntax`,
    );
  }
  return Number(raw);
}

/**
 * Annotations that ask for what Skiff's ALB has not (certificates and HTTPS, authentication, custom actions and
 * conditions, WAF and Shield, a front NLB): refused, naming the annotation. Those that shape AWS resources Skiff does
 * not model and change nothing a client sees here (subnets, security-groups, tags, load-balancer and target-group
 * attributes) are accepted, as are keys the controller does not know.
 */
const refusedIngressAnnotations = [
  /^certificate-arn$/,
  /^ssl-redirect$/,
  /^ssl-policy$/,
  /^mutual-authentication$/,
  /^auth-/,
  /^actions\./,
  /^conditions\./,
  /^transforms\./,
  /^wafv2-acl-arn$/,
  /^waf-acl-id$/,
  /^shield-advanced-protection$/,
  /^enable-frontend-nlb$/,
  /^frontend-nlb-/,
];

function refuseUnserved(ingress: KubeObject, what: string): void {
  const annotations: Record<string, string> = ingress.metadata.annotations ?? {};
  for (const key of Object.keys(annotations).sort()) {
    if (!key.startsWith(ing)) continue;
    const suffix = key.slice(ing.length);
    if (refusedIngressAnnotations.some((r) => r.test(suffix))) {
      throw new BuildError(`${what}${key} is not served by Skiff's ALB`);
    }
  }
  const fixed: [string, string][] = [
    ['backend-protocol', 'HTTP'],
    ['backend-protocol-version', 'HTTP1'],
    ['ip-address-type', 'ipv4'],
  ];
  for (const [suffix, only] of fixed) {
    const value = annotations[`${ing}${suffix}`];
    if (value !== undefined && value !== only) {
      throw new BuildError(`${what}${ing}${suffix}: ${value} is not served by Skiff's ALB (only ${only})`);
    }
  }
}

/** Client CIDRs (IPv4) as a BlockList of those let in; undefined when every client is. */
function sourceRanges(raw: string[] | undefined, what: string): BlockList | undefined {
  if (!raw?.length) return undefined;
  const list = new BlockList();
  for (const cidr of raw.map((c) => c.trim()).filter(Boolean)) {
    const [address, bits] = cidr.split('/');
    const prefix = Number(bits ?? '32');
    if (!address || !isIPv4(address) || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) {
      throw new BuildError(`${what}invalid CIDR: ${cidr}`);
    }
    list.addSubnet(address, prefix, 'ipv4');
  }
  return list;
}

/** `[{"HTTP": 80}, {"HTTPS": 443}]`; when absent HTTP :80, or HTTPS :443 for an Ingress with TLS, as the controller. */
function listenPorts(ingress: KubeObject, what: string): number[] {
  const key = `${ing}listen-ports`;
  const raw = ingress.metadata.annotations?.[key] ?? (ingress.spec?.tls?.length ? '[{"HTTPS": 443}]' : undefined);
  if (raw === undefined) return [80];
  let entries: unknown;
  try {
    entries = JSON.parse(raw);
  } catch (error) {
    throw new BuildError(`${what}failed to parse json annotation, ${key}: ${raw}: ${(error as Error).message}`);
  }
  if (!Array.isArray(entries)) throw new BuildError(`${what}failed to parse json annotation, ${key}: ${raw}`);
  const ports: number[] = [];
  for (const entry of entries) {
    for (const [protocol, port] of Object.entries(entry as Record<string, unknown>)) {
      if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
        throw new BuildError(`${what}listen port must be within [1, 65535]: ${port}`);
      }
      if (protocol === 'HTTPS') {
        throw new BuildError(
          `${what}HTTPS listener on port ${port}: its certificate would come from ACM, which Skiff does not serve; listen on HTTP`,
        );
      }
      if (protocol !== 'HTTP') throw new BuildError(`${what}listen protocol must be within [HTTP, HTTPS]: ${protocol}`);
      ports.push(port);
    }
  }
  return ports;
}

/** The controller's checks of explicit orders: an int64, within [-1000:1000]. */
function checkOrder(ingress: KubeObject): void {
  const key = `${ing}group.order`;
  const raw = ingress.metadata.annotations?.[key];
  if (raw === undefined) return;
  const order = intAnnotation(
    { [key]: raw },
    key,
    0,
    `failed to load Ingress group order for ingress: ${keyOf(ingress)}: `,
  );
  if (order < -1000 || order > 1000) {
    throw new BuildError(
      `explicit Ingress group order must be within [-1000:1000], Ingress: ${keyOf(ingress)}, order: ${order}`,
    );
  }
}

function buildAlb(input: ModelInput, services: Map<string, KubeObject>, groupId: string, group: Group): LoadBalancer {
  for (const member of group.members) checkOrder(member);
  const schemes = new Set(group.members.map((m) => memberScheme(m, input)));
  if (schemes.size > 1) throw new BuildError(`conflicting scheme: ${[...schemes].sort().join(', ')}`);
  const scheme = [...schemes][0] ?? 'internal';
  const targetGroups = new Map<string, TargetGroup>();
  const rulesByPort = new Map<number, Rule[]>();
  const defaults: { ingress: KubeObject; action: Action }[] = [];
  const names = new Set<string>();
  const cidrs = new Set<string>();
  for (const member of group.members) {
    const what = `ingress: ${keyOf(member)}: `;
    refuseUnserved(member, what);
    const annotations = member.metadata.annotations ?? {};
    if (annotations[`${ing}load-balancer-name`]) names.add(annotations[`${ing}load-balancer-name`]);
    for (const cidr of annotations[`${ing}inbound-cidrs`]?.split(',') ?? []) cidrs.add(cidr.trim());
    const ports = listenPorts(member, what);
    const rules: Omit<Rule, 'priority'>[] = [];
    const forward = (backend: any): Action => ({
      type: 'forward',
      targetGroup: albTargetGroup(input, services, member, backend, targetGroups, what).id,
    });
    for (const rule of member.spec?.rules ?? []) {
      if (!rule.http) continue;
      let paths: any[];
      try {
        paths = sortPaths(rule.http.paths ?? []);
      } catch (error) {
        throw new BuildError(`${what}${(error as Error).message}`);
      }
      for (const path of paths) {
        let patterns: string[];
        try {
          patterns = path.path ? pathPatterns(path.path, path.pathType) : [];
        } catch (error) {
          throw new BuildError(`${what}${(error as Error).message}`);
        }
        const hosts = rule.host ? [rule.host] : [];
        rules.push({
          hosts,
          paths: hosts.length || patterns.length ? patterns : ['/*'],
          action: forward(path.backend),
          ingress: keyOf(member),
        });
      }
    }
    if (member.spec?.defaultBackend) defaults.push({ ingress: member, action: forward(member.spec.defaultBackend) });
    for (const port of ports) rulesByPort.set(port, [...(rulesByPort.get(port) ?? []), ...(rules as Rule[])]);
  }
  if (defaults.length > 1) {
    throw new BuildError(
      `multiple ingress defined default backend: [${defaults.map((d) => keyOf(d.ingress)).join(' ')}]`,
    );
  }
  const defaultAction: Action = defaults[0]?.action ?? { type: 'fixed-response', statusCode: 404 };
  const listeners: Listener[] = [...rulesByPort.entries()]
    .sort(([a], [b]) => a - b)
    .map(([port, rules]) => ({
      port,
      protocol: 'HTTP',
      rules: rules.map((r, i) => compile({ ...r, priority: i + 1 })),
      defaultAction,
    }));
  if (names.size > 1) throw new BuildError(`conflicting load balancer name: ${[...names].sort().join(', ')}`);
  const customName = [...names][0];
  if (customName !== undefined && !/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/.test(customName)) {
    throw new BuildError(`invalid load balancer name: ${customName}`);
  }
  const naming = { clusterName: input.clusterName, groupId, scheme, explicitGroup: group.explicit, customName };
  const sources = sourceRanges([...cidrs], '');
  return {
    id: `ingress/${groupId}`,
    type: 'application',
    name: loadBalancerName(naming),
    address: loadBalancerAddress('application', naming, input.region),
    scheme,
    listeners,
    targetGroups,
    owners: group.members,
    ...(sources ? { sources } : {}),
  };
}

const notFound = (name: string) => `services "${name}" not found`;

function albTargetGroup(
  input: ModelInput,
  services: Map<string, KubeObject>,
  ingress: KubeObject,
  backend: any,
  groups: Map<string, TargetGroup>,
  what: string,
): TargetGroup {
  const namespace = ingress.metadata.namespace;
  if (!backend?.service?.name) {
    throw new BuildError(`${what}resource backends are not served: a backend must name a Service`);
  }
  const wanted = backend.service.port ?? {};
  if (wanted.name === 'use-annotation') {
    throw new BuildError(`${what}${ing}actions.${backend.service.name}: actions are not served by Skiff's ALB`);
  }
  const service = services.get(`${namespace}/${backend.service.name}`);
  if (!service) throw new BuildError(`${what}${notFound(backend.service.name)}`);
  const servicePort = (service.spec?.ports ?? []).find((p: any) =>
    wanted.name !== undefined ? p.name === wanted.name : p.port === wanted.number,
  );
  if (!servicePort) {
    throw new BuildError(`${what}unable to find port ${wanted.name ?? wanted.number} on service ${keyOf(service)}`);
  }
  const annotations = { ...(service.metadata.annotations ?? {}), ...(ingress.metadata.annotations ?? {}) };
  const targetType = annotations[`${ing}target-type`] ?? 'instance';
  if (targetType === 'instance') {
    if (!['NodePort', 'LoadBalancer'].includes(service.spec?.type) || !servicePort.nodePort) {
      throw new BuildError(
        `${what}TargetGroup port is empty. When using Instance targets, your service must be of type 'NodePort' or 'LoadBalancer'`,
      );
    }
    throw new BuildError(`${what}${instanceRefusal(`${ing}target-type`)}`);
  }
  if (targetType !== 'ip') throw new BuildError(`${what}unknown targetType: ${targetType}`);
  const id = `${keyOf(ingress)}:${keyOf(service)}:${servicePort.port}`;
  const existing = groups.get(id);
  if (existing) return existing;
  const healthCheck: HealthCheck = {
    protocol: 'HTTP',
    path: annotations[`${ing}healthcheck-path`] ?? '/',
    port: healthCheckPort(annotations[`${ing}healthcheck-port`], what),
    intervalSeconds: intAnnotation(annotations, `${ing}healthcheck-interval-seconds`, 15, what),
    timeoutSeconds: intAnnotation(annotations, `${ing}healthcheck-timeout-seconds`, 5, what),
    healthyThreshold: intAnnotation(annotations, `${ing}healthy-threshold-count`, 2, what),
    unhealthyThreshold: intAnnotation(annotations, `${ing}unhealthy-threshold-count`, 2, what),
    matcher: annotations[`${ing}success-codes`] ?? '200',
  };
  const protocol = annotations[`${ing}healthcheck-protocol`] ?? 'HTTP';
  if (protocol !== 'HTTP') {
    throw new BuildError(
      `${what}healthCheckProtocol must be within [HTTP, HTTPS]${protocol === 'HTTPS' ? ': HTTPS targets are not served by Skiff' : ''}`,
    );
  }
  const group: TargetGroup = {
    id,
    service: keyOf(service),
    healthCheck,
    servicePort,
    targets: targetsOf(service, servicePort, input.slices),
  };
  groups.set(id, group);
  return group;
}

function healthCheckPort(raw: string | undefined, what: string): 'traffic-port' | number {
  if (raw === undefined || raw === 'traffic-port') return 'traffic-port';
  if (!/^\d+$/.test(raw)) throw new BuildError(`${what}health check port must be a number or traffic-port: ${raw}`);
  return Number(raw);
}

/** Skiff's load balancers register pods by IP only: what instance targets would need (nodes) a Fargate pod has not. */
function instanceRefusal(annotation: string): string {
  return `instance targets are not supported: Fargate pods (and Skiff's load balancers) take IP targets only; set ${annotation}: ip`;
}

/**
 * A load balancer as it was, with each target group's targets read again from the slices: what AWS keeps serving
 * while the controller cannot build a new model (its TargetGroupBindings still follow the endpoints).
 */
export function withCurrentTargets(lb: LoadBalancer, services: KubeObject[], slices: KubeObject[]): LoadBalancer {
  const byKey = new Map(services.map((s) => [keyOf(s), s]));
  const targetGroups = new Map<string, TargetGroup>();
  for (const [id, group] of lb.targetGroups) {
    const service = byKey.get(group.service);
    targetGroups.set(id, { ...group, targets: service ? targetsOf(service, group.servicePort, slices) : [] });
  }
  return { ...lb, targetGroups };
}

/** A Service port's targets: its ready endpoints (IPv4 slices), at the port the slices resolve. */
function targetsOf(service: KubeObject, servicePort: any, slices: KubeObject[]): Target[] {
  return portEndpoints(servicePort, slicesOf(service, slices))
    .filter((e) => !e.terminating)
    .map((e) => ({ ip: e.ip, port: e.port }));
}

// ---- Service → NLB

/** Services of type LoadBalancer that the AWS Load Balancer Controller takes. */
export function takesService(service: KubeObject): boolean {
  if (service.spec?.type !== 'LoadBalancer' || service.metadata.deletionTimestamp) return false;
  const className = service.spec.loadBalancerClass;
  if (className) return className === nlbClass;
  const type = service.metadata.annotations?.[`${svcLb}type`];
  return type === undefined || type === 'external' || type === 'nlb-ip';
}

function buildNlb(input: ModelInput, service: KubeObject): LoadBalancer {
  const annotations: Record<string, string> = service.metadata.annotations ?? {};
  const type = annotations[`${svcLb}type`];
  const targetType = type === 'nlb-ip' ? 'ip' : (annotations[`${svcLb}nlb-target-type`] ?? 'instance');
  if (targetType === 'instance') throw new BuildError(instanceRefusal(`${svcLb}nlb-target-type`));
  if (targetType !== 'ip') throw new BuildError(`unsupported target type: ${targetType}`);
  for (const suffix of ['ssl-cert', 'ssl-ports', 'ssl-negotiation-policy', 'alpn-policy', 'proxy-protocol']) {
    if (annotations[`${svcLb}${suffix}`] !== undefined) {
      throw new BuildError(`${svcLb}${suffix} is not served by Skiff's NLB`);
    }
  }
  const internal = annotations[`${svcLb}internal`] === 'true';
  const scheme = parseScheme(annotations[`${svcLb}scheme`] ?? (internal ? 'internal' : undefined), '');
  const protocol = (annotations[`${svcLb}healthcheck-protocol`] ?? 'TCP').toUpperCase();
  if (protocol !== 'TCP' && protocol !== 'HTTP') {
    throw new BuildError(`unsupported health check protocol ${annotations[`${svcLb}healthcheck-protocol`]}`);
  }
  const healthCheck: HealthCheck = {
    protocol,
    path: annotations[`${svcLb}healthcheck-path`] ?? '/',
    port: healthCheckPort(annotations[`${svcLb}healthcheck-port`], ''),
    intervalSeconds: intAnnotation(annotations, `${svcLb}healthcheck-interval`, 10, ''),
    timeoutSeconds: intAnnotation(annotations, `${svcLb}healthcheck-timeout`, protocol === 'HTTP' ? 6 : 10, ''),
    healthyThreshold: intAnnotation(annotations, `${svcLb}healthcheck-healthy-threshold`, 3, ''),
    unhealthyThreshold: intAnnotation(annotations, `${svcLb}healthcheck-unhealthy-threshold`, 3, ''),
    matcher: annotations[`${svcLb}healthcheck-success-codes`] ?? '200-399',
  };
  const targetGroups = new Map<string, TargetGroup>();
  const listeners: Listener[] = [];
  for (const port of service.spec.ports ?? []) {
    const portProtocol = port.protocol ?? 'TCP';
    if (portProtocol !== 'TCP') {
      throw new BuildError(`${portProtocol} listeners are not served by Skiff's NLB (port ${port.port}): TCP only`);
    }
    const id = `${keyOf(service)}:${port.port}`;
    targetGroups.set(id, {
      id,
      service: keyOf(service),
      servicePort: port,
      healthCheck,
      targets: targetsOf(service, port, input.slices),
    });
    listeners.push({
      port: port.port,
      protocol: 'TCP',
      rules: [],
      defaultAction: { type: 'forward', targetGroup: id },
    });
  }
  const names = { clusterName: input.clusterName, groupId: keyOf(service), scheme };
  const ranges: string[] | undefined =
    service.spec.loadBalancerSourceRanges ??
    annotations['service.beta.kubernetes.io/load-balancer-source-ranges']?.split(',');
  const sources = sourceRanges(ranges, '');
  return {
    id: `service/${keyOf(service)}`,
    type: 'network',
    name: loadBalancerName(names),
    address: loadBalancerAddress('network', names, input.region),
    scheme,
    listeners,
    targetGroups,
    owners: [service],
    ...(sources ? { sources } : {}),
  };
}
