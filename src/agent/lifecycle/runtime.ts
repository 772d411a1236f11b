// The container primitives a pod lifecycle runs on — a CRI runtime, a micro-VM's agent, or the simulated one: boot
// and remove a sandbox, make sure of an image, create/start/stop a container, probe it. Every wait takes an
// AbortSignal; stopping takes a `kill` signal that turns SIGTERM into SIGKILL when the grace period is over.
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

export interface SandboxRuntime {
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
  /** One readiness or startup probe; absent means every probe succeeds. */
  probe?(
    pod: SandboxPod,
    container: Container,
    running: RunningContainer,
    kind: 'readiness' | 'startup',
  ): Promise<boolean>;
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
