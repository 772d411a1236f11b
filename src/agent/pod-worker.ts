// One pod on one of this host's nodes, from admission to its final delete: rejects what the node may not run,
// gives the pod its IP, starts it through the driver, turns the driver's reports into status writes and events,
// stops it honouring the grace period when deleted (then deletes it for good, uid-guarded), releases what it held.
import type { KubeObject } from '../kube/api/types.js';
import type { KubeClient } from '../kube/client/types.js';
import { appArmorRefusal } from './apparmor.js';
import { apiTime } from './clock.js';
import type { SandboxDriver, SandboxEvent, SandboxPod, SandboxStatus } from './driver.js';
import type { KubeletEvents } from './events.js';
import type { NodeView } from './nodes.js';
import type { PodIps } from './pod-ips.js';
import { podConditions, podPhase, podStatusOf, terminatedStatuses, waitingSandbox } from './pod-status.js';
import type { StatusWriter } from './status-writer.js';

export interface WorkerContext {
  client: KubeClient;
  driver: SandboxDriver;
  events: KubeletEvents;
  statuses: StatusWriter;
  ips: PodIps;
  node(name: string): NodeView | undefined;
  podsOnNode(name: string): Iterable<KubeObject>;
  onError(error: unknown): void;
}

export { fargateSchedulerName } from '../fargate/naming.js';

import { fargateSchedulerName } from '../fargate/naming.js';
export const notFargateScheduled = 'Pod not supported: SchedulerName is not fargate-scheduler';
const ipRetryMs = 5000;
const terminalPhases = new Set(['Succeeded', 'Failed']);

export class PodWorker {
  pod: KubeObject;
  phase: string;
  private admitted = false;
  private created = false;
  private gone = false;
  private released = false;
  private stopped = false;
  private terminating?: Promise<void>;
  private sandbox?: SandboxStatus;
  private podIP?: string;
  private hostIP?: string;
  private startTime?: string;
  private conditions: any[];
  /** Why the pod failed outside its containers (DeadlineExceeded). */
  private failure?: { reason: string; message: string };
  /** Why kubelet admission refused it. */
  private rejection?: { reason: string; message: string };
  private timer?: NodeJS.Timeout;

  constructor(
    private ctx: WorkerContext,
    pod: KubeObject,
  ) {
    this.pod = pod;
    this.phase = pod.status?.phase ?? 'Pending';
    this.conditions = pod.status?.conditions ?? [];
  }

  get uid(): string {
    return this.pod.metadata.uid!;
  }

  get nodeName(): string {
    return this.pod.spec.nodeName;
  }

  update(pod: KubeObject): void {
    this.pod = pod;
    if (this.gone) return;
    if (!this.admitted) this.admit();
    else if (pod.metadata.deletionTimestamp) this.terminate();
    else if (this.created) this.ctx.driver.updatePod(this.sandboxPod());
  }

  /** The pod left the API (or this host): stop at once, write nothing more. */
  removed(): void {
    this.gone = true;
    clearTimeout(this.timer);
    this.ctx.statuses.forget(this.uid);
    this.ctx.events.forget(this.uid);
    this.ctx.ips.release(this.uid);
    if (this.created) this.ctx.driver.deletePod(this.uid, 0).catch((error) => this.ctx.onError(error));
  }

  sandboxPod(): SandboxPod {
    const node = this.ctx.node(this.nodeName);
    return {
      uid: this.uid,
      namespace: this.pod.metadata.namespace!,
      name: this.pod.metadata.name!,
      nodeName: this.nodeName,
      fargate: Boolean(node?.fargate),
      podIP: this.podIP ?? '',
      hostIP: this.hostIP ?? '',
      pod: this.pod,
    };
  }

  private admit(): void {
    this.admitted = true;
    if (terminalPhases.has(this.phase) || this.pod.metadata.deletionTimestamp) {
      // Finished, or deleted, before this agent ran it (an agent restart): nothing to run; a deletion completes.
      this.released = true;
      if (this.pod.metadata.deletionTimestamp) this.finalDelete();
      return;
    }
    const node = this.ctx.node(this.nodeName);
    if (node?.fargate && this.pod.spec?.schedulerName !== fargateSchedulerName) {
      this.reject('PodNotSupported', notFargateScheduled);
      return;
    }
    const appArmor = appArmorRefusal(this.pod, this.ctx.driver.name);
    if (appArmor) {
      this.reject(appArmor.reason, appArmor.message);
      return;
    }
    this.hostIP = node?.internalIP;
    this.startTime = this.pod.status?.startTime ?? apiTime();
    this.start();
  }

  private start(): void {
    if (this.gone || this.pod.metadata.deletionTimestamp) {
      this.terminate();
      return;
    }
    const node = this.ctx.node(this.nodeName);
    const ip = node && this.ctx.ips.assign(node, this.pod, this.ctx.podsOnNode(node.name));
    if (!ip) {
      this.writeStatus();
      this.event({
        type: 'Warning',
        reason: 'FailedCreatePodSandBox',
        message:
          'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox: ' +
          'plugin type="aws-cni" name="aws-cni" failed (add): add cmd: failed to assign an IP address to container',
      });
      const retry = () => {
        clearTimeout(this.timer);
        if (!this.created && !this.terminating && !this.gone) this.start();
      };
      this.timer = setTimeout(retry, ipRetryMs);
      this.timer.unref?.();
      if (node) this.ctx.ips.whenReleased(node.name, retry);
      return;
    }
    this.podIP = ip;
    this.created = true;
    this.writeStatus();
    this.ctx.driver.createPod(this.sandboxPod(), {
      status: (status) => this.reported(status),
      event: (event) => this.event(event),
    });
    const deadline = this.pod.spec?.activeDeadlineSeconds;
    if (typeof deadline === 'number') {
      const due = Date.parse(this.startTime!) + deadline * 1000 - Date.now();
      this.timer = setTimeout(() => this.deadlineExceeded(), Math.max(0, due));
      this.timer.unref?.();
    }
  }

  private event(event: SandboxEvent): void {
    if (!this.gone) this.ctx.events.record(this.pod, this.nodeName, event);
  }

  private reported(status: SandboxStatus): void {
    if (this.gone) return;
    this.sandbox = status;
    this.writeStatus();
    if (terminalPhases.has(this.phase) && !this.terminating && !this.released) {
      // All containers finished for good: release the sandbox and the IP, keep the pod and its status.
      this.released = true;
      clearTimeout(this.timer);
      this.ctx.driver
        .deletePod(this.uid, 0)
        .then(() => this.ctx.ips.release(this.uid))
        .catch((error) => this.ctx.onError(error));
    }
  }

  private writeStatus(): void {
    if (this.gone) return;
    const { namespace, name } = this.pod.metadata;
    const target = { namespace: namespace!, name: name!, uid: this.uid };
    if (this.rejection) {
      this.phase = 'Failed';
      const qosClass = this.pod.status?.qosClass;
      this.ctx.statuses.set(target, { phase: 'Failed', ...this.rejection, qosClass });
      return;
    }
    const sandbox = this.sandbox ?? waitingSandbox(this.pod);
    let phase = this.failure ? 'Failed' : podPhase(this.pod, sandbox, this.stopped);
    if (terminalPhases.has(this.phase) && !terminalPhases.has(phase)) phase = this.phase;
    this.phase = phase;
    // The phase decides what happens next, so it is known at once; the rest of the status is assembled when the
    // status writer is about to write it, once for all the lifecycle steps its batch took in.
    this.ctx.statuses.set(target, () => this.statusNow());
  }

  /** The whole status as of now (conditions carry their transition times from one status to the next). */
  private statusNow(): Record<string, unknown> {
    const now = apiTime();
    const sandbox = this.sandbox ?? waitingSandbox(this.pod);
    this.conditions = podConditions(this.pod, sandbox, this.phase, this.conditions, now);
    const facts = {
      hostIP: this.hostIP,
      podIP: this.podIP,
      startTime: this.startTime ?? now,
      stopped: this.stopped,
      now,
    };
    const status = podStatusOf(this.pod, sandbox, this.phase, this.conditions, facts);
    return this.failure ? { ...terminatedStatuses(status), ...this.failure } : status;
  }

  /** Kubelet admission refused the pod: Failed with a reason and message, nothing started. */
  private reject(reason: string, message: string): void {
    this.rejection = { reason, message };
    this.released = true;
    this.writeStatus();
    this.event({ type: 'Warning', reason, message });
  }

  private deadlineExceeded(): void {
    if (this.gone || this.terminating || terminalPhases.has(this.phase)) return;
    const message = 'Pod was active on the node longer than the specified deadline';
    this.event({ type: 'Warning', reason: 'DeadlineExceeded', message });
    const grace = this.pod.spec?.terminationGracePeriodSeconds ?? 30;
    this.ctx.driver
      .deletePod(this.uid, grace)
      .then(() => {
        this.stopped = true;
        this.failure = { reason: 'DeadlineExceeded', message };
        this.released = true;
        this.ctx.ips.release(this.uid);
        this.writeStatus();
      })
      .catch((error) => this.ctx.onError(error));
  }

  /** Graceful deletion: stop within the pod's grace period, write the final status, then delete for good. */
  private terminate(): void {
    const grace = this.pod.metadata.deletionGracePeriodSeconds ?? this.pod.spec?.terminationGracePeriodSeconds ?? 30;
    if (this.terminating) {
      if (this.created) this.ctx.driver.deletePod(this.uid, grace).catch((error) => this.ctx.onError(error));
      return;
    }
    clearTimeout(this.timer);
    this.terminating = (async () => {
      if (this.created && !this.released) {
        await this.ctx.driver.deletePod(this.uid, grace);
        this.stopped = true;
        this.writeStatus();
      }
      await this.ctx.statuses.flush(this.uid);
      this.ctx.ips.release(this.uid);
      await this.deleteForGood();
    })().catch((error) => this.ctx.onError(error));
  }

  private finalDelete(): void {
    this.terminating ??= this.deleteForGood().catch((error) => this.ctx.onError(error));
  }

  private async deleteForGood(): Promise<void> {
    if (this.gone) return;
    const { namespace, name } = this.pod.metadata;
    try {
      await this.ctx.client.delete({ apiVersion: 'v1', kind: 'Pod', namespace }, name!, {
        gracePeriodSeconds: 0,
        preconditions: { uid: this.uid },
      });
    } catch (error: any) {
      if (error?.code !== 404 && error?.code !== 409) throw error;
    }
  }
}
