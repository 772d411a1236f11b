// π to any number of significant digits, rounded as Perl's Math::BigFloat bpi(N) prints it (the Job example's
// `perl -Mbignum=bpi -wle 'print bpi(2000)'`): Machin's formula over BigInt with guard digits.
const cache = new Map<number, string>();

/** arctan(1/x) scaled by `unit`, by its Taylor series. */
function arctanInverse(x: bigint, unit: bigint): bigint {
  const x2 = x * x;
  let term = unit / x;
  let sum = term;
  for (let n = 3n, sign = -1n; term !== 0n; n += 2n, sign = -sign) {
    term /= x2;
    sum += (sign * term) / n;
  }
  return sum;
}

/** "3.14159…" with `digits` significant digits (at least 1). */
export function piDigits(digits: number): string {
  const n = Math.max(1, Math.floor(digits));
  const known = cache.get(n);
  if (known) return known;
  const guard = 12;
  const unit = 10n ** BigInt(n - 1 + guard);
  const pi = 16n * arctanInverse(5n, unit) - 4n * arctanInverse(239n, unit);
  const scale = 10n ** BigInt(guard);
  const rounded = (pi + scale / 2n) / scale;
  const text = rounded.toString();
  const result = n === 1 ? text : `${text[0]}.${text.slice(1)}`;
  cache.set(n, result);
  return result;
}
