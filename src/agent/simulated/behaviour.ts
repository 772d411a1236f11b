// Loads the simulated runtime's demo behaviour from data/simulated/behaviour.yaml (shipped beside src/ and dist/):
// the banners well-known images print, the commands with a fixed answer, the digits of π. The code here only fills
// in placeholders and rounds; what is printed is the data's.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

export interface Banner {
  defaultVersion: string;
  nofile: { fargate: string; nodegroup: string };
  lines: string[];
}

export interface SimulatedBehaviour {
  /** By image repository (nginx). */
  banners: Record<string, Banner>;
  /** By command line as written (`uname -a`): the line printed, with {hostname}. */
  commands: Record<string, string>;
  /** π to `digits` significant digits, rounded as Perl's bpi(N) prints it; undefined past what the data holds. */
  pi(digits: number): string | undefined;
}

/** data/simulated/behaviour.yaml, from src/agent/simulated/ or dist/agent/simulated/ alike. */
export const behaviourPath = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'data',
  'simulated',
  'behaviour.yaml',
);

function fail(path: string, what: string): never {
  throw new Error(`${path}: ${what}`);
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

function checkBanner(path: string, name: string, value: any): Banner {
  const where = `banners.${name}`;
  if (typeof value?.defaultVersion !== 'string') fail(path, `${where}.defaultVersion must be a string`);
  if (typeof value?.nofile?.fargate !== 'string' || typeof value?.nofile?.nodegroup !== 'string') {
    fail(path, `${where}.nofile must give fargate and nodegroup as strings`);
  }
  if (!isStrings(value?.lines)) fail(path, `${where}.lines must be a list of strings`);
  return { defaultVersion: value.defaultVersion, nofile: value.nofile, lines: value.lines };
}

/** Rounds the significant digits `all` ("31415…") to `n` and puts the point after the first. */
function rounded(all: string, n: number): string | undefined {
  if (n < 1 || n >= all.length) return undefined;
  let kept = BigInt(all.slice(0, n));
  if (all[n]! >= '5') kept += 1n;
  const text = kept.toString();
  return n === 1 ? text : `${text[0]}.${text.slice(1)}`;
}

export function loadSimulatedBehaviour(path = behaviourPath): SimulatedBehaviour {
  const data: any = parseYaml(readFileSync(path, 'utf8'));
  if (!data || typeof data !== 'object') fail(path, 'expected a mapping');
  const known = ['banners', 'commands', 'piDigits'];
  for (const key of Object.keys(data)) if (!known.includes(key)) fail(path, `unknown key "${key}" (known: ${known})`);
  const banners = Object.fromEntries(
    Object.entries(data.banners ?? {}).map(([name, value]) => [name, checkBanner(path, name, value)]),
  );
  const commands: Record<string, string> = {};
  for (const [line, text] of Object.entries(data.commands ?? {})) {
    if (typeof text !== 'string') fail(path, `commands["${line}"] must be a string`);
    commands[line] = text;
  }
  if (typeof data.piDigits !== 'string') fail(path, 'piDigits must name the file of the digits of π');
  const digits = readFileSync(join(dirname(path), data.piDigits), 'utf8').replace(/\s+/g, '');
  if (!/^\d+$/.test(digits)) fail(path, `${data.piDigits} must hold only digits`);
  const cache = new Map<number, string | undefined>();
  const pi = (n: number) => {
    if (!cache.has(n)) cache.set(n, rounded(digits, Math.floor(n)));
    return cache.get(n);
  };
  return { banners, commands, pi };
}

let shipped: SimulatedBehaviour | undefined;

/** The shipped behaviour, read once. */
export function simulatedBehaviour(): SimulatedBehaviour {
  shipped ??= loadSimulatedBehaviour();
  return shipped;
}
