// Seeded, bounded fuzzing for Skiff's APIs: a reproducible random source, the odd JSON values and path segments
// that broke the servers before (issue 15), and a mutation that puts one of them at a random place in an object.
// The kube and EKS fuzz tests build their requests from these.

/** mulberry32: a small, fast, seedable PRNG; the same seed gives the same run. */
export class Random {
  private state: number;
  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** The seed a fuzz run uses: SKIFF_FUZZ_SEED when set (to replay a failure), else a fixed one for CI. */
export function fuzzSeed(fallback: number): number {
  const given = Number(process.env.SKIFF_FUZZ_SEED);
  return Number.isInteger(given) ? given : fallback;
}

/** JSON values of every type and edge, the ones a typed decoder must refuse or accept without crashing. */
export const oddValues: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e300,
  -1e300,
  2 ** 31,
  2 ** 53,
  '',
  'x',
  '%zz',
  '..',
  '../../etc/passwd',
  '1e+300',
  'a'.repeat(300),
  [],
  ['a'],
  [1, 2],
  [{}],
  {},
  { a: 1 },
  { a: 'b' },
  { '': '' },
];

/** Path segments that must never reach another resource: dot segments, encoded slashes, bad escapes, odd names. */
export const oddSegments: readonly string[] = [
  '.',
  '..',
  '%2e',
  '%2e%2e',
  '%2E%2e',
  'a%2fb',
  'a%2Fb',
  '%zz',
  '%',
  '%00',
  'a%00b',
  '%c0%ae',
  'UPPER',
  '-lead',
  'x'.repeat(300),
  '%20',
  '~',
];

/** Every path (as keys and indices) to a value inside `value`, the root included as []. */
function pathsOf(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(prefix);
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) pathsOf(item, [...prefix, i], out);
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) pathsOf(item, [...prefix, key], out);
  }
  return out;
}

/** A copy of `object` with one value (or a new member of an object) replaced by an odd value. */
export function mutate<T>(random: Random, object: T): T {
  const copy = structuredClone(object) as any;
  const paths = pathsOf(copy).filter((path) => path.length > 0);
  if (paths.length === 0) return copy;
  const path = random.pick(paths);
  let parent = copy;
  for (const step of path.slice(0, -1)) parent = parent[step];
  const last = path[path.length - 1];
  const value = random.pick(oddValues);
  if (random.chance(0.2) && parent && typeof parent === 'object' && !Array.isArray(parent)) {
    parent[`${String(last)}Extra`] = value;
  } else {
    parent[last] = structuredClone(value);
  }
  return copy;
}
