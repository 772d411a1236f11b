// TypeScript shapes of the CRI v1 messages Skiff sends and reads (camelCase, as @grpc/proto-loader decodes them;
// int64 fields arrive as decimal strings, enums as their names).
export type Labels = Record<string, string>;

export interface PodSandboxMetadata {
  name: string;
  uid: string;
  namespace: string;
  attempt?: number;
}

export interface NamespaceOption {
  network?: 'POD' | 'CONTAINER' | 'NODE' | 'TARGET';
  pid?: 'POD' | 'CONTAINER' | 'NODE' | 'TARGET';
  ipc?: 'POD' | 'CONTAINER' | 'NODE' | 'TARGET';
  targetId?: string;
}

export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  hostname?: string;
  logDirectory?: string;
  dnsConfig?: { servers?: string[]; searches?: string[]; options?: string[] };
  portMappings?: { protocol?: 'TCP' | 'UDP' | 'SCTP'; containerPort: number; hostPort?: number; hostIp?: string }[];
  labels?: Labels;
  annotations?: Labels;
  linux?: {
    cgroupParent?: string;
    securityContext?: { namespaceOptions?: NamespaceOption; privileged?: boolean };
    sysctls?: Labels;
  };
}

export interface AuthConfig {
  username?: string;
  password?: string;
  auth?: string;
  serverAddress?: string;
  identityToken?: string;
  registryToken?: string;
}

export interface CriMount {
  containerPath: string;
  hostPath: string;
  readonly?: boolean;
  selinuxRelabel?: boolean;
  propagation?: 'PROPAGATION_PRIVATE' | 'PROPAGATION_HOST_TO_CONTAINER' | 'PROPAGATION_BIDIRECTIONAL';
}

export interface ContainerConfig {
  metadata: { name: string; attempt?: number };
  image: { image: string };
  command?: string[];
  args?: string[];
  workingDir?: string;
  envs?: { key: string; value: string }[];
  mounts?: CriMount[];
  labels?: Labels;
  annotations?: Labels;
  logPath?: string;
  stdin?: boolean;
  stdinOnce?: boolean;
  tty?: boolean;
  linux?: {
    resources?: {
      cpuPeriod?: number;
      cpuQuota?: number;
      cpuShares?: number;
      memoryLimitInBytes?: number;
      oomScoreAdj?: number;
    };
    securityContext?: {
      capabilities?: { addCapabilities?: string[]; dropCapabilities?: string[] };
      privileged?: boolean;
      namespaceOptions?: NamespaceOption;
      runAsUser?: { value: number };
      runAsGroup?: { value: number };
      supplementalGroups?: number[];
      readonlyRootfs?: boolean;
      noNewPrivs?: boolean;
      seccomp?: SecurityProfile;
    };
  };
}

export type SandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';

export interface PodSandbox {
  id: string;
  metadata: PodSandboxMetadata;
  state: SandboxState;
  createdAt: string;
  labels: Labels;
  annotations: Labels;
  runtimeHandler: string;
}

export interface PodSandboxStatus extends PodSandbox {
  network: { ip: string; additionalIps: { ip: string }[] } | null;
}

export interface Container {
  id: string;
  podSandboxId: string;
  metadata: { name: string; attempt: number };
  image: { image: string };
  imageRef: string;
  state: ContainerState;
  createdAt: string;
  labels: Labels;
  annotations: Labels;
}

export interface ContainerStatus {
  id: string;
  metadata: { name: string; attempt: number };
  state: ContainerState;
  createdAt: string;
  startedAt: string;
  finishedAt: string;
  exitCode: number;
  image: { image: string };
  imageRef: string;
  reason: string;
  message: string;
  labels: Labels;
  annotations: Labels;
  logPath: string;
}

export interface Image {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: string;
  uid: { value: string } | null;
  username: string;
}

export interface ContainerStats {
  attributes: { id: string; metadata: { name: string; attempt: number }; labels: Labels; annotations: Labels };
  cpu: { timestamp: string; usageCoreNanoSeconds: { value: string } | null } | null;
  memory: { timestamp: string; workingSetBytes: { value: string } | null } | null;
  writableLayer: { usedBytes: { value: string } | null; inodesUsed: { value: string } | null } | null;
}

export interface FilesystemUsage {
  timestamp: string;
  fsId: { mountpoint: string } | null;
  usedBytes: { value: string } | null;
  inodesUsed: { value: string } | null;
}

export interface ExecSyncResult {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number;
}

export interface RuntimeCondition {
  type: string;
  status: boolean;
  reason: string;
  message: string;
}

/** CRI's SecurityProfile: which seccomp filter the runtime installs (Localhost names a JSON profile on the host). */
export interface SecurityProfile {
  profileType: 'RuntimeDefault' | 'Unconfined' | 'Localhost';
  localhostRef?: string;
}
