// The Secret strategy: `stringData` is a write-only convenience merged into `data` (base64, its keys winning) and
// never stored, `type` defaults to Opaque, and a service-account-token Secret must name its ServiceAccount, as
// kube-apiserver's Secret registry, defaulting and validation do.
import type { FieldCause } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import { secretDataSize } from './data-size.js';
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
  validate(secret) {
    const causes: FieldCause[] = [];
    const nameAnnotation = 'kubernetes.io/service-account.name';
    if (secret.type === 'kubernetes.io/service-account-token' && !secret.metadata.annotations?.[nameAnnotation]) {
      causes.push({
        field: `metadata.annotations[${nameAnnotation}]`,
        reason: 'FieldValueRequired',
        message: 'Required value',
      });
    }
    return [...causes, ...secretDataSize(secret)];
  },
};
