// kube-apiserver's encryption-at-rest providers as value transformers: `aescbc` (AES-CBC, PKCS#7 padding, a random
// 16-byte IV before the ciphertext), `aesgcm` (AES-GCM, a random 12-byte nonce before the ciphertext and its tag,
// the storage key as additional authenticated data) and `identity` (the value as it is). An encrypted value is
// `k8s:enc:<provider>:v1:<key name>:` followed by those bytes — base64 here, as Skiff's store keeps text.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export type ProviderName = 'aescbc' | 'aesgcm' | 'identity';

export interface Transformer {
  /** `k8s:enc:aescbc:v1:key1:`; empty for identity. */
  prefix: string;
  encrypt(plain: string, storageKey: string): string;
  /** `sealed` without its prefix. */
  decrypt(sealed: string, storageKey: string): string;
}

export const identity: Transformer = {
  prefix: '',
  encrypt: (plain) => plain,
  decrypt: (sealed) => sealed,
};

const algorithm = (provider: 'aescbc' | 'aesgcm', key: Buffer) =>
  `aes-${key.length * 8}-${provider === 'aescbc' ? 'cbc' : 'gcm'}` as const;

/** A transformer for one named key of an AES provider. */
export function aesTransformer(provider: 'aescbc' | 'aesgcm', name: string, key: Buffer): Transformer {
  const prefix = `k8s:enc:${provider}:v1:${name}:`;
  const cipher = algorithm(provider, key);
  if (provider === 'aescbc') {
    return {
      prefix,
      encrypt(plain) {
        const iv = randomBytes(16);
        const c = createCipheriv(cipher, key, iv);
        return prefix + Buffer.concat([iv, c.update(plain, 'utf8'), c.final()]).toString('base64');
      },
      decrypt(sealed) {
        const data = Buffer.from(sealed, 'base64');
        if (data.length < 16) throw new Error('the stored data was shorter than the required size');
        if ((data.length - 16) % 16 !== 0) throw new Error('the stored data is not a multiple of the block size');
        const d = createDecipheriv(cipher, key, data.subarray(0, 16));
        try {
          return Buffer.concat([d.update(data.subarray(16)), d.final()]).toString('utf8');
        } catch {
          throw new Error('invalid padding on input');
        }
      },
    };
  }
  return {
    prefix,
    encrypt(plain, storageKey) {
      const nonce = randomBytes(12);
      const c = createCipheriv(cipher as 'aes-256-gcm', key, nonce);
      c.setAAD(Buffer.from(storageKey));
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return prefix + Buffer.concat([nonce, body, c.getAuthTag()]).toString('base64');
    },
    decrypt(sealed, storageKey) {
      const data = Buffer.from(sealed, 'base64');
      if (data.length < 12 + 16) throw new Error('the stored data was shorter than the required size');
      const d = createDecipheriv(cipher as 'aes-256-gcm', key, data.subarray(0, 12));
      d.setAAD(Buffer.from(storageKey));
      d.setAuthTag(data.subarray(data.length - 16));
      try {
        return Buffer.concat([d.update(data.subarray(12, data.length - 16)), d.final()]).toString('utf8');
      } catch {
        throw new Error('cipher: message authentication failed');
      }
    },
  };
}
