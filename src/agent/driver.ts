// The sandbox driver interface, in the manner of virtual-kubelet's provider: what the agent asks of whatever runs a
// pod (simulated timers, CRI containers on containerd, a QEMU micro-VM). The agent owns every API write; the driver
// owns what happens inside the sandbox and reports it through the listener it is given with each pod.
import type { KubeObject } from '../kube/api/types.js';

/** A pod as the driver sees it: who it is, where it runs, its addresses, and the pod object itself. */
export interface SandboxPod {
  uid: string;
  namespace: string;
  name: string;
  nodeName: string;
  /** On a Fargate node: one pod per micro-VM, nothing shared with other pods. */
  fargate: boolean;
  podIP: string;
  hostIP: string;
  /** The pod as last seen in the API: spec, labels, annotations (kept current through updatePod). */
  pod: KubeObject;
}

export type ContainerState =
  | { waiting: { reason: string; message?: string } }
  | { running: { startedAt: string } }
  | {
      terminated: {
        exitCode: number;
        signal?: number;
        reason: string;
        message?: string;
        startedAt?: string;
        finishedAt: string;
        containerID?: string;
      };
    };

/** One container's status, in the shape of the API's ContainerStatus. */
export interface ContainerStatus {
  name: string;
  state: ContainerState;
  lastState: ContainerState | Record<string, never>;
  ready: boolean;
  restartCount: number;
  image: string;
  imageID: string;
  containerID?: string;
  started?: boolean;
}

/** Everything the driver knows about a pod's sandbox at one moment. */
export interface SandboxStatus {
  /** The sandbox runs and its network is up (the PodReadyToStartContainers condition). */
  sandboxReady: boolean;
  initContainerStatuses: ContainerStatus[];
  containerStatuses: ContainerStatus[];
  /** Containers kubectl debug added (absent: none). */
  ephemeralContainerStatuses?: ContainerStatus[];
}

/** An event about the pod, or about one of its containers (the agent sets fieldPath and writes it). */
export interface SandboxEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  container?: { name: string; init?: boolean };
}

export interface SandboxListener {
  status(status: SandboxStatus): void;
  event(event: SandboxEvent): void;
}

/** Usage of one running container, as Kubernetes quantities (metrics.k8s.io). */
export interface ContainerUsage {
  name: string;
  cpu: string;
  memory: string;
}

/** One container instance whose log is asked for: the pod, the container's name and the instance's ID. */
export interface ContainerLogRef {
  podUid: string;
  namespace: string;
  podName: string;
  container: string;
  /** The instance, as the container status shows it ("containerd://…"). */
  containerId: string;
}

/** What `kubectl logs` asks of one container instance (limitBytes is applied by whoever serves the bytes). */
export interface ContainerLogOptions {
  tailLines?: number;
  /** Only lines written at or after this time (ms since the epoch). */
  sinceMs?: number;
  /** Each line prefixed with its RFC 3339 time (nanoseconds) and a space. */
  timestamps?: boolean;
  /** Keep streaming new lines until the instance has exited (or `signal` aborts). */
  follow?: boolean;
  signal?: AbortSignal;
}

/** What kubectl exec, attach and port-forward ask of a pod: served by the runtime's stream server (CRI streaming). */
export type StreamRequest =
  | {
      verb: 'exec';
      podUid: string;
      /** The running instance ("containerd://…"). */
      containerId: string;
      command: string[];
      stdin: boolean;
      stdout: boolean;
      stderr: boolean;
      tty: boolean;
    }
  | {
      verb: 'attach';
      podUid: string;
      containerId: string;
      stdin: boolean;
      stdout: boolean;
      stderr: boolean;
      tty: boolean;
    }
  | { verb: 'portforward'; podUid: string; ports: number[] };

export interface SandboxDriver {
  readonly name: string;
  /** What the host caps of the pod contract, appended to each node's Ready condition message (never silent). */
  readonly readyNote?: string;
  /** Starts the pod (sandbox, images, init containers, containers, restarts, probes); returns at once. */
  createPod(pod: SandboxPod, listener: SandboxListener): void;
  /** The pod changed in the API (annotations, labels). */
  updatePod(pod: SandboxPod): void;
  /**
   * Stops every container — SIGTERM, then SIGKILL once `gracePeriodSeconds` have passed — and removes the sandbox;
   * resolves when it is gone, after reporting the final status. A second call may shorten the grace period.
   * Also how the agent releases the sandbox of a pod whose containers have all finished. Unknown uid: no-op.
   */
  deletePod(uid: string, gracePeriodSeconds: number): Promise<void>;
  /** Usage of each running container of the pod. */
  usage(pod: SandboxPod): Promise<ContainerUsage[]>;
  /**
   * The log of one container instance of a pod this driver ran, as `kubectl logs` shows it: chunks of whole lines,
   * each ending in a newline. With follow it ends once that instance has exited. Absent: no logs are kept.
   */
  logs?(ref: ContainerLogRef, options: ContainerLogOptions): AsyncIterable<string>;
  /**
   * The URL of a stream server that serves this exec/attach/port-forward (SPDY or WebSocket upgrades, as the CRI's
   * streaming server). Absent: this driver cannot stream, and the agent says so naming the driver.
   */
  streamUrl?(request: StreamRequest): Promise<string>;
  /** Stops everything at once (the agent is stopping). */
  close(): Promise<void>;
}
