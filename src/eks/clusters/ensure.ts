// Makes sure this server's cluster and its VPC are in the store: created on the first start, found (same ids)
// on every later one, with the kube endpoint and CA refreshed if they changed. It is the built-in cluster (`builtIn`):
// the one `skiff up --name` runs, which keeps the version UpdateClusterVersion gave it.
import { randomUUID } from 'node:crypto';
import { clusterArn } from '../../fargate/arn.js';
import type { Backend } from '../../store/types.js';
import { readJson } from '../context.js';
import { type ClusterRecord, keys } from '../records.js';
import { defaultVpcLayout } from '../vpc.js';

export interface ClusterSpec {
  region: string;
  accountId: string;
  clusterName: string;
  kubernetesVersion: string;
  kubeEndpoint: string;
  caCertPem: string;
  serviceIpv4Cidr: string;
}

export async function ensureCluster(store: Backend, spec: ClusterSpec, now: number): Promise<ClusterRecord> {
  const caData = Buffer.from(spec.caCertPem).toString('base64');
  const found = await readJson<ClusterRecord>(store, keys.cluster(spec.clusterName));
  if (found) {
    const cluster = found.value;
    if (cluster.endpoint === spec.kubeEndpoint && cluster.certificateAuthorityData === caData && cluster.builtIn) {
      return cluster;
    }
    const refreshed = { ...cluster, endpoint: spec.kubeEndpoint, certificateAuthorityData: caData, builtIn: true };
    await store.update(keys.cluster(spec.clusterName), JSON.stringify(refreshed), found.modRevision);
    return refreshed;
  }
  const vpc = defaultVpcLayout(spec.region, spec.clusterName);
  await store.create(keys.vpc(vpc.vpcId), JSON.stringify(vpc));
  const cluster: ClusterRecord = {
    name: spec.clusterName,
    arn: clusterArn(spec.region, spec.accountId, spec.clusterName),
    id: randomUUID().replace(/-/g, '').toUpperCase(),
    createdAt: now / 1000,
    version: spec.kubernetesVersion,
    platformVersion: 'eks.1',
    endpoint: spec.kubeEndpoint,
    certificateAuthorityData: caData,
    roleArn: `arn:aws:iam::${spec.accountId}:role/skiff-${spec.clusterName}-ClusterRole`,
    vpcId: vpc.vpcId,
    serviceIpv4Cidr: spec.serviceIpv4Cidr,
    status: 'ACTIVE',
    tags: {},
    builtIn: true,
  };
  await store.create(keys.cluster(spec.clusterName), JSON.stringify(cluster));
  return cluster;
}
