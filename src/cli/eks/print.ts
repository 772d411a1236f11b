// Output of `skiff get`: eksctl's tab-aligned table (Go tabwriter, tab padding), YAML (keys sorted, as eksctl's
// YAML printer gives them) and JSON (struct order).
import YAML from 'yaml';
import { CliError } from '../errors.js';

export type OutputFormat = 'table' | 'yaml' | 'json';

export function outputFormat(value: string): OutputFormat {
  if (value === 'table' || value === 'yaml' || value === 'json') return value;
  throw new CliError(`unknown output printer type: expected {"yaml","json","table"} but got "${value}"`);
}

/** Like Go's tabwriter with minwidth 0, tabwidth 8, padding 1 and '\t' as the pad character. */
export function tabTable(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length + 1);
    });
  }
  const stops = widths.map((w) => Math.ceil(w / 8) * 8);
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell + '\t'.repeat(Math.ceil((stops[i] - cell.length) / 8))))
        .join(''),
    )
    .join('\n')
    .concat('\n');
}

export const kv = (m: Record<string, string> | undefined) =>
  m && Object.keys(m).length > 0
    ? Object.entries(m)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')
    : '<none>';

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function printObjects(objects: unknown[], format: 'yaml' | 'json'): string {
  if (format === 'json') return `${JSON.stringify(objects, null, 4)}\n`;
  return YAML.stringify(sortKeys(objects), { indentSeq: false });
}
