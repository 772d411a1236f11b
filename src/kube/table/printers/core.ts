// Core kinds: Service, Node, Namespace, Event, ConfigMap, Secret, ServiceAccount and Endpoints.
import type { KubeObject } from '../../api/types.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import { since } from '../duration.js';
import { formatLabels, orNone } from '../format.js';
import type { Printer } from '../types.js';

const age = (obj: KubeObject, now: Date) => since(obj.metadata.creationTimestamp, now);
const count = (v: unknown): number =>
  Array.isArray(v) ? v.length : v && typeof v === 'object' ? Object.keys(v).length : 0;

function loadBalancerIPs(svc: KubeObject): string {
  const seen = new Set<string>();
  for (const ing of svc.status?.loadBalancer?.ingress ?? []) {
    if (ing.ip) seen.add(ing.ip);
    else if (ing.hostname) seen.add(ing.hostname);
  }
  return [...seen].sort().join(',');
}

/** getServiceExternalIP, wide (the server always prints wide, so no 16-character clipping). */
function externalIP(svc: KubeObject): string {
  const type = svc.spec?.type ?? 'ClusterIP';
  const externalIPs: string[] = svc.spec?.externalIPs ?? [];
  switch (type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIPs(svc);
      if (externalIPs.length > 0) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return svc.spec?.externalName ?? '';
  }
  return '<unknown>';
}

function portString(svc: KubeObject): string {
  const pieces = (svc.spec?.ports ?? []).map((p: any) => {
    const protocol = p.protocol ?? 'TCP';
    return p.nodePort > 0 ? `${p.port}:${p.nodePort}/${protocol}` : `${p.port}/${protocol}`;
  });
  return pieces.length > 0 ? pieces.join(',') : '<none>';
}

export const servicePrinter: Printer = {
  columns: [
    nameColumn(),
    column('Type', 'string', 'core.v1.ServiceSpec#type'),
    column('Cluster-IP', 'string', 'core.v1.ServiceSpec#clusterIP'),
    column('External-IP', 'string', 'core.v1.ServiceSpec#externalIPs'),
    column('Port(s)', 'string', 'core.v1.ServiceSpec#ports'),
    ageColumn(),
    column('Selector', 'string', 'core.v1.ServiceSpec#selector', 1),
  ],
  cells: (svc, now) => [
    svc.metadata.name,
    svc.spec?.type ?? 'ClusterIP',
    orNone(svc.spec?.clusterIPs?.[0] ?? svc.spec?.clusterIP),
    externalIP(svc),
    portString(svc),
    age(svc, now),
    formatLabels(svc.spec?.selector),
  ],
};

function nodeStatus(node: KubeObject): string {
  const ready = (node.status?.conditions ?? []).filter((c: any) => c.type === 'Ready').pop();
  const status = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

function nodeRoles(node: KubeObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return roles.size > 0 ? [...roles].sort().join(',') : '<none>';
}

const nodeAddress = (node: KubeObject, type: string): string =>
  node.status?.addresses?.find((a: any) => a.type === type)?.address ?? '<none>';
const unknownIfEmpty = (s: unknown): string => (typeof s === 'string' && s !== '' ? s : '<unknown>');

export const nodePrinter: Printer = {
  columns: [
    nameColumn(),
    column('Status', 'string', 'The status of the node'),
    column('Roles', 'string', 'The roles of the node'),
    ageColumn(),
    column('Version', 'string', 'core.v1.NodeSystemInfo#kubeletVersion'),
    column('Internal-IP', 'string', 'core.v1.NodeStatus#addresses', 1),
    column('External-IP', 'string', 'core.v1.NodeStatus#addresses', 1),
    column('OS-Image', 'string', 'core.v1.NodeSystemInfo#osImage', 1),
    column('Kernel-Version', 'string', 'core.v1.NodeSystemInfo#kernelVersion', 1),
    column('Container-Runtime', 'string', 'core.v1.NodeSystemInfo#containerRuntimeVersion', 1),
  ],
  cells: (node, now) => {
    const info = node.status?.nodeInfo ?? {};
    return [
      node.metadata.name,
      nodeStatus(node),
      nodeRoles(node),
      age(node, now),
      info.kubeletVersion ?? '',
      nodeAddress(node, 'InternalIP'),
      nodeAddress(node, 'ExternalIP'),
      unknownIfEmpty(info.osImage),
      unknownIfEmpty(info.kernelVersion),
      unknownIfEmpty(info.containerRuntimeVersion),
    ];
  },
};

export const namespacePrinter: Printer = {
  columns: [nameColumn(), column('Status', 'string', 'The status of the namespace'), ageColumn()],
  cells: (ns, now) => [ns.metadata.name, ns.status?.phase ?? '', age(ns, now)],
};

function eventCells(ev: KubeObject, now: Date): unknown[] {
  const firstSeen = ev.firstTimestamp ? since(ev.firstTimestamp, now) : since(ev.eventTime, now);
  let lastSeen = ev.lastTimestamp ? since(ev.lastTimestamp, now) : firstSeen;
  let n = typeof ev.count === 'number' ? ev.count : 0;
  if (ev.series) {
    lastSeen = since(ev.series.lastObservedTime, now);
    n = ev.series.count ?? 0;
  } else if (n === 0) n = 1;
  const involved = ev.involvedObject ?? {};
  const kind = String(involved.kind ?? '').toLowerCase();
  const target = involved.name ? `${kind}/${involved.name}` : kind;
  const component = ev.source?.component || ev.reportingComponent || '';
  const instance = ev.source?.host || ev.reportingInstance || '';
  return [
    lastSeen,
    ev.type ?? '',
    ev.reason ?? '',
    target,
    involved.fieldPath ?? '',
    instance ? `${component}, ${instance}` : component,
    String(ev.message ?? '').trim(),
    firstSeen,
    n,
    ev.metadata.name,
  ];
}

export const eventPrinter: Printer = {
  columns: [
    column('Last Seen', 'string', 'core.v1.Event#lastTimestamp'),
    column('Type', 'string', 'core.v1.Event#type'),
    column('Reason', 'string', 'core.v1.Event#reason'),
    column('Object', 'string', 'core.v1.Event#involvedObject'),
    column('Subobject', 'string', 'core.v1.ObjectReference#fieldPath', 1),
    column('Source', 'string', 'core.v1.Event#source', 1),
    column('Message', 'string', 'core.v1.Event#message'),
    column('First Seen', 'string', 'core.v1.Event#firstTimestamp', 1),
    column('Count', 'string', 'core.v1.Event#count', 1),
    nameColumn(1),
  ],
  cells: eventCells,
};

export const configMapPrinter: Printer = {
  columns: [nameColumn(), column('Data', 'string', 'core.v1.ConfigMap#data'), ageColumn()],
  cells: (cm, now) => [cm.metadata.name, count(cm.data) + count(cm.binaryData), age(cm, now)],
};

export const secretPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Type', 'string', 'core.v1.Secret#type'),
    column('Data', 'string', 'core.v1.Secret#data'),
    ageColumn(),
  ],
  cells: (s, now) => [s.metadata.name, s.type ?? '', count(s.data), age(s, now)],
};

export const serviceAccountPrinter: Printer = {
  columns: [nameColumn(), column('Secrets', 'string', 'core.v1.ServiceAccount#secrets'), ageColumn()],
  cells: (sa, now) => [sa.metadata.name, count(sa.secrets), age(sa, now)],
};

/** formatEndpoints: up to three `ip:port` entries, then "+ N more...". */
function formatEndpoints(ep: KubeObject): string {
  const subsets: any[] = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let total = 0;
  for (const ss of subsets) {
    const addresses: any[] = ss.addresses ?? [];
    const ports: any[] = ss.ports?.length ? ss.ports : [undefined];
    for (const port of ports) {
      total += addresses.length;
      for (const a of addresses) {
        if (list.length === max) break;
        const host = String(a.ip).includes(':') ? `[${a.ip}]` : a.ip;
        list.push(port ? `${host}:${port.port}` : a.ip);
      }
    }
  }
  const text = list.join(',');
  return total > max ? `${text} + ${total - max} more...` : text;
}

export const endpointsPrinter: Printer = {
  columns: [nameColumn(), column('Endpoints', 'string', 'core.v1.Endpoints#subsets'), ageColumn()],
  cells: (ep, now) => [ep.metadata.name, formatEndpoints(ep), age(ep, now)],
};

export const componentStatusPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Status', 'string', 'Status of the component conditions'),
    column('Message', 'string', 'Message of the component conditions'),
    column('Error', 'string', 'Error of the component conditions'),
  ],
  cells: (cs) => {
    const healthy = (cs.conditions ?? []).find((c: any) => c?.type === 'Healthy');
    const status = healthy ? (healthy.status === 'True' ? 'Healthy' : 'Unhealthy') : 'Unknown';
    return [cs.metadata.name, status, healthy?.message ?? '', healthy?.error ?? ''];
  },
};
