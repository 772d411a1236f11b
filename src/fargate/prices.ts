// Prices as data (reference §5): Fargate's Linux/x86 on-demand rates per region, and the EC2 on-demand rates of the
// node-group instance types Skiff can launch, for the comparison `skiff cost` and `skiff check` print. Every row
// names its source; a region or instance type without a row has no price, and callers say so instead of guessing.

export interface FargateRates {
  /** USD per vCPU-hour. */
  vcpuHour: number;
  /** USD per GB-hour (Fargate's GB = 1024 MiB). */
  gbHour: number;
  /** USD per GB-hour of ephemeral storage above the included 20 GB; undefined where no source gives it. */
  storageGbHour?: number;
  source: string;
}

/** Ephemeral storage included in every pod's price. */
export const includedStorageGB = 20;

export const fargateRates: Readonly<Record<string, FargateRates>> = {
  'us-east-1': {
    vcpuHour: 0.04048,
    gbHour: 0.004445,
    storageGbHour: 0.000111,
    source:
      'aws.amazon.com/fargate/pricing (Linux/x86, on-demand), as quoted by vantage.sh/blog/fargate-pricing, ' +
      'wring.co and factualminds.com (June 2026); seed 004 computes $0.01234/hour for 0.25 vCPU / 0.5 GB with them',
  },
  'ap-northeast-2': {
    vcpuHour: 0.04656,
    gbHour: 0.00511,
    source:
      'AWS Price List API, pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonECS/current/ap-northeast-2/index.json, ' +
      'usage types APN2-Fargate-vCPU-Hours:perCPU and APN2-Fargate-GB-Hours (publication 2026-08/09); ' +
      'no source gives the Seoul ephemeral-storage rate',
  },
};

export interface Ec2Rates {
  /** USD per hour of the family's `large` size (2 vCPUs; 8 GiB for t-family burstables). */
  largeHour: Record<string, number>;
  source: string;
}

/**
 * Within a family EC2's on-demand price is linear in size: proportional to vCPUs for fixed-performance families,
 * to memory for the burstable t families (nano 0.5 GiB … 2xlarge 32 GiB, each step double the price).
 */
export const ec2Rates: Readonly<Record<string, Ec2Rates>> = {
  'us-east-1': {
    largeHour: {
      t3: 0.0832,
      t3a: 0.0752,
      t4g: 0.0672,
      m5: 0.096,
      m5a: 0.086,
      m6i: 0.096,
      m6a: 0.0864,
      m7i: 0.1008,
      m6g: 0.077,
      m7g: 0.0816,
      c5: 0.085,
      c6i: 0.085,
      c7i: 0.08925,
      c6g: 0.068,
      c7g: 0.0725,
      r5: 0.126,
      r6i: 0.126,
      r7i: 0.1323,
      r6g: 0.1008,
    },
    source:
      'aws.amazon.com/ec2/pricing/on-demand (Linux, shared tenancy); m7g.large $0.0816 cross-checked with ' +
      'factualminds.com "Amazon EC2 On-Demand Pricing" (June 2026)',
  },
  'ap-northeast-2': {
    largeHour: {
      t3: 0.104,
      m5: 0.118,
      m6i: 0.118,
      c5: 0.096,
      c6i: 0.096,
      r5: 0.152,
      r6i: 0.152,
    },
    source: 'aws.amazon.com/ec2/pricing/on-demand (Linux, shared tenancy, Asia Pacific (Seoul))',
  },
};

export const burstableFamilies = ['t3', 't3a', 't4g'];

/** What a price lookup refuses: the region or the instance type has no row. */
export class NoPriceError extends Error {}

export function fargateRatesFor(region: string): FargateRates {
  const rates = fargateRates[region];
  if (!rates) {
    throw new NoPriceError(
      `no Fargate price is known for region ${region} (known: ${Object.keys(fargateRates).join(', ')})`,
    );
  }
  return rates;
}

/** The hourly on-demand price of an instance type of `vcpu` vCPUs and `memoryGiB` GiB. */
export function ec2HourlyPrice(region: string, instanceType: { name: string; vcpu: number; memoryGiB: number }) {
  const rates = ec2Rates[region];
  const family = instanceType.name.split('.')[0];
  const large = rates?.largeHour[family];
  if (large === undefined) {
    throw new NoPriceError(`no EC2 price is known for instance type ${instanceType.name} in region ${region}`);
  }
  const scale = burstableFamilies.includes(family) ? instanceType.memoryGiB / 8 : instanceType.vcpu / 2;
  return large * scale;
}

/** The region code AWS prefixes usage types with in bills (us-east-1's EC2 BoxUsage has none). */
export const usageTypeRegionCodes: Readonly<Record<string, string>> = {
  'us-east-1': 'USE1',
  'us-east-2': 'USE2',
  'us-west-2': 'USW2',
  'eu-west-1': 'EU',
  'ap-northeast-1': 'APN1',
  'ap-northeast-2': 'APN2',
};

const regionCode = (region: string) => usageTypeRegionCodes[region] ?? region;

/** Fargate's usage types in a bill, as the Price List names them (`APN2-Fargate-vCPU-Hours:perCPU`). */
export function fargateUsageTypes(region: string) {
  const code = regionCode(region);
  return {
    vcpu: `${code}-Fargate-vCPU-Hours:perCPU`,
    memory: `${code}-Fargate-GB-Hours`,
    storage: `${code}-Fargate-EphemeralStorage-GB-Hours`,
  };
}

/** EC2's on-demand usage type: `BoxUsage:m5.large` in us-east-1, `APN2-BoxUsage:m5.large` elsewhere. */
export function ec2UsageType(region: string, instanceType: string): string {
  return region === 'us-east-1' ? `BoxUsage:${instanceType}` : `${regionCode(region)}-BoxUsage:${instanceType}`;
}
