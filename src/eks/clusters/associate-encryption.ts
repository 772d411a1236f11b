// AssociateEncryptionConfig: POST /clusters/{name}/encryption-config/associate. Secrets encryption with a KMS key,
// once per cluster (EKS cannot change or remove it), recorded as an AssociateEncryptionConfig update whose
// completion turns the encryption on through SecretsEncryption (encryption.ts) and records `encryptionConfig`.
import { requireCluster } from '../context.js';
import { EksError, invalidParameter } from '../errors.js';
import type { Route } from '../router.js';
import { readEncryptionConfig } from './cluster-config.js';
import { encryptionUnavailable } from './encryption.js';

export const associateEncryptionConfig: Route = async (ctx, { params, body }) => {
  const name = params.name;
  const cluster = await requireCluster(ctx, name);
  const members = { clusterName: name };
  const encryptionConfig = readEncryptionConfig(body.encryptionConfig, name);
  if (!encryptionConfig) throw invalidParameter('encryptionConfig is required.', members);
  if (cluster.encryptionConfig?.length) {
    throw invalidParameter('Encryption is already enabled on the cluster', members);
  }
  if (cluster.status !== 'ACTIVE') {
    throw new EksError('InvalidRequestException', `Cluster '${name}' is not in ACTIVE status`, members);
  }
  if (!ctx.secretsEncryption) throw new EksError('InvalidRequestException', encryptionUnavailable, members);
  const update = await ctx.clusterUpdates.begin(
    name,
    'AssociateEncryptionConfig',
    [{ type: 'EncryptionConfig', value: JSON.stringify(encryptionConfig) }],
    { encryptionConfig },
  );
  return { update };
};
