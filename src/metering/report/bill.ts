// The bill from usage records: each record's charge over a time range by the formula of src/fargate/billing.ts (a
// Fargate pod at its CapacityProvisioned size, a node-group node at its instance type's price), the current burn
// rate (what the records still open cost per hour), and the cost accumulated over time for the chart.
import {
  billedSecondsInWindow,
  costOf,
  fargateHourlyRate,
  type HourlyRate,
  type Window,
} from '../../fargate/billing.js';
import { ec2HourlyPrice, fargateRatesFor, NoPriceError } from '../../fargate/prices.js';
import { isOpen, type UsageRecord } from '../usage-record.js';

export interface Charge {
  record: UsageRecord;
  /** The billed part inside the range: from, to (ms) and its length in seconds. */
  fromMs: number;
  toMs: number;
  seconds: number;
  hourly: HourlyRate;
  cost: number;
  running: boolean;
}

export function hourlyRateOf(record: UsageRecord): HourlyRate {
  const { spec } = record;
  if (spec.resourceType === 'Node') {
    const total = ec2HourlyPrice(spec.region, {
      name: spec.instanceType ?? '',
      vcpu: spec.vcpu,
      memoryGiB: spec.memoryGB,
    });
    return { vcpu: 0, memory: 0, storage: 0, total };
  }
  return fargateHourlyRate(
    { vcpu: spec.vcpu, memoryGB: spec.memoryGB, storageGB: spec.storageGB },
    fargateRatesFor(spec.region),
  );
}

export interface Unpriced {
  record: UsageRecord;
  reason: string;
}

/** The records the price tables can price, and the others with why (a region or instance type without a row). */
export function splitPriced(records: Iterable<UsageRecord>): { priced: UsageRecord[]; unpriced: Unpriced[] } {
  const priced: UsageRecord[] = [];
  const unpriced: Unpriced[] = [];
  for (const record of records) {
    try {
      hourlyRateOf(record);
      priced.push(record);
    } catch (error) {
      if (!(error instanceof NoPriceError)) throw error;
      unpriced.push({ record, reason: error.message });
    }
  }
  return { priced, unpriced };
}

/** When metering of the record ends (now, for one still open). */
export const meteredUntil = (record: UsageRecord, nowMs: number) =>
  isOpen(record) ? Math.max(nowMs, Date.parse(record.spec.start)) : Date.parse(record.spec.stop!);

/**
 * Each record's charge inside the range; records with nothing inside are left out. Without an end to the range a
 * record is charged its whole billed interval, so a pod that ran less than a minute owes the minute at once.
 */
export function charges(records: Iterable<UsageRecord>, nowMs: number, window: Window = {}): Charge[] {
  const out: Charge[] = [];
  for (const record of records) {
    const start = Date.parse(record.spec.start);
    const stop = meteredUntil(record, nowMs);
    const seconds = billedSecondsInWindow(start, stop, window);
    if (seconds <= 0) continue;
    const hourly = hourlyRateOf(record);
    const fromMs = Math.max(start, window.fromMs ?? start);
    out.push({
      record,
      fromMs,
      toMs: fromMs + seconds * 1000,
      seconds,
      hourly,
      cost: costOf(seconds, hourly.total),
      running: isOpen(record),
    });
  }
  return out;
}

/** USD per hour of everything metered now. */
export function burnRate(records: Iterable<UsageRecord>): number {
  let total = 0;
  for (const record of records) if (isOpen(record)) total += hourlyRateOf(record).total;
  return total;
}

/** Cumulative cost at `points` evenly spaced instants from `fromMs` to `toMs`. */
export function costOverTime(records: UsageRecord[], nowMs: number, fromMs: number, toMs: number, points = 60) {
  const step = Math.max(1, (toMs - fromMs) / (points - 1));
  return Array.from({ length: points }, (_, i) => {
    const at = Math.min(toMs, fromMs + i * step);
    const cost = charges(records, Math.min(at, nowMs), { fromMs, toMs: at }).reduce((sum, c) => sum + c.cost, 0);
    return { at, cost };
  });
}
