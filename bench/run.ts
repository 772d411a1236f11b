// `npm run bench`: runs every bench/*.bench.ts (or those named on the command line), prints each result and
// writes them all to bench/results/latest.json (and a dated copy) so that numbers can be compared across commits.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const dir = new URL('.', import.meta.url).pathname;
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();

const all: Record<string, BenchResult[]> = {};
for (const file of files) {
  const suite = file.replace(/\.bench\.ts$/, '');
  console.log(`== ${suite}`);
  const mod = await import(pathToFileURL(join(dir, file)).href);
  const results: BenchResult[] = await mod.default();
  for (const r of results) console.log(`  ${r.name}: ${r.value} ${r.unit}${r.note ? ` (${r.note})` : ''}`);
  all[suite] = results;
}
const out = join(dir, 'results');
mkdirSync(out, { recursive: true });
const report = JSON.stringify({ date: new Date().toISOString(), node: process.version, results: all }, null, 2);
writeFileSync(join(out, 'latest.json'), `${report}\n`);
writeFileSync(join(out, `${new Date().toISOString().slice(0, 10)}.json`), `${report}\n`);
console.log(`wrote ${join(out, 'latest.json')}`);
