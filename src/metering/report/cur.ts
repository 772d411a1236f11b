// The bill as Cost and Usage Report rows: the CUR column names people load into Athena or spreadsheets, one row
// per charge and usage type (a Fargate pod's vCPU-hours, GB-hours and storage GB-hours; a node's BoxUsage), pods
// named by `arn:aws:eks:<region>:<account>:pod/<cluster>/<namespace>/<pod>/<uid>` and nodes by instance ID, and the
// EKS split-cost-allocation tags (aws:eks:cluster-name, namespace, workload, node).

import { podArn } from '../../fargate/arn.js';
import { ec2UsageType, fargateUsageTypes } from '../../fargate/prices.js';
import type { Charge } from './bill.js';

export const curColumns = [
  'identity/TimeInterval',
  'bill/BillingPeriodStartDate',
  'lineItem/UsageAccountId',
  'lineItem/LineItemType',
  'lineItem/UsageStartDate',
  'lineItem/UsageEndDate',
  'lineItem/ProductCode',
  'lineItem/UsageType',
  'lineItem/Operation',
  'lineItem/ResourceId',
  'lineItem/UsageAmount',
  'lineItem/CurrencyCode',
  'lineItem/UnblendedRate',
  'lineItem/UnblendedCost',
  'lineItem/LineItemDescription',
  'product/region',
  'pricing/unit',
  'resourceTags/aws:eks:cluster-name',
  'resourceTags/aws:eks:namespace',
  'resourceTags/aws:eks:workload-type',
  'resourceTags/aws:eks:workload-name',
  'resourceTags/aws:eks:node',
] as const;

export type CurRow = Record<(typeof curColumns)[number], string>;

/** CUR's times: `2026-01-01T00:00:00Z`. */
const curTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const monthStart = (ms: number) => {
  const d = new Date(ms);
  return curTime(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
};

export function curRows(charges: Charge[], accountId: string): CurRow[] {
  const rows: CurRow[] = [];
  for (const c of charges) {
    const s = c.record.spec;
    const hours = c.seconds / 3600;
    const base = {
      'identity/TimeInterval': `${curTime(c.fromMs)}/${curTime(c.toMs)}`,
      'bill/BillingPeriodStartDate': monthStart(c.fromMs),
      'lineItem/UsageAccountId': accountId,
      'lineItem/LineItemType': 'Usage',
      'lineItem/UsageStartDate': curTime(c.fromMs),
      'lineItem/UsageEndDate': curTime(c.toMs),
      'lineItem/CurrencyCode': 'USD',
      'product/region': s.region,
      'resourceTags/aws:eks:cluster-name': s.cluster,
      'resourceTags/aws:eks:namespace': s.namespace ?? '',
      'resourceTags/aws:eks:workload-type': s.workload?.kind ?? '',
      'resourceTags/aws:eks:workload-name': s.workload?.name ?? '',
      'resourceTags/aws:eks:node': s.resourceType === 'Node' ? s.name : (s.node ?? ''),
    };
    const row = (usageType: string, operation: string, amount: number, rate: number, unit: string, what: string) =>
      rows.push({
        ...base,
        'lineItem/ProductCode': s.resourceType === 'Node' ? 'AmazonEC2' : 'AmazonEKS',
        'lineItem/UsageType': usageType,
        'lineItem/Operation': operation,
        'lineItem/ResourceId':
          s.resourceType === 'Node'
            ? (s.instanceId ?? s.name)
            : podArn(s.region, accountId, s.cluster, s.namespace!, s.name, s.uid),
        'lineItem/UsageAmount': amount.toFixed(8),
        'lineItem/UnblendedRate': String(rate),
        'lineItem/UnblendedCost': (amount * rate).toFixed(8),
        'lineItem/LineItemDescription': what,
        'pricing/unit': unit,
      });
    if (s.resourceType === 'Node') {
      const usage = ec2UsageType(s.region, s.instanceType!);
      row(
        usage,
        'RunInstances',
        hours,
        c.hourly.total,
        'Hrs',
        `$${c.hourly.total} per On Demand Linux ${s.instanceType} Instance Hour`,
      );
      continue;
    }
    const types = fargateUsageTypes(s.region);
    const perVcpu = c.hourly.vcpu / s.vcpu;
    const perGb = c.hourly.memory / s.memoryGB;
    row(
      types.vcpu,
      'FargatePod',
      hours * s.vcpu,
      perVcpu,
      'vCPU-Hours',
      `AWS Fargate - vCPU - ${s.region} (${s.capacityProvisioned})`,
    );
    row(
      types.memory,
      'FargatePod',
      hours * s.memoryGB,
      perGb,
      'GB-Hours',
      `AWS Fargate - Memory - ${s.region} (${s.capacityProvisioned})`,
    );
    const extra = s.storageGB - 20;
    if (extra > 0) {
      row(
        types.storage,
        'FargatePod',
        hours * extra,
        c.hourly.storage / extra,
        'GB-Hours',
        `AWS Fargate - Ephemeral Storage - ${s.region}`,
      );
    }
  }
  return rows;
}

const quote = (value: string) => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

export function curCsv(rows: CurRow[]): string {
  const lines = [curColumns.join(','), ...rows.map((r) => curColumns.map((c) => quote(r[c])).join(','))];
  return `${lines.join('\n')}\n`;
}
