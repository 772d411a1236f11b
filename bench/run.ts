// `npm run bench`: runs every bench/*.bench.ts (or those named on the command line), each in a process of its own
// (a fresh heap and event loop, so one suite's memory and leftover timers never count against the next), prints
// each result and writes them all to bench/results/latest.json (and a dated copy) so that numbers can be compared
// across commits. `run.ts --one FILE --out JSON` is how one suite is run in its process; it gets the runner's node
// flags, which package.json's `bench` script sets as bin/skiff runs Skiff (a 32 MiB young generation).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const dir = new URL('.', import.meta.url).pathname;
const args = process.argv.slice(2);

async function runOne(file: string, out: string): Promise<void> {
  const mod = await import(pathToFileURL(join(dir, file)).href);
  const results: BenchResult[] = await mod.default();
  writeFileSync(out, JSON.stringify(results));
  // A suite that leaves a handle open must not hold the run.
  process.exit(0);
}

/** Runs one suite in a child process of this runner; its results, or a note of how it failed. */
function runInChild(file: string, scratch: string): BenchResult[] {
  const out = join(scratch, `${file}.json`);
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--one', file, '--out', out],
    {
      stdio: 'inherit',
    },
  );
  try {
    return JSON.parse(readFileSync(out, 'utf8')) as BenchResult[];
  } catch {
    const how = child.signal ? `signal ${child.signal}` : `exit code ${child.status}`;
    return [
      { name: 'suite failed', value: Number.NaN, unit: '', note: `${file} ended with ${how} before its results` },
    ];
  }
}

if (args[0] === '--one') {
  await runOne(args[1], args[3]);
} else {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => args.length === 0 || args.some((w) => f.includes(w)))
    .sort();
  const scratch = mkdtempSync(join(tmpdir(), 'skiff-bench-'));
  const all: Record<string, BenchResult[]> = {};
  for (const file of files) {
    const suite = file.replace(/\.bench\.ts$/, '');
    console.log(`== ${suite}`);
    const results = runInChild(file, scratch);
    for (const r of results) console.log(`  ${r.name}: ${r.value} ${r.unit}${r.note ? ` (${r.note})` : ''}`);
    all[suite] = results;
  }
  rmSync(scratch, { recursive: true, force: true });
  const out = join(dir, 'results');
  mkdirSync(out, { recursive: true });
  const report = JSON.stringify({ date: new Date().toISOString(), node: process.version, results: all }, null, 2);
  writeFileSync(join(out, 'latest.json'), `${report}\n`);
  writeFileSync(join(out, `${new Date().toISOString().slice(0, 10)}.json`), `${report}\n`);
  console.log(`wrote ${join(out, 'latest.json')}`);
}
