// Go's time.ParseDuration for the flags kube components take as durations ("40s", "1m30s", "500ms"), refused with
// pflag's text when unreadable.
import { CliError } from './errors.js';

const unitMs: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseDurationFlag(value: string, flag: string): number {
  const refuse = (why: string) =>
    new CliError(`invalid argument "${value}" for "${flag}" flag: time: ${why} duration "${value}"`);
  const invalid = () => refuse('invalid');
  if (value === '0') return 0;
  if (/^(\d+(\.\d*)?|\.\d+)$/.test(value)) throw refuse('missing unit in');
  const parts = [...value.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value) throw invalid();
  return parts.reduce((ms, [, amount, unit]) => ms + Number(amount) * unitMs[unit!]!, 0);
}
