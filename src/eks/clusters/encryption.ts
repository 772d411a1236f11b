// AssociateEncryptionConfig's effect: Secrets encrypted at rest with the given KMS key. The EKS API only records
// the config; the work is done through this interface by whoever holds the cluster's kube store (src/cli wires an
// implementation on the Secrets encryption of src/kube). Without one, the update fails and says why.
import type { EncryptionConfig } from '../records.js';
import type { UpdateWork } from './updates-store.js';

export interface SecretsEncryption {
  /** From now on the cluster's Secrets are stored encrypted under `config.provider.keyArn` (existing ones too). */
  enable(clusterName: string, config: EncryptionConfig): Promise<void>;
}

export const encryptionUnavailable = 'Secrets encryption at rest is not available on this Skiff server.';

export function encryptionWork(encryption: SecretsEncryption | undefined): UpdateWork {
  return async (stored) => {
    const [config] = stored.change.encryptionConfig ?? [];
    if (!encryption) throw new Error(encryptionUnavailable);
    if (config) await encryption.enable(stored.clusterName, config);
  };
}
