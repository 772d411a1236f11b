import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContainerShape, PodShape } from './pod-shape.js';
import { fargateSizes, sizePod, sizeTable } from './sizing.js';

const c = (requests?: Record<string, string | number>, limits?: Record<string, string | number>): ContainerShape => ({
  resources: { requests, limits },
});
const pod = (containers: ContainerShape[], initContainers?: ContainerShape[]): PodShape => ({
  spec: { containers, initContainers },
});

const sizeCases: [string, PodShape, string][] = [
  // Reference §4.2 worked examples.
  ['1 vCPU + 8 GB → 2 vCPU 9 GB (UG)', pod([c({ cpu: '1', memory: '8Gi' })]), '2vCPU 9GB'],
  ['1 vCPU + 2.5G → 1vCPU 3GB (eks-workshop)', pod([c({ cpu: '1', memory: '2.5G' })]), '1vCPU 3GB'],
  ['no requests → 0.25vCPU 0.5GB', pod([c()]), '0.25vCPU 0.5GB'],
  ['no containers at all → 0.25vCPU 0.5GB', { spec: {} }, '0.25vCPU 0.5GB'],
  [
    'seed 003 nginx 500m/512Mi → 0.5vCPU 1GB',
    pod([c({ cpu: '500m', memory: '512Mi' }, { cpu: '500m', memory: '512Mi' })]),
    '0.5vCPU 1GB',
  ],
  ['2 vCPU + 1Gi → 2vCPU 4GB', pod([c({ cpu: 2, memory: '1Gi' })]), '2vCPU 4GB'],
  // Rounding.
  ['256Mi + overhead fills 0.5GB exactly', pod([c({ memory: '256Mi' })]), '0.25vCPU 0.5GB'],
  ['one byte more than 256Mi → 1GB', pod([c({ memory: '268435457' })]), '0.25vCPU 1GB'],
  ['1.75Gi fills 0.25 vCPU / 2GB exactly', pod([c({ cpu: '250m', memory: '1792Mi' })]), '0.25vCPU 2GB'],
  ['0.25 vCPU + 2Gi needs the 0.5 vCPU tier', pod([c({ cpu: '250m', memory: '2Gi' })]), '0.5vCPU 3GB'],
  ['251m → 0.5 vCPU', pod([c({ cpu: '251m' })]), '0.5vCPU 1GB'],
  ['1 vCPU, 7.75Gi fills 8GB', pod([c({ cpu: 1, memory: '7936Mi' })]), '1vCPU 8GB'],
  ['8G (decimal) fits 1 vCPU 8GB', pod([c({ cpu: 1, memory: '8G' })]), '1vCPU 8GB'],
  ['4 vCPU with 31GB → 8vCPU 32GB', pod([c({ cpu: 4, memory: '31Gi' })]), '8vCPU 32GB'],
  ['8 vCPU tier has 4 GB steps', pod([c({ cpu: 5, memory: '17Gi' })]), '8vCPU 20GB'],
  ['memory alone can force 16 vCPU', pod([c({ cpu: '100m', memory: '61Gi' })]), '16vCPU 64GB'],
  ['16 vCPU tier has 8 GB steps', pod([c({ cpu: 9, memory: '65Gi' })]), '16vCPU 72GB'],
  ['the largest size', pod([c({ cpu: 16, memory: '122624Mi' })]), '16vCPU 120GB'],
  ['e-notation cpu', pod([c({ cpu: '15e-1', memory: '1Gi' })]), '2vCPU 4GB'],
  // Sum of app containers, max of init containers, per resource.
  ['app containers sum', pod([c({ cpu: '500m', memory: '1Gi' }), c({ cpu: '500m', memory: '1Gi' })]), '1vCPU 3GB'],
  [
    'largest init container wins when bigger than the sum',
    pod([c({ cpu: '250m' }), c({ cpu: '250m' })], [c({ cpu: 2 }), c({ cpu: 1 })]),
    '2vCPU 4GB',
  ],
  [
    'init containers are not summed',
    pod([c({ cpu: '100m' })], [c({ cpu: '400m' }), c({ cpu: '400m' })]),
    '0.5vCPU 1GB',
  ],
  [
    'per resource: cpu from init, memory from app',
    pod([c({ cpu: '100m', memory: '3Gi' })], [c({ cpu: 1, memory: '100Mi' })]),
    '1vCPU 4GB',
  ],
  ['limits stand in for missing requests', pod([c(undefined, { cpu: 1, memory: '8Gi' })]), '2vCPU 9GB'],
  [
    'requests win over larger limits',
    pod([c({ cpu: '250m', memory: '256Mi' }, { cpu: 4, memory: '8Gi' })]),
    '0.25vCPU 0.5GB',
  ],
];

for (const [name, p, want] of sizeCases) {
  test(`size: ${name}`, () => {
    const got = sizePod(p);
    assert.ok('size' in got, JSON.stringify(got));
    assert.equal(got.capacityProvisioned, want);
  });
}

const errorCases: [string, PodShape, RegExp][] = [
  ['17 vCPU', pod([c({ cpu: 17 })]), /exceed the largest Fargate pod size 16vCPU 120GB: requested 17vCPU 0.25GB/],
  ['120Gi memory + overhead', pod([c({ memory: '120Gi' })]), /requested 0vCPU 120.25GB/],
  ['two containers summing past 16 vCPU', pod([c({ cpu: 10 }), c({ cpu: 7 })]), /requested 17vCPU/],
  [
    'ephemeral storage over 175 GiB',
    pod([c({ 'ephemeral-storage': '176Gi' })]),
    /ephemeral-storage request of 176GiB exceeds the Fargate maximum of 175GiB/,
  ],
  ['bad quantity', pod([c({ cpu: 'lots' })]), /Pod resources are invalid: quantities must match/],
];

for (const [name, p, want] of errorCases) {
  test(`size error: ${name}`, () => {
    const got = sizePod(p);
    assert.ok('reason' in got, JSON.stringify(got));
    assert.match(got.message, want);
  });
}

const storageCases: [string, PodShape, number][] = [
  ['default 20 GiB', pod([c()]), 20],
  ['documented 100 GiB → 115 GiB', pod([c({ 'ephemeral-storage': '100Gi' })]), 115],
  ['small request keeps the 20 GiB default', pod([c({ 'ephemeral-storage': '5Gi' })]), 20],
  ['largest request 175 GiB', pod([c({ 'ephemeral-storage': '175Gi' })]), 190],
  ['summed over app containers', pod([c({ 'ephemeral-storage': '30Gi' }), c({ 'ephemeral-storage': '30Gi' })]), 75],
];

for (const [name, p, want] of storageCases) {
  test(`ephemeral storage: ${name}`, () => {
    const got = sizePod(p);
    assert.ok('size' in got, JSON.stringify(got));
    assert.equal(got.ephemeralStorageGiB, want);
  });
}

test('the table holds every documented size and nothing else', () => {
  assert.deepEqual(
    sizeTable.map((t) => [t.vcpu, t.memoryGB.length, t.memoryGB[0], t.memoryGB.at(-1)]),
    [
      [0.25, 3, 0.5, 2],
      [0.5, 4, 1, 4],
      [1, 7, 2, 8],
      [2, 13, 4, 16],
      [4, 23, 8, 30],
      [8, 12, 16, 60],
      [16, 12, 32, 120],
    ],
  );
  assert.equal(fargateSizes.length, 74);
  assert.deepEqual(sizeTable[5].memoryGB, [16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60]);
});
