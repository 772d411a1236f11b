// The 1 MiB limit kube-apiserver puts on a ConfigMap's and a Secret's data (core.MaxSecretSize, 1048576 bytes):
// a ConfigMap counts the bytes of its `data` values and of its decoded `binaryData`, and is refused as a whole
// (`[]: Too long: may not be more than 1048576 bytes`); a Secret counts its decoded `data` and is refused at `data`.
import type { FieldCause } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import type { Strategy } from './types.js';

export const maxDataBytes = 1024 * 1024;

const tooLong = (field: string): FieldCause => ({
  field,
  reason: 'FieldValueTooLong',
  message: `Too long: may not be more than ${maxDataBytes} bytes`,
});

const decodedBytes = (value: unknown) => (typeof value === 'string' ? Buffer.byteLength(value, 'base64') : 0);
const textBytes = (value: unknown) => (typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0);

function total(map: unknown, bytes: (value: unknown) => number): number {
  if (!map || typeof map !== 'object') return 0;
  return Object.values(map).reduce((sum: number, value) => sum + bytes(value), 0);
}

export function secretDataSize(secret: KubeObject): FieldCause[] {
  return total(secret.data, decodedBytes) > maxDataBytes ? [tooLong('data')] : [];
}

export const configMapStrategy: Strategy = {
  validate(cm) {
    const size = total(cm.data, textBytes) + total(cm.binaryData, decodedBytes);
    return size > maxDataBytes ? [tooLong('[]')] : [];
  },
};
