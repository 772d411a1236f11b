// `skiff create|get|delete <noun>`: the verb commands are shared by several modules, so each one finds the verb
// (or makes it) before adding its noun.
import type { Command } from 'commander';
import { CliError } from '../errors.js';

const summaries: Record<string, string> = {
  create: 'Create resource(s)',
  get: 'Get resource(s)',
  delete: 'Delete resource(s)',
};

export function verb(program: Command, name: 'create' | 'get' | 'delete'): Command {
  const found = program.commands.find((c) => c.name() === name);
  return found ?? program.command(name).description(summaries[name]);
}

/** The name given as `--name` or as the positional argument, never both (eksctl's rule). */
export function nameFromFlagOrArg(flag: string | undefined, arg: string | undefined): string | undefined {
  if (flag && arg) throw new CliError(`--name=${flag} and argument ${arg} cannot be used at the same time`);
  return flag ?? arg;
}

/** `k1=v1,k2=v2` → a map. */
export function parseKeyValues(text: string | undefined, what: string): Record<string, string> | undefined {
  if (!text) return undefined;
  const out: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CliError(`invalid ${what} "${pair}": expected key=value pairs separated by commas`);
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}

/** eksctl's durations: 25m0s, 90s, 1h. */
export function parseDuration(text: string): number {
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s)/g;
  let total = 0;
  let consumed = 0;
  for (const m of text.matchAll(re)) {
    total += Number(m[1]) * { h: 3_600_000, m: 60_000, s: 1000, ms: 1 }[m[2] as 'h' | 'm' | 's' | 'ms'];
    consumed += m[0].length;
  }
  if (consumed !== text.length || consumed === 0)
    throw new CliError(`invalid duration "${text}" (examples: 25m0s, 90s)`);
  return total;
}
