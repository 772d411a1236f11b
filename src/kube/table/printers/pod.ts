// Pods: Name, Ready, Status, Restarts, Age (+ IP, Node, Nominated Node, Readiness Gates), with printPod's reason
// logic — init progress, container waiting/terminated reasons, Terminating, NodeLost → Unknown, SchedulingGated.
import type { KubeObject } from '../../api/types.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import { since } from '../duration.js';
import { conditionTrue, orNone } from '../format.js';
import type { Printer, TableRowCondition } from '../types.js';

interface ContainerStatus {
  name: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string }; running?: unknown; terminated?: Terminated };
  lastState?: { terminated?: Terminated };
}
interface Terminated {
  exitCode?: number;
  signal?: number;
  reason?: string;
  finishedAt?: string;
}

/** Restart bookkeeping: how many, and the latest finishedAt among last terminations. */
class Restarts {
  count = 0;
  last = 0;
  add(status: ContainerStatus): void {
    this.count += status.restartCount ?? 0;
    const finished = status.lastState?.terminated?.finishedAt;
    const at = finished ? Date.parse(finished) : Number.NaN;
    if (!Number.isNaN(at) && at > this.last) this.last = at;
  }
  text(now: Date): string {
    if (this.count === 0 || this.last === 0) return String(this.count);
    return `${this.count} (${since(new Date(this.last).toISOString(), now)} ago)`;
  }
}

const terminatedReason = (t: Terminated, prefix: string): string =>
  t.reason ? `${prefix}${t.reason}` : t.signal ? `${prefix}Signal:${t.signal}` : `${prefix}ExitCode:${t.exitCode ?? 0}`;

function podCells(pod: KubeObject, now: Date): unknown[] {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const initSpecs: any[] = spec.initContainers ?? [];
  const restartable = new Set(initSpecs.filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  const totalContainers = (spec.containers ?? []).length + restartable.size;
  let ready = 0;
  let reason: string = status.reason || status.phase || '';
  for (const c of status.conditions ?? []) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  const all = new Restarts();
  const sidecars = new Restarts();
  let initializing = false;
  const initStatuses: ContainerStatus[] = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    all.add(c);
    if (restartable.has(c.name)) sidecars.add(c);
    const terminated = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (restartable.has(c.name) && c.started) {
      if (c.ready) ready++;
      continue;
    }
    if (terminated) reason = terminatedReason(terminated, 'Init:');
    else if (waiting?.reason && waiting.reason !== 'PodInitializing') reason = `Init:${waiting.reason}`;
    else reason = `Init:${i}/${initSpecs.length}`;
    initializing = true;
    break;
  }

  let restarts = all;
  if (!initializing || conditionTrue(status.conditions, 'Initialized')) {
    restarts = sidecars;
    let hasRunning = false;
    const statuses: ContainerStatus[] = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts.add(c);
      const waiting = c.state?.waiting;
      const terminated = c.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated) reason = terminatedReason(terminated, '');
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning)
      reason = conditionTrue(status.conditions, 'Ready') ? 'Running' : 'NotReady';
  }

  const terminal = status.phase === 'Succeeded' || status.phase === 'Failed';
  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && !terminal) reason = 'Terminating';

  const gates: any[] = spec.readinessGates ?? [];
  let readinessGates = '<none>';
  if (gates.length > 0) {
    const trueGates = gates.filter(
      (g) => status.conditions?.find((c: any) => c.type === g.conditionType)?.status === 'True',
    );
    readinessGates = `${trueGates.length}/${gates.length}`;
  }
  const podIP = status.podIPs?.[0]?.ip || status.podIP;
  return [
    pod.metadata.name,
    `${ready}/${totalContainers}`,
    reason,
    restarts.text(now),
    since(pod.metadata.creationTimestamp, now),
    orNone(podIP),
    orNone(spec.nodeName),
    orNone(status.nominatedNodeName),
    readinessGates,
  ];
}

function podConditions(pod: KubeObject): TableRowCondition[] | undefined {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded')
    return [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
  if (phase === 'Failed') return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
  return undefined;
}

export const podPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'string', 'The aggregate status of the containers in this pod.'),
    column(
      'Restarts',
      'string',
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    ),
    ageColumn(),
    column('IP', 'string', 'core.v1.PodStatus#podIP', 1),
    column('Node', 'string', 'core.v1.PodSpec#nodeName', 1),
    column('Nominated Node', 'string', 'core.v1.PodStatus#nominatedNodeName', 1),
    column('Readiness Gates', 'string', 'core.v1.PodSpec#readinessGates', 1),
  ],
  cells: podCells,
  conditions: podConditions,
};
