import assert from 'node:assert/strict';
import { test } from 'node:test';
import { billedSeconds, billedSecondsInWindow, fargateHourlyRate, fargatePodCost, formatUsd } from './billing.js';
import { ec2HourlyPrice, fargateRatesFor, NoPriceError } from './prices.js';
import { parseCapacityProvisioned } from './sizing.js';

const usEast1 = fargateRatesFor('us-east-1');
const small = { vcpu: 0.25, memoryGB: 0.5, storageGB: 20 };

test('seed 004: 0.25 vCPU / 0.5 GB in us-east-1 is $0.01234 an hour', () => {
  const rate = fargateHourlyRate(small, usEast1);
  assert.equal(rate.vcpu.toFixed(5), '0.01012');
  assert.equal(rate.memory.toFixed(5), '0.00222');
  assert.equal(formatUsd(rate.total), '$0.01234');
  assert.equal(fargatePodCost(small, 3600, usEast1).toFixed(5), '0.01234');
});

test('per second, rounded up, with a one-minute minimum', () => {
  assert.equal(billedSeconds(0, 0), 60);
  assert.equal(billedSeconds(0, 59_001), 60);
  assert.equal(billedSeconds(0, 60_001), 61);
  assert.equal(billedSeconds(1000, 91_500), 91);
  const size = { vcpu: 2, memoryGB: 4, storageGB: 20 };
  const perHour = 2 * 0.04048 + 4 * 0.004445;
  assert.equal(fargatePodCost(size, 5, usEast1), (60 / 3600) * perHour);
  assert.equal(fargatePodCost(size, 90.2, usEast1), (91 / 3600) * perHour);
});

test('ephemeral storage above 20 GB is charged; a region without its rate refuses', () => {
  const big = { vcpu: 1, memoryGB: 2, storageGB: 115 };
  const rate = fargateHourlyRate(big, usEast1);
  assert.equal(rate.storage, 95 * 0.000111);
  assert.throws(() => fargateHourlyRate(big, fargateRatesFor('ap-northeast-2')), NoPriceError);
  assert.equal(fargateHourlyRate(small, fargateRatesFor('ap-northeast-2')).total, 0.25 * 0.04656 + 0.5 * 0.00511);
  assert.throws(() => fargateRatesFor('mars-north-1'), /no Fargate price is known for region mars-north-1/);
});

test('a window takes the part of the billed interval inside it; the minimum falls at the start', () => {
  assert.equal(billedSecondsInWindow(0, 10_000), 60);
  assert.equal(billedSecondsInWindow(0, 10_000, { fromMs: 30_000 }), 30);
  assert.equal(billedSecondsInWindow(0, 600_000, { fromMs: 60_000, toMs: 120_000 }), 60);
  assert.equal(billedSecondsInWindow(0, 600_000, { fromMs: 700_000 }), 0);
});

test('EC2 prices scale within a family; unknown types refuse', () => {
  assert.equal(ec2HourlyPrice('us-east-1', { name: 'm5.large', vcpu: 2, memoryGiB: 8 }), 0.096);
  assert.equal(ec2HourlyPrice('us-east-1', { name: 'm5.4xlarge', vcpu: 16, memoryGiB: 64 }), 0.768);
  assert.equal(ec2HourlyPrice('us-east-1', { name: 't3.medium', vcpu: 2, memoryGiB: 4 }), 0.0416);
  assert.equal(ec2HourlyPrice('ap-northeast-2', { name: 't3.medium', vcpu: 2, memoryGiB: 4 }), 0.052);
  assert.throws(() => ec2HourlyPrice('ap-northeast-2', { name: 'x2.large', vcpu: 2, memoryGiB: 8 }), NoPriceError);
});

test('CapacityProvisioned parses back to a size', () => {
  assert.deepEqual(parseCapacityProvisioned('0.25vCPU 0.5GB'), { cpuMillis: 250, memoryMiB: 512 });
  assert.deepEqual(parseCapacityProvisioned('2vCPU 9GB'), { cpuMillis: 2000, memoryMiB: 9216 });
  assert.equal(parseCapacityProvisioned('0.25vCPU 9GB'), undefined);
  assert.equal(parseCapacityProvisioned(undefined), undefined);
});
