// Encryption at rest for the kube API, in kube-apiserver's manner: an EncryptionConfiguration file names the
// resources and providers (`skiff up --encryption-provider-config FILE`, else `D/pki/encryption-config.yaml`, made at
// the first start with a new aescbc key for Secrets, 0600). At each start the file is read and every value not
// written by its first provider is rewritten, so a rotation (a new key put first, the old one kept to read) is done
// once Skiff has started, and values stored in the clear before are encrypted. `enableEncryptionAtRest` is what an
// EKS cluster's `encryptionConfig` (CreateCluster, AssociateEncryptionConfig) calls.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import type { Backend } from '../../store/types.js';
import {
  aescbcProvider,
  type EncryptionConfiguration,
  formatEncryptionConfiguration,
  newEncryptionConfiguration,
  parseEncryptionConfiguration,
} from './config.js';
import { EncryptedStore } from './store.js';

export { parseEncryptionConfiguration } from './config.js';
export { EncryptedStore } from './store.js';

export const defaultEncryptionConfigName = 'encryption-config.yaml';

export interface EncryptionAtRest {
  /** The store to give the kube API. */
  store: EncryptedStore;
  /** The configuration file in use. */
  file: string;
  /** Values rewritten at start (stored in the clear, or under a key that is no longer first). */
  rewritten: number;
}

function writePrivate(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/**
 * Reads the configuration (`file`, else the default one in `pkiDir`, made when missing), wraps `raw` with it and
 * brings every covered value under the first provider. A file that is wrong stops the start with its error.
 */
export async function openEncryptionAtRest(
  raw: Backend,
  options: { pkiDir: string; file?: string },
): Promise<EncryptionAtRest> {
  const file = options.file ?? join(options.pkiDir, defaultEncryptionConfigName);
  if (!options.file && !existsSync(file))
    writePrivate(file, formatEncryptionConfiguration(newEncryptionConfiguration(['secrets'])));
  const store = new EncryptedStore(raw);
  store.configure(parseEncryptionConfiguration(readFileSync(file, 'utf8')));
  const rewritten = await store.reencrypt();
  return { store, file, rewritten };
}

/**
 * Turns encryption on for `resources` (kube names: `secrets`) in a running API: a rule with a new aescbc key is added
 * to the configuration file for those not yet covered by an encrypting provider, applied at once, and their stored
 * values are rewritten encrypted. Returns the resources it turned it on for.
 */
export async function enableEncryptionAtRest(atRest: EncryptionAtRest, resources: string[]): Promise<string[]> {
  const config = parse(readFileSync(atRest.file, 'utf8')) as EncryptionConfiguration;
  const encrypting = (rule: EncryptionConfiguration['resources'][number]) => !('identity' in (rule.providers[0] ?? {}));
  const missing = resources.filter(
    (resource) => !config.resources.some((rule) => rule.resources.includes(resource) && encrypting(rule)),
  );
  if (missing.length === 0) return [];
  for (const rule of config.resources) rule.resources = rule.resources.filter((r) => !missing.includes(r));
  config.resources = config.resources.filter((rule) => rule.resources.length > 0);
  const keyName = `key${Date.now()}`;
  config.resources.unshift({ resources: missing, providers: [aescbcProvider(keyName), { identity: {} }] });
  const text = formatEncryptionConfiguration(config);
  const rules = parseEncryptionConfiguration(text);
  writePrivate(atRest.file, text);
  atRest.store.configure(rules);
  atRest.rewritten += await atRest.store.reencrypt();
  return missing;
}
