// DescribeClusterVersions: GET /cluster-versions → the Kubernetes version this Skiff runs, as the default one
// (eksctl needs at least one version that is not UNSUPPORTED).

import { paginate } from '../paging.js';
import type { ClusterRecord } from '../records.js';
import { keys } from '../records.js';
import type { Route } from '../router.js';

export const describeClusterVersions: Route = async (ctx, { query }) => {
  const { items } = await ctx.store.list(keys.clusters());
  const versions = [...new Set(items.map((kv) => (JSON.parse(kv.value) as ClusterRecord).version))].sort().reverse();
  const wanted = query.getAll('clusterVersions');
  const selected = wanted.length > 0 ? versions.filter((v) => wanted.includes(v)) : versions;
  // Pages run newest first: paged by position (zero-padded, so paginate's sorted tokens follow that order).
  const page = paginate(
    selected.map((_, i) => String(i).padStart(6, '0')),
    query,
  );
  return {
    ...(page.nextToken ? { nextToken: page.nextToken } : {}),
    clusterVersions: page.names
      .map((n) => selected[Number(n)])
      .map((version) => ({
        clusterVersion: version,
        clusterType: 'eks',
        defaultPlatformVersion: 'eks.1',
        defaultVersion: version === versions[0],
        status: 'standard-support',
        versionStatus: 'STANDARD_SUPPORT',
      })),
  };
};
