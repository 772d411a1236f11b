// DescribeAddonVersions: GET /addons/supported-versions?kubernetesVersion&addonName&types&publishers&owners
// &maxResults&nextToken → {"addons": [AddonInfo]}: the catalogue's add-ons, each with the versions that fit the
// asked cluster version (all when none is asked) and their compatibilities.
import { paginate } from '../paging.js';
import type { Route } from '../router.js';
import { type CatalogueEntry, catalogue } from './catalogue.js';

function addonInfo(entry: CatalogueEntry, clusterVersion: string | null) {
  const versions = entry.versions.filter((v) => !clusterVersion || v.clusterVersions.includes(clusterVersion));
  return {
    addonName: entry.name,
    type: entry.type,
    addonVersions: versions.map((v) => ({
      addonVersion: v.addonVersion,
      architecture: ['amd64', 'arm64'],
      computeTypes: entry.computeTypes,
      compatibilities: v.clusterVersions
        .filter((c) => !clusterVersion || c === clusterVersion)
        .map((c) => ({ clusterVersion: c, platformVersions: ['*'], defaultVersion: v.defaultFor.includes(c) })),
      requiresConfiguration: false,
      requiresIamPermissions: entry.requiresIamPermissions,
    })),
    publisher: entry.publisher,
    owner: entry.owner,
    defaultNamespace: entry.defaultNamespace,
  };
}

export const describeAddonVersions: Route = async (_ctx, { query }) => {
  const clusterVersion = query.get('kubernetesVersion');
  const name = query.get('addonName');
  const filters: [string, (e: CatalogueEntry) => string][] = [
    ['types', (e) => e.type],
    ['publishers', (e) => e.publisher],
    ['owners', (e) => e.owner],
  ];
  const chosen = catalogue.filter(
    (e) =>
      (!name || e.name === name) &&
      filters.every(([param, field]) => query.getAll(param).length === 0 || query.getAll(param).includes(field(e))),
  );
  const infos = chosen.map((e) => addonInfo(e, clusterVersion)).filter((i) => i.addonVersions.length > 0);
  const page = paginate(
    infos.map((i) => i.addonName),
    query,
  );
  return {
    addons: infos.filter((i) => page.names.includes(i.addonName)),
    ...(page.nextToken ? { nextToken: page.nextToken } : {}),
  };
};
