// Value formats the HPA reads and writes: resource quantities in thousandths (MilliValue, rounded up) and back in
// their canonical decimal form ("250m", "64M", "67108864"), and Go durations ("15s", "1m0s") of PodMetrics windows.
import { quantityMilliValue } from '../../fargate/quantity.js';

export function milliValue(quantity: string | number): number {
  return quantityMilliValue(quantity);
}

const suffixes: Record<number, string> = { [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };

/** A quantity of `milli` thousandths as resource.NewMilliQuantity(milli, DecimalSI).String() writes it. */
export function formatMilli(milli: number): string {
  let mantissa = Math.round(milli);
  if (mantissa === 0) return '0';
  let exponent = -3;
  while (mantissa % 1000 === 0 && exponent < 18) {
    mantissa /= 1000;
    exponent += 3;
  }
  return `${mantissa}${suffixes[exponent]}`;
}

const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a Go duration string; 0 when it cannot be read. */
export function durationMs(text: string | undefined): number {
  if (!text) return 0;
  let total = 0;
  let end = 0;
  for (const match of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) {
    if (match.index !== end) return 0;
    total += Number(match[1]) * units[match[2]];
    end = match.index + match[0].length;
  }
  return end === text.length ? total : 0;
}
