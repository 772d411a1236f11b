// One SandboxDriver made of two, split by where a pod runs as on EKS: Fargate pods to the micro-VM driver (each its
// own kernel), node-group pods to the process driver (EC2 nodes share their kernel among their pods).
import type {
  ContainerLogOptions,
  ContainerLogRef,
  ContainerUsage,
  SandboxDriver,
  SandboxListener,
  SandboxPod,
  StreamRequest,
} from '../driver.js';

export class ComputeSplitDriver implements SandboxDriver {
  readonly name: string;
  readonly readyNote?: string;
  private owner = new Map<string, SandboxDriver>();

  constructor(
    private fargate: SandboxDriver,
    private nodeGroups: SandboxDriver,
  ) {
    this.name = `${fargate.name} (Fargate pods), ${nodeGroups.name} (node-group pods)`;
    const notes = [fargate.readyNote, nodeGroups.readyNote && `node-group pods: ${nodeGroups.readyNote}`];
    this.readyNote = notes.filter(Boolean).join('; ') || undefined;
  }

  private driverOf(pod: SandboxPod): SandboxDriver {
    return pod.fargate ? this.fargate : this.nodeGroups;
  }

  createPod(pod: SandboxPod, listener: SandboxListener): void {
    const driver = this.driverOf(pod);
    this.owner.set(pod.uid, driver);
    driver.createPod(pod, listener);
  }

  updatePod(pod: SandboxPod): void {
    (this.owner.get(pod.uid) ?? this.driverOf(pod)).updatePod(pod);
  }

  async deletePod(uid: string, gracePeriodSeconds: number): Promise<void> {
    const driver = this.owner.get(uid);
    if (!driver) return;
    await driver.deletePod(uid, gracePeriodSeconds);
    this.owner.delete(uid);
  }

  usage(pod: SandboxPod): Promise<ContainerUsage[]> {
    return (this.owner.get(pod.uid) ?? this.driverOf(pod)).usage(pod);
  }

  async *logs(ref: ContainerLogRef, options: ContainerLogOptions): AsyncGenerator<string> {
    const owner = this.owner.get(ref.podUid);
    // A deleted pod's logs: each driver knows only its own instances, so asking both finds them.
    for (const driver of owner ? [owner] : [this.fargate, this.nodeGroups]) {
      if (driver.logs) yield* driver.logs(ref, options);
    }
  }

  streamUrl(request: StreamRequest): Promise<string> {
    const driver = this.owner.get(request.podUid);
    if (!driver?.streamUrl) return Promise.reject(new Error(`pod sandbox of pod ${request.podUid} not found`));
    return driver.streamUrl(request);
  }

  async close(): Promise<void> {
    await Promise.all([this.fargate.close(), this.nodeGroups.close()]);
  }
}
