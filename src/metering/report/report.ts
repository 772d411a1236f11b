// One cost report: the charges in a range, grouped, with the total and the burn rate, as `skiff cost` prints it
// (a table, JSON, or CUR-style CSV).
import { formatUsd, hoursPerMonth } from '../../fargate/billing.js';
import type { UsageRecord } from '../usage-record.js';
import { burnRate, type Charge, charges, splitPriced, type Unpriced } from './bill.js';
import { curCsv, curRows } from './cur.js';
import { type Group, type GroupBy, groupCharges } from './group.js';

export interface CostReportOptions {
  nowMs: number;
  fromMs?: number;
  toMs?: number;
  by: GroupBy;
}

export interface CostReport {
  from?: string;
  to: string;
  by: GroupBy;
  currency: 'USD';
  total: number;
  burnRatePerHour: number;
  burnRatePerMonth: number;
  groups: Group[];
  charges: Charge[];
  /** Records left out of the bill: no price is known for their region or instance type. */
  unpriced: Unpriced[];
}

const resourceName = (r: UsageRecord) =>
  r.spec.resourceType === 'Node' ? `Node/${r.spec.name}` : `${r.spec.namespace}/${r.spec.name}`;

export function costReport(records: UsageRecord[], options: CostReportOptions): CostReport {
  const to = Math.min(options.toMs ?? options.nowMs, options.nowMs);
  const { priced, unpriced } = splitPriced(records);
  const list = charges(priced, options.nowMs, { fromMs: options.fromMs, toMs: options.toMs });
  const rate = burnRate(priced);
  return {
    ...(options.fromMs !== undefined ? { from: new Date(options.fromMs).toISOString() } : {}),
    to: new Date(to).toISOString(),
    by: options.by,
    currency: 'USD',
    total: list.reduce((sum, c) => sum + c.cost, 0),
    burnRatePerHour: rate,
    burnRatePerMonth: rate * hoursPerMonth,
    groups: groupCharges(list, options.by),
    charges: list,
    unpriced,
  };
}

const pad = (rows: string[][]) => {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('   '))
    .join('\n');
};

export function costTable(report: CostReport): string {
  const header = [report.by.toUpperCase(), 'RESOURCES', 'RUNNING', 'HOURS', 'COST', 'BURN/HOUR'];
  const rows = report.groups.map((g) => [
    g.key,
    String(g.resources),
    String(g.running),
    g.hours.toFixed(3),
    formatUsd(g.cost),
    formatUsd(g.burnRate),
  ]);
  const range = `${report.from ?? 'the first record'} to ${report.to}`;
  return [
    pad([header, ...rows]),
    '',
    `Total ${formatUsd(report.total)} from ${range}`,
    `Burn rate ${formatUsd(report.burnRatePerHour)}/hour (${formatUsd(report.burnRatePerMonth)}/month at ${hoursPerMonth} hours)`,
    ...report.unpriced.map((u) => `Not in the bill: ${resourceName(u.record)}: ${u.reason}`),
  ].join('\n');
}

export function costJson(report: CostReport): string {
  const { charges: list, unpriced, ...rest } = report;
  const items = list.map((c) => ({
    resource: resourceName(c.record),
    uid: c.record.spec.uid,
    type: c.record.spec.resourceType,
    size: c.record.spec.capacityProvisioned ?? c.record.spec.instanceType,
    start: new Date(c.fromMs).toISOString(),
    end: new Date(c.toMs).toISOString(),
    seconds: c.seconds,
    hourlyRate: c.hourly.total,
    cost: c.cost,
    running: c.running,
  }));
  const notPriced = unpriced.map((u) => ({
    resource: resourceName(u.record),
    uid: u.record.spec.uid,
    reason: u.reason,
  }));
  return `${JSON.stringify({ ...rest, items, unpriced: notPriced }, null, 2)}\n`;
}

export function costCsv(report: CostReport, accountId: string): string {
  return curCsv(curRows(report.charges, accountId));
}
