// The container primitives a pod lifecycle runs on — a CRI runtime, a micro-VM's agent, or the simulated one: boot
// and remove a sandbox, make sure of an image, create/start/stop a container, probe it. Every wait takes an
// AbortSignal; stopping takes a `kill` signal that turns SIGTERM into SIGKILL when the grace period is over.
import type { Socket } from 'node:net';
import type {
  ContainerLogOptions,
  ContainerLogRef,
  ContainerUsage,
  SandboxEvent,
  SandboxPod,
  StreamRequest,
} from '../driver.js';

/** How a container's main process ended. */
export interface ContainerExit {
  exitCode: number;
  signal?: number;
  /** Completed (0), Error, OOMKilled, StartError… Default: Completed for 0, else Error. */
  reason?: string;
  message?: string;
}

export interface RunningContainer {
  id: string;
  startedAt: Date;
  /** Resolves when the main process exits, by itself or when stopped. */
  exited: Promise<ContainerExit>;
}

export interface ImageRef {
  /** The image as the runtime knows it: docker.io/library/nginx:latest. */
  image: string;
  /** The image ID shown in container statuses: docker.io/library/nginx@sha256:…. */
  imageID: string;
}

/** A container could not be launched; `reason` becomes the waiting reason (ErrImagePull, CreateContainerError…). */
export class LaunchError extends Error {
  constructor(
    readonly reason: string,
    message: string,
    /** Reason shown while waiting to retry (ImagePullBackOff after ErrImagePull). */
    readonly backOffReason?: string,
    /** The event recorded when a retry is held back (BackOff "Back-off pulling image …"). */
    readonly backOffEvent?: SandboxEvent,
    /** The Warning event the failure itself records (Failed "Error: configmap \"x\" not found"). */
    readonly failedEvent?: SandboxEvent,
  ) {
    super(message);
  }
}

/** The sandbox cannot be set up yet (FailedMount…): the event says why; the pod's containers keep waiting. */
export class SandboxSetupError extends Error {
  constructor(readonly event: SandboxEvent) {
    super(event.message);
  }
}

export type Container = { name: string; image: string; [field: string]: any };

/** What a command run in a container (an exec probe or hook) ended with: its exit code and its output. */
export interface ExecResult {
  exitCode: number;
  /** stdout then stderr, as the kubelet reports a probe's or hook's output. */
  output: string;
}

/** The command did not finish within its timeout. */
export class ExecTimeoutError extends Error {}

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

export interface SandboxRuntime {
  /** What the host caps of the pod contract (rlimits), appended to each node's Ready condition message. */
  readonly readyNote?: string;
  runSandbox(pod: SandboxPod, signal: AbortSignal): Promise<void>;
  removeSandbox(pod: SandboxPod): Promise<void>;
  /** The pod changed in the API (labels, annotations). */
  updatePod?(pod: SandboxPod): void;
  /** Pulls per the container's imagePullPolicy, emitting Pulling/Pulled (or their failures); throws LaunchError. */
  ensureImage(
    pod: SandboxPod,
    container: Container,
    emit: (event: SandboxEvent) => void,
    signal: AbortSignal,
  ): Promise<ImageRef>;
  /** Resolves to the new container's ID ("containerd://…"); throws LaunchError. */
  createContainer(pod: SandboxPod, container: Container, attempt: number, signal: AbortSignal): Promise<string>;
  startContainer(pod: SandboxPod, container: Container, id: string, signal: AbortSignal): Promise<RunningContainer>;
  /** Sends SIGTERM now and SIGKILL when `kill` aborts; resolves with the exit. */
  stopContainer(
    pod: SandboxPod,
    container: Container,
    running: RunningContainer,
    kill: AbortSignal,
  ): Promise<ContainerExit>;
  /**
   * Runs `command` in the running container and waits up to `timeoutSeconds` (throws ExecTimeoutError after);
   * exec probes and exec hooks run through it. Absent: exec probes and hooks fail, saying so.
   */
  exec?(
    pod: SandboxPod,
    container: Container,
    running: RunningContainer,
    command: string[],
    timeoutSeconds: number,
  ): Promise<ExecResult>;
  /**
   * A TCP connection to host:port in the pod's network (httpGet, tcpSocket and grpc probes and hooks use it); absent,
   * they connect straight to the pod's IP from the agent.
   */
  dial?(pod: SandboxPod, host: string, port: number, timeoutMs: number): Promise<Socket>;
  /**
   * Answers a probe itself instead of the lifecycle running its handler (a runtime with no real network or
   * processes, like the simulated one).
   */
  probe?(pod: SandboxPod, container: Container, running: RunningContainer, kind: ProbeKind): Promise<boolean>;
  /**
   * What the exited instance wrote to its terminationMessagePath (at most 4096 bytes); undefined when it wrote
   * nothing or the runtime keeps no such file.
   */
  terminationMessage?(pod: SandboxPod, container: Container, containerId: string): Promise<string | undefined>;
  usage(pod: SandboxPod, running: { container: Container; running: RunningContainer }[]): Promise<ContainerUsage[]>;
  /**
   * One container instance's log (ref.containerId is what createContainer returned), lines ending in "\n", prefixed
   * with their RFC 3339 time when asked — src/agent/engine/logs/reader.ts reads CRI files this way. It may outlive
   * the sandbox (logs of a finished Job's pod). With follow, it streams until options.signal aborts: the lifecycle
   * aborts it once that instance has exited (when the runtime's own follow would run on).
   */
  logs?(ref: ContainerLogRef, options: ContainerLogOptions): AsyncIterable<string>;
  /** The runtime's streaming URL for exec/attach/port-forward (the CRI's Exec/Attach/PortForward); absent: none. */
  streamUrl?(request: StreamRequest): Promise<string>;
}
