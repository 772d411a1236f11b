// The process sandbox runtime: each pod a CRI pod sandbox in Skiff's containerd (runc containers, the pod's own
// network namespace on the VPC bridge with the IP the agent chose), images pulled per policy with the kubelet's
// events, containers created with the pod's command, env and cgroup limits, exits found by polling, stops with
// SIGTERM then SIGKILL, usage from ContainerStats.
import { dirname, join } from 'node:path';
import { capacityProvisionedAnnotation } from '../../fargate/sizing.js';
import type { PodContract } from '../contract/contract.js';
import { containerConfigError } from '../contract/errors.js';
import type {
  ContainerLogOptions,
  ContainerLogRef,
  ContainerUsage,
  SandboxEvent,
  SandboxPod,
  StreamRequest,
} from '../driver.js';
import type { PodSandboxConfig } from '../engine/cri/types.js';
import type { ContainerEngine } from '../engine/engine.js';
import type { PullSecret } from '../engine/images/auth.js';
import { PullBackOff } from '../engine/images/backoff.js';
import { imageEvents } from '../engine/images/events.js';
import { ImagePuller } from '../engine/images/puller.js';
import { normalizeImageReference } from '../engine/images/reference.js';
import { statusImageOf } from '../engine/images/status.js';
import {
  type Container,
  type ContainerExit,
  type ImageRef,
  LaunchError,
  type RunningContainer,
  type SandboxRuntime,
} from '../lifecycle/runtime.js';
import { seccompProfileOf } from '../seccomp/choose.js';
import { containerConfig } from './container-config.js';
import { execSync } from './exec.js';
import { ExitWatcher } from './exits.js';
import { LogFiles } from './logs.js';
import { applyPodPidsLimit, podPidsLimit } from './pids.js';
import { type PodSize, parseCapacityProvisioned } from './resources.js';
import { rlimitCapNote } from './rlimits.js';
import { effectiveSecurityContext, runAsNonRootViolation } from './security-context.js';
import { streamUrlOf } from './streams.js';
import { readTerminationLog, removeTerminationLogs } from './termination-log.js';
import { UsageRates } from './usage.js';

export { capacityProvisionedAnnotation };
export const containerIdPrefix = 'containerd://';

export interface ProcessRuntimeOptions {
  /** How often exits are looked for (250 ms). */
  exitPollMs?: number;
  /** The pod's imagePullSecrets, read from the API (kubernetes.io/dockerconfigjson Secrets); none when absent. */
  pullSecrets?: (namespace: string, names: string[]) => Promise<PullSecret[]>;
  onError?: (error: unknown) => void;
  /** The pod contract (env, volumes, hosts, DNS); without it, env is only value and fieldRef, and no volumes. */
  contract?: PodContract;
}

interface PodSandboxState {
  id: string;
  config: PodSandboxConfig;
  size?: PodSize;
}

const bareId = (id: string) => (id.startsWith(containerIdPrefix) ? id.slice(containerIdPrefix.length) : id);

export class ProcessRuntime implements SandboxRuntime {
  /** What this host caps of the pod contract (rlimits), said in each node's Ready condition. */
  readonly readyNote = rlimitCapNote();
  private sandboxes = new Map<string, PodSandboxState>();
  private logFiles = new LogFiles();
  private puller: ImagePuller;
  private exits: ExitWatcher;
  private rates = new UsageRates();
  /** The image ID each container's presence check found (`<pod uid>/<container>`): what the container is made of. */
  private imageIds = new Map<string, string>();
  /** Each container instance's attempt number, by container ID (its termination log is named after it). */
  private attempts = new Map<string, number>();
  private readonly sandboxesDir: string;
  /** The kubelet's seccomp root (`D/seccomp`): Localhost profiles are read from here. */
  private readonly seccompDir: string;

  constructor(
    private engine: ContainerEngine,
    private options: ProcessRuntimeOptions = {},
  ) {
    // The pod lifecycle keeps the kubelet's pull back-off; the puller's own would only double it.
    this.puller = new ImagePuller(engine.cri, new PullBackOff(0, 0));
    const onError = options.onError ?? ((error) => console.error('process runtime:', error));
    this.exits = new ExitWatcher(engine.cri, options.exitPollMs ?? 250, onError);
    this.sandboxesDir = join(dirname(engine.paths.dir), 'sandboxes');
    this.seccompDir = join(dirname(engine.paths.dir), 'seccomp');
  }

  async runSandbox(pod: SandboxPod, _signal: AbortSignal): Promise<void> {
    if (this.sandboxes.has(pod.uid)) return;
    if (!pod.podIP) throw new Error(`pod ${pod.namespace}/${pod.name} has no IP`);
    const setup = await this.options.contract?.setUpSandbox(pod);
    const { id, config } = await this.engine.runPodSandbox({
      name: pod.name,
      namespace: pod.namespace,
      uid: pod.uid,
      ip: pod.podIP,
      hostname: setup?.hostname ?? pod.pod.spec?.hostname ?? pod.name,
      labels: pod.pod.metadata.labels ?? {},
      ...(setup
        ? { dnsConfig: setup.dnsConfig, namespaceOptions: setup.namespaceOptions, privileged: setup.privileged }
        : {}),
    });
    const size = pod.fargate
      ? parseCapacityProvisioned(pod.pod.metadata.annotations?.[capacityProvisionedAnnotation])
      : undefined;
    const pids = podPidsLimit(size);
    if (pids !== undefined) {
      try {
        await applyPodPidsLimit(config.linux?.cgroupParent ?? '', pids);
      } catch (error: any) {
        await this.engine.removePodSandbox(id).catch(() => {});
        throw new Error(`failed to set the pod's pids limit ${pids}: ${error?.message ?? error}`);
      }
    }
    this.sandboxes.set(pod.uid, { id, config, size });
  }

  async removeSandbox(pod: SandboxPod): Promise<void> {
    const sandbox = this.sandboxes.get(pod.uid);
    for (const key of this.imageIds.keys()) if (key.startsWith(`${pod.uid}/`)) this.imageIds.delete(key);
    this.sandboxes.delete(pod.uid);
    if (sandbox) await this.engine.removePodSandbox(sandbox.id);
    await this.options.contract?.tearDown(pod);
    if (sandbox) this.exits.poke();
    await removeTerminationLogs(this.sandboxesDir, pod.uid);
  }

  updatePod(pod: SandboxPod): void {
    this.options.contract?.updatePod(pod);
  }

  async ensureImage(
    pod: SandboxPod,
    container: Container,
    emit: (event: SandboxEvent) => void,
    _signal: AbortSignal,
  ): Promise<ImageRef> {
    const image: string = container.image;
    const names: string[] = (pod.pod.spec?.imagePullSecrets ?? []).map((s: any) => s?.name).filter(Boolean);
    const pullSecrets =
      names.length && this.options.pullSecrets ? await this.options.pullSecrets(pod.namespace, names) : [];
    const result = await this.puller.ensureImage(
      {
        image,
        policy: container.imagePullPolicy,
        pullSecrets,
        backOffKey: `${pod.uid}/${container.name}`,
        sandboxConfig: this.sandboxes.get(pod.uid)?.config,
      },
      emit,
    );
    if (!result.ok) {
      if (result.reason === 'ErrImagePull') {
        throw new LaunchError('ErrImagePull', result.message, 'ImagePullBackOff', imageEvents.backOff(image));
      }
      throw new LaunchError(result.reason, result.message);
    }
    this.imageIds.set(`${pod.uid}/${container.name}`, result.imageRef);
    const status = await this.engine.cri.imageStatus(result.imageRef).catch(() => null);
    return statusImageOf(normalizeImageReference(image), result.imageRef, status);
  }

  async createContainer(pod: SandboxPod, container: Container, attempt: number, _signal: AbortSignal) {
    const sandbox = this.sandboxOf(pod);
    const sc = effectiveSecurityContext(pod, container);
    const imageUser = sc.runAsNonRoot && sc.runAsUser === undefined ? await this.imageUser(container.image) : {};
    const nonRoot = runAsNonRootViolation(pod, container, imageUser);
    if (nonRoot) throw containerConfigError(nonRoot);
    const seccomp = seccompProfileOf(pod, container, this.seccompDir);
    if ('error' in seccomp) throw containerConfigError(seccomp.error);
    await this.removeOldAttempts(sandbox.id, container.name, attempt);
    // As the kubelet: the container is made of the image ID found, so an image removed since fails here, and retries.
    const image = this.imageIds.get(`${pod.uid}/${container.name}`) ?? container.image;
    const setup = await this.options.contract?.setUpContainer(pod, container);
    const config = containerConfig(pod, container, attempt, image, sandbox.size, setup, this.sandboxesDir);
    config.linux = { ...config.linux, securityContext: { ...config.linux?.securityContext, seccomp } };
    try {
      const id = containerIdPrefix + (await this.engine.cri.createContainer(sandbox.id, config, sandbox.config));
      this.logFiles.remember(id, join(sandbox.config.logDirectory ?? '', config.logPath ?? ''));
      this.attempts.set(id, attempt);
      if (this.attempts.size > 20_000) this.attempts.delete(this.attempts.keys().next().value as string);
      return id;
    } catch (error: any) {
      throw new LaunchError('CreateContainerError', error?.details ?? error?.message ?? String(error));
    }
  }

  async startContainer(_pod: SandboxPod, _container: Container, id: string, _signal: AbortSignal) {
    const cri = this.engine.cri;
    try {
      await cri.startContainer(bareId(id));
    } catch (error: any) {
      await cri.removeContainer(bareId(id)).catch(() => {});
      throw new LaunchError('StartError', error?.details ?? error?.message ?? String(error));
    }
    const status = await cri.containerStatus(bareId(id)).catch(() => undefined);
    const startedNs = Number(status?.startedAt ?? 0);
    return {
      id,
      startedAt: startedNs > 0 ? new Date(startedNs / 1e6) : new Date(),
      exited: this.exits.watch(bareId(id)),
    } satisfies RunningContainer;
  }

  async stopContainer(
    pod: SandboxPod,
    _container: Container,
    running: RunningContainer,
    kill: AbortSignal,
  ): Promise<ContainerExit> {
    const id = bareId(running.id);
    const cri = this.engine.cri;
    const spec = Number(pod.pod.spec?.terminationGracePeriodSeconds ?? 30);
    const requested = Number(pod.pod.metadata.deletionGracePeriodSeconds ?? 0);
    // containerd's own SIGKILL only backs up ours: the lifecycle aborts `kill` when the grace period is over.
    const backstop = Math.max(spec, requested, 0) + 2;
    const sigkill = () => {
      cri
        .stopContainer(id, 0)
        .catch(() => {})
        .finally(() => this.exits.poke());
    };
    if (kill.aborted) sigkill();
    else {
      kill.addEventListener('abort', sigkill, { once: true });
      cri
        .stopContainer(id, backstop)
        .catch(() => {})
        .finally(() => this.exits.poke());
    }
    return running.exited.finally(() => kill.removeEventListener('abort', sigkill));
  }

  exec(_pod: SandboxPod, _container: Container, running: RunningContainer, command: string[], timeoutSeconds: number) {
    return execSync(this.engine.cri, bareId(running.id), command, timeoutSeconds);
  }

  /** Pods are reached from inside the VPC namespace, whatever the host's routes say. */
  dial(_pod: SandboxPod, host: string, port: number, timeoutMs: number) {
    return this.engine.dial(host, port, timeoutMs);
  }

  terminationMessage(pod: SandboxPod, container: Container, containerId: string) {
    return readTerminationLog(this.sandboxesDir, pod, container, this.attempts.get(containerId));
  }

  async usage(pod: SandboxPod, running: { container: Container; running: RunningContainer }[]) {
    const sandbox = this.sandboxes.get(pod.uid);
    if (!sandbox) return [];
    const stats = await this.engine.cri.listContainerStats({ podSandboxId: sandbox.id });
    const byId = new Map(stats.map((s) => [s.attributes.id, s]));
    const usage: ContainerUsage[] = [];
    for (const { container, running: r } of running) {
      const s = byId.get(bareId(r.id));
      if (s) usage.push({ name: container.name, ...this.rates.usageOf(bareId(r.id), s, r.startedAt) });
    }
    return usage;
  }

  close(): void {
    this.exits.close();
    this.options.contract?.close();
  }

  /** containerd's stream server URL for the request, as the kubelet asks the CRI for it. */
  streamUrl(request: StreamRequest): Promise<string> {
    return streamUrlOf(this.engine.cri, request, (podUid) => this.sandboxes.get(podUid)?.id);
  }

  /** The image's user, as the kubelet reads it for runAsNonRoot (only asked when that check needs it). */
  private async imageUser(image: string): Promise<{ uid?: number; username?: string }> {
    const status = await this.engine.cri.imageStatus(image).catch(() => null);
    const uid = status?.uid?.value;
    return { uid: uid === undefined || uid === '' ? undefined : Number(uid), username: status?.username || undefined };
  }

  private sandboxOf(pod: SandboxPod): PodSandboxState {
    const sandbox = this.sandboxes.get(pod.uid);
    if (!sandbox) throw new LaunchError('CreateContainerError', `no sandbox for pod ${pod.namespace}/${pod.name}`);
    return sandbox;
  }

  /** The kubelet keeps the last dead instance of a container (for `logs --previous`) and removes older ones. */
  private async removeOldAttempts(sandboxId: string, name: string, attempt: number): Promise<void> {
    const containers = await this.engine.cri.listContainers({ podSandboxId: sandboxId }).catch(() => []);
    for (const c of containers) {
      if (c.metadata.name !== name || c.state !== 'CONTAINER_EXITED' || c.metadata.attempt >= attempt - 1) continue;
      this.rates.forget(c.id);
      await this.engine.cri.removeContainer(c.id).catch(() => {});
    }
  }

  /** The instance's CRI log file, read as `kubectl logs` asks (it outlives the sandbox, as the kubelet's does). */
  logs(ref: ContainerLogRef, options: ContainerLogOptions): AsyncIterable<string> {
    return this.logFiles.read(ref.containerId, options);
  }
}
