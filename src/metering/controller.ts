// The metering controller: one UsageRecord per Fargate pod (opened at its first `Pulling`, marked when its
// containers finish, closed when the pod is deleted) and per node-group node (closed when the node goes). Its state
// is the records in the store: a restart (or kill -9) re-reads them and the pods, so nothing is counted twice — a
// record is named by the pod's or node's UID and created once. Informers come from the shared factory.
import { Controller, type ControllerOptions, noKeys } from '../client/controller.js';
import type { ReconcileResult } from '../client/queue.js';
import { instanceType } from '../controllers/nodegroup/instance-types.js';
import { instanceTypeLabel } from '../controllers/nodegroup/node.js';
import { ignoreNotFound } from '../kube/api/errors.js';
import type { KubeObject } from '../kube/api/types.js';
import type { KubeClient } from '../kube/client/types.js';
import { type Clock, systemClock } from './clock.js';
import {
  type Cluster,
  fargatePodUsage,
  firstPullingMs,
  isMeteredFargatePod,
  isMeteredNode,
  nodeUsage,
  podFinishedMs,
  podStartMs,
} from './pod-usage.js';
import {
  isOpen,
  recordName,
  toTime,
  type UsageRecord,
  type UsageSpec,
  usageRecordCrd,
  usageRecordRef,
} from './usage-record.js';
import { workloadOf } from './workload.js';

export interface MeteringControllerOptions extends ControllerOptions {
  cluster: Cluster;
  clock?: Clock;
}

const podRef = { apiVersion: 'v1', kind: 'Pod' };
const nodeRef = { apiVersion: 'v1', kind: 'Node' };
const eventRef = { apiVersion: 'v1', kind: 'Event' };
const nodeKeyPrefix = 'node:';
/** Indexes this controller adds: open records by what they meter, events by the UID of the object they are about. */
const openRecordIndex = 'metering.skiff.io/open-record-of';
const aboutUidIndex = 'involvedObject.uid';

/** The key of what a record meters: `namespace/pod` or `node:<name>`. */
const recordKey = (r: UsageRecord) =>
  r.spec.resourceType === 'Node' ? nodeKeyPrefix + r.spec.name : `${r.spec.namespace}/${r.spec.name}`;

export class MeteringController extends Controller {
  private readonly cluster: Cluster;
  private readonly clock: Clock;
  private readonly pods;
  private readonly nodes;
  private readonly pulls;
  private readonly records;

  constructor(client: KubeClient, options: MeteringControllerOptions) {
    super(client, 'metering controller', options, 2);
    this.cluster = options.cluster;
    this.clock = options.clock ?? systemClock;
    this.records = this.watch(usageRecordRef, noKeys);
    this.pods = this.watch(podRef);
    this.pulls = this.watch(
      eventRef,
      (old, current) => {
        const about = (current ?? old)!.involvedObject;
        return about?.kind === 'Pod' ? [`${about.namespace}/${about.name}`] : [];
      },
      { fieldSelector: 'reason=Pulling' },
    );
    this.nodes = this.watch(nodeRef, (old, current) => [nodeKeyPrefix + (current ?? old)!.metadata.name]);
    this.records.cache.addIndex(openRecordIndex, (r) =>
      isOpen(r as UsageRecord) ? [recordKey(r as UsageRecord)] : [],
    );
    this.pulls.cache.addIndex(aboutUidIndex, (event) => (event.involvedObject?.uid ? [event.involvedObject.uid] : []));
  }

  /** Serves the UsageRecord kind before its informer lists it. */
  override async start(): Promise<void> {
    await this.client.create(usageRecordCrd).catch((error) => {
      if (error?.code !== 409) throw error;
    });
    await super.start();
    // Records left open by a previous run whose pod or node is gone are closed by reconciling their keys.
    for (const record of this.records.cache.values())
      if (isOpen(record as UsageRecord)) this.queue.add(recordKey(record as UsageRecord));
  }

  /** The records in the cache (every record, open or closed). */
  usageRecords(): UsageRecord[] {
    return [...this.records.cache.values()] as UsageRecord[];
  }

  protected override async reconcile(key: string): Promise<ReconcileResult | undefined> {
    if (key.startsWith(nodeKeyPrefix)) return this.reconcileNode(key.slice(nodeKeyPrefix.length));
    return this.reconcilePod(key);
  }

  private openRecordsOf(key: string): UsageRecord[] {
    return [...this.records.cache.byIndex(openRecordIndex, key)] as UsageRecord[];
  }

  private async reconcilePod(key: string): Promise<ReconcileResult | undefined> {
    const pod = this.pods.cache.get(key);
    const now = this.clock.now();
    for (const record of this.openRecordsOf(key)) {
      if (record.spec.uid !== pod?.metadata.uid) await this.close(record, now);
    }
    if (!pod || !isMeteredFargatePod(pod)) return undefined;
    const start = podStartMs(pod, firstPullingMs(pod, this.pulls.cache.byIndex(aboutUidIndex, pod.metadata.uid!)));
    if (start === undefined) return undefined;
    const name = recordName('FargatePod', pod.metadata.uid!);
    const existing = this.records.cache.get(name) as UsageRecord | undefined;
    const finishedMs = podFinishedMs(pod, now);
    const finished = finishedMs === undefined ? undefined : toTime(finishedMs);
    if (!existing) {
      const spec = fargatePodUsage(pod, this.cluster, start, await workloadOf(this.client, pod));
      await this.create({ ...spec, ...(finished ? { finished } : {}) });
      return undefined;
    }
    const changes: Partial<UsageSpec> = {};
    if (Date.parse(existing.spec.start) > start) changes.start = toTime(start);
    if (finished && !existing.spec.finished) changes.finished = finished;
    if (Object.keys(changes).length > 0) await this.patch(name, changes);
    return undefined;
  }

  private async reconcileNode(nodeName: string): Promise<ReconcileResult | undefined> {
    const node = this.nodes.cache.get(nodeName);
    const now = this.clock.now();
    const key = nodeKeyPrefix + nodeName;
    for (const record of this.openRecordsOf(key)) {
      if (record.spec.uid !== node?.metadata.uid) await this.close(record, now);
    }
    if (!node || !isMeteredNode(node) || node.metadata.deletionTimestamp) return undefined;
    if (this.records.cache.has(recordName('Node', node.metadata.uid!))) return undefined;
    const type = instanceType(node.metadata.labels![instanceTypeLabel]);
    if (!type) return undefined;
    await this.create(nodeUsage(node, this.cluster, type));
    return undefined;
  }

  private async create(spec: UsageSpec): Promise<void> {
    const record = {
      ...usageRecordRef,
      metadata: { name: recordName(spec.resourceType, spec.uid) },
      spec,
    };
    await this.client.create(record).catch((error) => {
      // Created by an earlier run whose record the cache has not shown yet: it is the same usage.
      if (error?.code !== 409) throw error;
    });
  }

  private patch(name: string, changes: Partial<UsageSpec>): Promise<KubeObject | undefined> {
    return this.client.patch(usageRecordRef, name, { spec: changes }, 'merge').catch(ignoreNotFound);
  }

  /** Metering stops: at `now`, never before the record's start. */
  private close(record: UsageRecord, now: number): Promise<KubeObject | undefined> {
    const stop = Math.max(now, Date.parse(record.spec.start));
    return this.patch(record.metadata.name!, { stop: toTime(stop) });
  }
}
