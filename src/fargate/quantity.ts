// Kubernetes resource quantities (`100m`, `1.5Gi`, `2e3`, `512M`) parsed exactly, as rationals, and read as
// whole units (Value) or thousandths (MilliValue) rounded up, the way Kubernetes rounds them.

import { remembered } from './remembered.js';

export class QuantityError extends Error {}

/** value = num / den, den > 0. */
export interface Quantity {
  num: bigint;
  den: bigint;
}

const FORMAT = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

export function parseQuantity(input: string | number): Quantity {
  const text = typeof input === 'number' ? String(input) : input.trim();
  const m = FORMAT.exec(text);
  if (!m) throw new QuantityError(`quantities must match the regular expression '${FORMAT.source}': ${text}`);
  const [, sign, number, suffix = ''] = m;
  const [whole, fraction = ''] = number.split('.');
  let num = BigInt((whole || '0') + fraction) * (sign === '-' ? -1n : 1n);
  let den = 10n ** BigInt(fraction.length);
  let exp10 = 0;
  if (suffix in BINARY) num *= 2n ** BigInt(BINARY[suffix]);
  else if (suffix in DECIMAL) exp10 = DECIMAL[suffix];
  else if (suffix) exp10 = Number(suffix.slice(1));
  if (exp10 >= 0) num *= 10n ** BigInt(exp10);
  else den *= 10n ** BigInt(-exp10);
  return { num, den };
}

const ceilDiv = (a: bigint, b: bigint) => (a >= 0n ? (a + b - 1n) / b : a / b);

/** The quantity in whole units, rounded up (`1.5` → 2, `1Gi` → 1073741824); each text parsed once. */
export const quantityValue = remembered((q: string | number) => {
  const { num, den } = parseQuantity(q);
  return Number(ceilDiv(num, den));
});

/** The quantity in thousandths, rounded up (`100m` → 100, `0.25` → 250, `1u` → 1); each text parsed once. */
export const quantityMilliValue = remembered((q: string | number) => {
  const { num, den } = parseQuantity(q);
  return Number(ceilDiv(num * 1000n, den));
});
