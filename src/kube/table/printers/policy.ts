// Cluster-policy kinds: Lease, PriorityClass, PodDisruptionBudget, HorizontalPodAutoscaler and ResourceQuota.
import type { KubeObject } from '../../api/types.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import { since } from '../duration.js';
import { int } from '../format.js';
import type { Printer } from '../types.js';

const age = (obj: KubeObject, now: Date) => since(obj.metadata.creationTimestamp, now);

export const leasePrinter: Printer = {
  columns: [nameColumn(), column('Holder', 'string', 'coordination.v1.LeaseSpec#holderIdentity'), ageColumn()],
  cells: (l, now) => [l.metadata.name, l.spec?.holderIdentity ?? '', age(l, now)],
};

export const priorityClassPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Value', 'integer', 'scheduling.v1.PriorityClass#value'),
    column('Global-Default', 'boolean', 'scheduling.v1.PriorityClass#globalDefault'),
    ageColumn(),
    column('PreemptionPolicy', 'string', 'scheduling.v1.PriorityClass#preemptionPolicy'),
  ],
  cells: (pc, now) => [
    pc.metadata.name,
    int(pc.value),
    pc.globalDefault === true,
    age(pc, now),
    pc.preemptionPolicy ?? '',
  ],
};

const intOrString = (v: unknown): string => (v === undefined || v === null ? 'N/A' : String(v));

export const podDisruptionBudgetPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Min Available', 'string', 'The minimum number of pods that must be available.'),
    column('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    column('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    ageColumn(),
  ],
  cells: (pdb, now) => [
    pdb.metadata.name,
    intOrString(pdb.spec?.minAvailable),
    intOrString(pdb.spec?.maxUnavailable),
    int(pdb.status?.disruptionsAllowed),
    age(pdb, now),
  ],
};

/** One autoscaling/v2 metric as formatHPAMetrics prints it: "cpu: 20%/80%", "<unknown>/500m (avg)". */
function hpaMetric(spec: any, status: any): string {
  const source = (type: string) => (type === 'ContainerResource' ? 'containerResource' : type.toLowerCase());
  const key = source(spec.type ?? '');
  const target = spec[key]?.target ?? {};
  const current = status?.[key]?.current ?? {};
  switch (spec.type) {
    case 'External':
    case 'Object':
      if (target.averageValue !== undefined)
        return `${current.averageValue ?? '<unknown>'}/${target.averageValue} (avg)`;
      return `${status?.[key] ? (current.value ?? '0') : '<unknown>'}/${target.value ?? '0'}`;
    case 'Pods':
      return `${status?.[key] ? (current.averageValue ?? '0') : '<unknown>'}/${target.averageValue ?? '0'}`;
    case 'Resource':
    case 'ContainerResource': {
      const name = spec[key]?.name ?? '';
      if (target.averageValue !== undefined)
        return `${name}: ${status?.[key] ? (current.averageValue ?? '0') : '<unknown>'}/${target.averageValue}`;
      const now = current.averageUtilization !== undefined ? `${current.averageUtilization}%` : '<unknown>';
      const want = target.averageUtilization !== undefined ? `${target.averageUtilization}%` : '<auto>';
      return `${name}: ${now}/${want}`;
    }
  }
  return '<unknown type>';
}

function hpaTargets(hpa: KubeObject): string {
  const specs: any[] = hpa.spec?.metrics ?? [];
  if (specs.length === 0) return '<none>';
  const statuses: any[] = hpa.status?.currentMetrics ?? [];
  const list = specs.map((s, i) => hpaMetric(s, statuses[i]));
  const max = 2;
  return list.length > max ? `${list.slice(0, max).join(', ')} + ${list.length - max} more...` : list.join(', ');
}

export const horizontalPodAutoscalerPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Reference', 'string', 'autoscaling.v2.HorizontalPodAutoscalerSpec#scaleTargetRef'),
    column('Targets', 'string', 'autoscaling.v2.HorizontalPodAutoscalerSpec#metrics'),
    column('MinPods', 'string', 'autoscaling.v2.HorizontalPodAutoscalerSpec#minReplicas'),
    column('MaxPods', 'string', 'autoscaling.v2.HorizontalPodAutoscalerSpec#maxReplicas'),
    column('Replicas', 'string', 'autoscaling.v2.HorizontalPodAutoscalerStatus#currentReplicas'),
    ageColumn(),
  ],
  cells: (hpa, now) => [
    hpa.metadata.name,
    `${hpa.spec?.scaleTargetRef?.kind ?? ''}/${hpa.spec?.scaleTargetRef?.name ?? ''}`,
    hpaTargets(hpa),
    typeof hpa.spec?.minReplicas === 'number' ? String(hpa.spec.minReplicas) : '<unset>',
    int(hpa.spec?.maxReplicas),
    int(hpa.status?.currentReplicas),
    age(hpa, now),
  ],
};

function quotaColumns(rq: KubeObject): [string, string] {
  const hard: Record<string, string> = rq.status?.hard ?? {};
  const used: Record<string, string> = rq.status?.used ?? {};
  const requests: string[] = [];
  const limits: string[] = [];
  for (const resource of Object.keys(hard).sort()) {
    const pieces = resource.split('.');
    const into = pieces.length > 1 && pieces[0] === 'limits' ? limits : requests;
    into.push(`${resource}: ${used[resource] ?? '0'}/${hard[resource]}`);
  }
  return [requests.join(', '), limits.join(', ')];
}

export const resourceQuotaPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
    column(
      'Limit',
      'string',
      'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.',
    ),
    ageColumn(),
  ],
  cells: (rq, now) => [rq.metadata.name, ...quotaColumns(rq), age(rq, now)],
};
