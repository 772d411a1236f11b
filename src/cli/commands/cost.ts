// `skiff cost`: what the cluster's Fargate pods (and node-group nodes) cost so far and burn now, from the usage
// records metering keeps in the cluster; grouped by namespace, profile, workload, label or resource over a time
// range; as a table, JSON or CUR-style CSV, and optionally a PNG chart of cost over time.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { readCredentialsFile } from '../../eks/credentials.js';
import { NoPriceError } from '../../fargate/prices.js';
import { HttpKubeClient } from '../../kube/client/http.js';
import { splitPriced } from '../../metering/report/bill.js';
import { costChartPng } from '../../metering/report/chart.js';
import { parseGroupBy } from '../../metering/report/group.js';
import { costCsv, costJson, costReport, costTable } from '../../metering/report/report.js';
import { type UsageRecord, usageRecordRef } from '../../metering/usage-record.js';
import { dataPaths, defaultDataDir } from '../config.js';
import { parseDuration } from '../eks/verbs.js';
import { CliError } from '../errors.js';

/** `24h`, `90m` (that long before now) or an RFC 3339 time. */
export function parseInstant(text: string, nowMs: number): number {
  if (/^\d+(\.\d+)?(h|m|s|ms)/.test(text)) return nowMs - parseDuration(text);
  const ms = Date.parse(text);
  if (Number.isNaN(ms))
    throw new CliError(`invalid time "${text}": give a duration before now (24h, 90m) or an RFC 3339 time`);
  return ms;
}

function accountIdOf(dataDir: string): string {
  try {
    return readCredentialsFile(readFileSync(dataPaths(dataDir).awsCredentials, 'utf8'))?.accountId || '000000000000';
  } catch {
    return '000000000000';
  }
}

export interface CostOptions {
  dataDir: string;
  kubeconfig?: string;
  context?: string;
  by: string;
  since?: string;
  until?: string;
  output: string;
  chart?: string;
  accountId?: string;
}

export async function runCost(opts: CostOptions, nowMs = Date.now()): Promise<string> {
  let by: ReturnType<typeof parseGroupBy>;
  try {
    by = parseGroupBy(opts.by);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  if (!['table', 'json', 'csv'].includes(opts.output)) {
    throw new CliError(`unknown output format "${opts.output}": expected table, json or csv`);
  }
  const client = HttpKubeClient.fromKubeconfig(opts.kubeconfig ?? dataPaths(opts.dataDir).kubeconfig, opts.context);
  let records: UsageRecord[];
  try {
    records = (await client.list<UsageRecord>(usageRecordRef)).items;
  } catch (error: any) {
    if (error?.code === 404) throw new CliError('this cluster keeps no usage records (is it a Skiff cluster?)');
    throw error;
  } finally {
    client.close();
  }
  const fromMs = opts.since ? parseInstant(opts.since, nowMs) : undefined;
  const toMs = opts.until ? parseInstant(opts.until, nowMs) : undefined;
  try {
    const report = costReport(records, { nowMs, fromMs, toMs, by });
    if (opts.chart) {
      const first = Math.min(...records.map((r) => Date.parse(r.spec.start)), nowMs);
      const png = costChartPng({
        records: splitPriced(records).priced,
        by,
        fromMs: fromMs ?? first,
        toMs: Math.min(toMs ?? nowMs, nowMs),
        nowMs,
        title: `Cost by ${by} (USD, cumulative)`,
      });
      writeFileSync(opts.chart, png);
    }
    if (opts.output === 'json') return costJson(report);
    if (opts.output === 'csv') return costCsv(report, opts.accountId ?? accountIdOf(opts.dataDir));
    return `${costTable(report)}\n`;
  } catch (error) {
    if (error instanceof NoPriceError) throw new CliError(error.message);
    throw error;
  }
}

export function register(program: Command): void {
  program
    .command('cost')
    .description('show what Fargate pods and node-group nodes cost so far and burn now')
    .option('--data-dir <dir>', 'where Skiff keeps its state', defaultDataDir())
    .option('--kubeconfig <file>', "the cluster to ask (default: the data dir's kubeconfig)")
    .option('--context <name>', 'kubeconfig context')
    .option('--by <group>', 'namespace, profile, workload, resource, type or label:<key>', 'namespace')
    .option('--since <time>', 'start of the range: a duration before now (24h) or an RFC 3339 time')
    .option('--until <time>', 'end of the range (default: now)')
    .option('-o, --output <format>', 'table, json or csv (Cost and Usage Report columns)', 'table')
    .option('--chart <file.png>', 'also write a PNG chart of cost over time')
    .option('--account-id <id>', "account in CSV resource IDs (default: the data dir's)")
    .action(async (opts: CostOptions) => {
      process.stdout.write(await runCost(opts));
      if (opts.chart) process.stderr.write(`chart written to ${opts.chart}\n`);
    });
}
