// kube-apiserver's EncryptionConfiguration file (apiVersion apiserver.config.k8s.io/v1): which resources are
// encrypted and by which providers, in order — the first provider (its first key) encrypts every write, and every
// provider reads what carries its prefix; `identity` reads values stored in the clear. Resources are named as the
// API server names them: `secrets`, `deployments.apps`, `*.apps`, `*.` (the core group), `*.*` (everything).
// Refused as kube-apiserver refuses it: a file it cannot parse, providers Skiff does not implement (secretbox,
// kms), keys that are not base64 of 16, 24 or 32 bytes, and the same resource listed twice.
import { randomBytes } from 'node:crypto';
import { parse, stringify } from 'yaml';
import { aesTransformer, identity, type Transformer } from './providers.js';

export const encryptionApiVersion = 'apiserver.config.k8s.io/v1';

interface KeyEntry {
  name: string;
  secret: string;
}

interface ProviderEntry {
  aescbc?: { keys: KeyEntry[] };
  aesgcm?: { keys: KeyEntry[] };
  identity?: Record<string, never>;
  [other: string]: unknown;
}

export interface EncryptionConfiguration {
  apiVersion: string;
  kind: 'EncryptionConfiguration';
  resources: { resources: string[]; providers: ProviderEntry[] }[];
}

/** One rule: the resources it covers, and its providers' transformers in order (the first writes). */
export interface EncryptionRule {
  resources: string[];
  transformers: Transformer[];
}

function fail(message: string): never {
  throw new Error(`error while parsing encryption provider configuration: ${message}`);
}

function transformersOf(entry: ProviderEntry, path: string): Transformer[] {
  const names = Object.keys(entry ?? {});
  if (names.length !== 1) fail(`${path}: exactly one provider must be specified in each provider entry`);
  const [name] = names;
  if (name === 'identity') return [identity];
  if (name !== 'aescbc' && name !== 'aesgcm')
    fail(`${path}.${name}: the ${name} provider is not supported by Skiff (aescbc, aesgcm and identity are)`);
  const keys = entry[name]?.keys;
  if (!Array.isArray(keys) || keys.length === 0) fail(`${path}.${name}.keys: Required value: keys is required`);
  return keys.map((key, i) => {
    if (!key?.name) fail(`${path}.${name}.keys[${i}].name: Required value`);
    if (/:/.test(key.name))
      fail(`${path}.${name}.keys[${i}].name: Invalid value: "${key.name}": should not contain ':'`);
    const secret = Buffer.from(String(key.secret ?? ''), 'base64');
    if (![16, 24, 32].includes(secret.length))
      fail(
        `${path}.${name}.keys[${i}].secret: Invalid value: "REDACTED": secret is not of the expected length, got ${secret.length}, expected one of [16 24 32]`,
      );
    return aesTransformer(name, key.name, secret);
  });
}

export function parseEncryptionConfiguration(text: string): EncryptionRule[] {
  let config: EncryptionConfiguration;
  try {
    config = parse(text) as EncryptionConfiguration;
  } catch (error) {
    fail((error as Error).message);
  }
  if (config?.kind !== 'EncryptionConfiguration' || config.apiVersion !== encryptionApiVersion)
    fail(`got unexpected config type: ${config?.apiVersion}, Kind=${config?.kind}`);
  const seen = new Set<string>();
  return (config.resources ?? []).map((rule, r) => {
    if (!rule.resources?.length) fail(`resources[${r}].resources: Required value: resources is required`);
    for (const resource of rule.resources) {
      if (seen.has(resource)) fail(`resources[${r}].resources: Duplicate value: "${resource}"`);
      seen.add(resource);
    }
    if (!rule.providers?.length) fail(`resources[${r}].providers: Required value: providers is required`);
    return {
      resources: rule.resources,
      transformers: rule.providers.flatMap((p, i) => transformersOf(p, `resources[${r}].providers[${i}]`)),
    };
  });
}

/** Whether `resource` of `group` (core: '') is covered by a name of the configuration. */
export function covers(names: string[], group: string, resource: string): boolean {
  return names.some((name) => {
    const [r, ...g] = name.split('.');
    const g2 = g.join('.');
    if (r === '*') return g2 === '*' || g2 === group;
    return r === resource && g2 === group;
  });
}

/** A configuration with one new aescbc key for `resources`, reading what is stored in the clear. */
export function newEncryptionConfiguration(resources: string[], keyName = 'key1'): EncryptionConfiguration {
  return {
    apiVersion: encryptionApiVersion,
    kind: 'EncryptionConfiguration',
    resources: [{ resources, providers: [aescbcProvider(keyName), { identity: {} }] }],
  };
}

export function aescbcProvider(keyName: string): ProviderEntry {
  return { aescbc: { keys: [{ name: keyName, secret: randomBytes(32).toString('base64') }] } };
}

export function formatEncryptionConfiguration(config: EncryptionConfiguration): string {
  return stringify(config);
}
