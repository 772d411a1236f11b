// DescribeClusterVersions: GET /cluster-versions → the Kubernetes version this Skiff runs, as the default one
// (eksctl needs at least one version that is not UNSUPPORTED).
import type { ClusterRecord } from '../records.js';
import { keys } from '../records.js';
import type { Route } from '../router.js';

export const describeClusterVersions: Route = async (ctx, { query }) => {
  const { items } = await ctx.store.list(keys.clusters());
  const versions = [...new Set(items.map((kv) => (JSON.parse(kv.value) as ClusterRecord).version))].sort().reverse();
  const wanted = query.getAll('clusterVersions');
  const selected = wanted.length > 0 ? versions.filter((v) => wanted.includes(v)) : versions;
  return {
    clusterVersions: selected.map((version, i) => ({
      clusterVersion: version,
      clusterType: 'eks',
      defaultPlatformVersion: 'eks.1',
      defaultVersion: i === 0,
      status: 'standard-support',
      versionStatus: 'STANDARD_SUPPORT',
    })),
  };
};
