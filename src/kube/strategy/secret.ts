// The Secret strategy: `stringData` is a write-only convenience merged into `data` (base64, its keys winning) and
// never stored, and `type` defaults to Opaque, as kube-apiserver's Secret registry and defaulting do.
import type { KubeObject } from '../api/types.js';
import type { Strategy } from './types.js';

function mergeStringData(secret: KubeObject): void {
  secret.type ??= 'Opaque';
  const stringData = secret.stringData;
  if (stringData === undefined) return;
  delete secret.stringData;
  if (!stringData || typeof stringData !== 'object') return;
  secret.data = { ...secret.data };
  for (const [key, value] of Object.entries(stringData)) {
    secret.data[key] = Buffer.from(String(value ?? ''), 'utf8').toString('base64');
  }
}

export const secretStrategy: Strategy = {
  tracksGeneration: false,
  prepareForCreate: mergeStringData,
  prepareForUpdate: (secret) => mergeStringData(secret),
};
