// API discovery in both forms: legacy (/api, /apis, /api/v1, /apis/<g>/<v>) and aggregated
// (apidiscovery.k8s.io v2 and v2beta1), negotiated from the Accept header with the exact Content-Type (P4).
import type { ResourceRegistry } from '../resources/registry.js';
import type { ResourceInfo } from '../resources/types.js';

const aggregatedVersions = ['v2', 'v2beta1'] as const;
export type AggregatedVersion = (typeof aggregatedVersions)[number];

/** The aggregated-discovery version the client offered, if any (the first it lists that we serve). */
export function negotiateAggregated(accept: string | undefined): AggregatedVersion | undefined {
  for (const range of (accept ?? '').split(',')) {
    const params = Object.fromEntries(
      range
        .split(';')
        .slice(1)
        .map((p) => p.trim().split('=') as [string, string]),
    );
    if (params.g === 'apidiscovery.k8s.io' && params.as === 'APIGroupDiscoveryList') {
      const version = aggregatedVersions.find((v) => v === params.v);
      if (version) return version;
    }
  }
  return undefined;
}

export function aggregatedContentType(version: AggregatedVersion): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}

function discoveryResource(info: ResourceInfo) {
  return {
    resource: info.resource,
    responseKind: { group: info.group, version: info.version, kind: info.kind },
    scope: info.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: info.singular,
    verbs: info.verbs,
    ...(info.shortNames.length ? { shortNames: info.shortNames } : {}),
    ...(info.categories.length ? { categories: info.categories } : {}),
    ...(info.subresources.length
      ? {
          subresources: info.subresources.map((s) => ({
            subresource: s.name,
            responseKind: { group: s.group, version: s.version, kind: s.kind },
            verbs: s.verbs,
          })),
        }
      : {}),
  };
}

/** `legacy` true: the list for /api (the core group); false: for /apis. */
export function aggregatedList(registry: ResourceRegistry, core: boolean, version: AggregatedVersion) {
  const items = [...registry.groups()]
    .filter(([group]) => (group === '') === core)
    .sort(([a], [b]) => groupOrder(a) - groupOrder(b) || a.localeCompare(b))
    .map(([group, versions]) => ({
      metadata: core ? {} : { name: group },
      versions: versions.map((v) => ({
        version: v,
        resources: registry
          .resourcesOf(group, v)
          .sort((a, b) => a.resource.localeCompare(b.resource))
          .map(discoveryResource),
        freshness: 'Current',
      })),
    }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

const builtinGroupOrder = [
  '',
  'apiregistration.k8s.io',
  'apps',
  'events.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'networking.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'node.k8s.io',
  'discovery.k8s.io',
  'flowcontrol.apiserver.k8s.io',
];

function groupOrder(group: string): number {
  const i = builtinGroupOrder.indexOf(group);
  return i < 0 ? builtinGroupOrder.length : i;
}

export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(group: string, versions: string[]) {
  const gv = (v: string) => ({ groupVersion: `${group}/${v}`, version: v });
  return { name: group, versions: versions.map(gv), preferredVersion: gv(versions[0]) };
}

export function apiGroupList(registry: ResourceRegistry) {
  const groups = [...registry.groups()]
    .filter(([group]) => group !== '')
    .sort(([a], [b]) => groupOrder(a) - groupOrder(b) || a.localeCompare(b))
    .map(([group, versions]) => apiGroup(group, versions));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

export function apiGroupOf(registry: ResourceRegistry, group: string) {
  const versions = registry.groups().get(group);
  return versions ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group, versions) } : undefined;
}

export function apiResourceList(registry: ResourceRegistry, group: string, version: string) {
  const resources = registry.resourcesOf(group, version).sort((a, b) => a.resource.localeCompare(b.resource));
  if (resources.length === 0) return undefined;
  const list: Record<string, unknown>[] = [];
  for (const info of resources) {
    list.push({
      name: info.resource,
      singularName: info.singular,
      namespaced: info.namespaced,
      kind: info.kind,
      verbs: info.verbs,
      ...(info.shortNames.length ? { shortNames: info.shortNames } : {}),
      ...(info.categories.length ? { categories: info.categories } : {}),
    });
    for (const sub of info.subresources) {
      list.push({
        name: `${info.resource}/${sub.name}`,
        singularName: '',
        namespaced: info.namespaced,
        ...(sub.group !== info.group || sub.version !== info.version ? { group: sub.group, version: sub.version } : {}),
        kind: sub.kind,
        verbs: sub.verbs,
      });
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: list,
  };
}
