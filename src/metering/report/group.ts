// The bill grouped the way people ask about it: by namespace, Fargate profile, workload, a label's value, the
// resource itself or its type (Fargate pods apart from node-group nodes); each group's cost, usage and burn rate.
import type { UsageRecord } from '../usage-record.js';
import type { Charge } from './bill.js';

export type GroupBy = 'namespace' | 'profile' | 'workload' | 'resource' | 'type' | `label:${string}`;

export function parseGroupBy(text: string): GroupBy {
  if (['namespace', 'profile', 'workload', 'resource', 'type'].includes(text)) return text as GroupBy;
  if (/^label:.+/.test(text)) return text as GroupBy;
  throw new Error(`cannot group by "${text}": use namespace, profile, workload, resource, type or label:<key>`);
}

const none = '<none>';

export function groupKey(record: UsageRecord, by: GroupBy): string {
  const s = record.spec;
  const isNode = s.resourceType === 'Node';
  switch (by) {
    case 'namespace':
      return isNode ? `<node group ${s.nodegroup ?? none}>` : (s.namespace ?? none);
    case 'profile':
      return isNode ? `<node group ${s.nodegroup ?? none}>` : (s.profile ?? none);
    case 'workload':
      return isNode
        ? `Node/${s.name}`
        : `${s.namespace}/${s.workload ? `${s.workload.kind}/${s.workload.name}` : s.name}`;
    case 'resource':
      return isNode ? `Node/${s.name}` : `${s.namespace}/${s.name}`;
    case 'type':
      return isNode ? `EC2 ${s.instanceType}` : 'Fargate';
    default:
      return s.labels[by.slice('label:'.length)] ?? none;
  }
}

export interface Group {
  key: string;
  /** Records charged in the range. */
  resources: number;
  running: number;
  /** Billed hours in the range. */
  hours: number;
  cost: number;
  /** USD per hour of the group's running resources. */
  burnRate: number;
}

/** Groups, most expensive first. */
export function groupCharges(charges: Charge[], by: GroupBy): Group[] {
  const groups = new Map<string, Group>();
  for (const c of charges) {
    const key = groupKey(c.record, by);
    const g = groups.get(key) ?? { key, resources: 0, running: 0, hours: 0, cost: 0, burnRate: 0 };
    g.resources++;
    g.hours += c.seconds / 3600;
    g.cost += c.cost;
    if (c.running) {
      g.running++;
      g.burnRate += c.hourly.total;
    }
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => b.cost - a.cost || (a.key < b.key ? -1 : 1));
}
