// The billing formula (reference §5), once: per second, rounded up, with a one-minute minimum, of the
// `CapacityProvisioned` vCPU and GB, plus ephemeral storage above the included 20 GB; EC2 node-group instances per
// second with the same minimum (Linux on-demand). What is metered when, decided where the reference is unclear:
// - Start: the kubelet's first `Pulling` event for the pod (image download begins); a pod with no such event (its
//   images were never pulled, e.g. a cache hit outside Fargate) starts at its status.startTime.
// - Stop: when the pod object is deleted (its Fargate node goes with it). A pod whose containers have all
//   terminated (a Completed or Failed Job pod) keeps its Fargate node until it is deleted, and the UG warns "with
//   Fargate you will incur costs if you don't clean up the Job afterwards": Skiff keeps metering it, and records
//   when it finished so the cost after completion can be shown apart (`afterFinishSeconds`).
// - Ephemeral storage: the provisioned amount (the request plus Fargate's 15 GiB, at least 20 GiB) above 20 GB.
// - A pod metered across a time range is charged for the part of its billed interval — [start, start + billed
//   seconds] — inside the range, so the one-minute minimum falls at the pod's start and is never charged twice.

import { type FargateRates, includedStorageGB, NoPriceError } from './prices.js';

export const minimumBilledSeconds = 60;

export interface BilledSize {
  vcpu: number;
  memoryGB: number;
  /** Provisioned ephemeral storage in GB. */
  storageGB: number;
}

/** Seconds billed for a run from `startMs` to `stopMs`: rounded up to the second, at least one minute. */
export function billedSeconds(startMs: number, stopMs: number): number {
  return Math.max(minimumBilledSeconds, Math.ceil(Math.max(0, stopMs - startMs) / 1000));
}

export interface HourlyRate {
  vcpu: number;
  memory: number;
  storage: number;
  total: number;
}

/** USD per hour of a pod of this size, split by what is charged. */
export function fargateHourlyRate(size: BilledSize, rates: FargateRates): HourlyRate {
  const extraStorage = Math.max(0, size.storageGB - includedStorageGB);
  if (extraStorage > 0 && rates.storageGbHour === undefined) {
    throw new NoPriceError(
      `no price is known for Fargate ephemeral storage above ${includedStorageGB} GB in this region (${extraStorage} GB asked)`,
    );
  }
  const vcpu = size.vcpu * rates.vcpuHour;
  const memory = size.memoryGB * rates.gbHour;
  const storage = extraStorage * (rates.storageGbHour ?? 0);
  return { vcpu, memory, storage, total: vcpu + memory + storage };
}

export interface Window {
  fromMs?: number;
  toMs?: number;
}

/** Of the billed interval of a run, the seconds inside the window (the whole billed time without one). */
export function billedSecondsInWindow(startMs: number, stopMs: number, window: Window = {}): number {
  const billedEnd = startMs + billedSeconds(startMs, stopMs) * 1000;
  const from = Math.max(startMs, window.fromMs ?? startMs);
  const to = Math.min(billedEnd, window.toMs ?? billedEnd);
  return Math.max(0, (to - from) / 1000);
}

/** USD for `seconds` at an hourly rate. */
export function costOf(seconds: number, hourly: number): number {
  return (seconds / 3600) * hourly;
}

/** The formula of reference §5 for one pod that ran `seconds`. */
export function fargatePodCost(size: BilledSize, seconds: number, rates: FargateRates): number {
  return costOf(billedSeconds(0, seconds * 1000), fargateHourlyRate(size, rates).total);
}

export const hoursPerMonth = 730;

/** Dollars to the cent for printing ($0.01 and up), else to five places ($0.01234). */
export function formatUsd(amount: number): string {
  if (amount !== 0 && Math.abs(amount) < 1) return `$${amount.toFixed(5)}`;
  return `$${amount.toFixed(2)}`;
}
