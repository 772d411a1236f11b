// A CRI v1 client over containerd's unix socket: one method per RPC, each with a deadline, every failure a CriError.
// The wire contract is api.proto beside this file (loaded at run time, shipped as data).
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { CriError } from './errors.js';
import type {
  AuthConfig,
  Container,
  ContainerConfig,
  ContainerState,
  ContainerStats,
  ContainerStatus,
  ExecSyncResult,
  FilesystemUsage,
  Image,
  Labels,
  PodSandbox,
  PodSandboxConfig,
  PodSandboxStatus,
  RuntimeCondition,
  SandboxState,
} from './types.js';

const protoPath = fileURLToPath(new URL('./api.proto', import.meta.url));
let loaded: grpc.GrpcObject | undefined;

function runtimePackage(): any {
  loaded ??= grpc.loadPackageDefinition(
    protoLoader.loadSync(protoPath, { longs: String, enums: String, defaults: true, oneofs: true, bytes: Buffer }),
  );
  return (loaded.runtime as grpc.GrpcObject).v1;
}

export interface CriClientOptions {
  /** Default deadline of every call, in ms (30 s). */
  timeoutMs?: number;
  /** Deadline of PullImage, in ms (10 min). */
  pullTimeoutMs?: number;
}

export class CriClient {
  private readonly runtime: grpc.Client;
  private readonly images: grpc.Client;
  private readonly timeoutMs: number;
  private readonly pullTimeoutMs: number;

  constructor(
    readonly socketPath: string,
    options: CriClientOptions = {},
  ) {
    const pkg = runtimePackage();
    const address = `unix://${socketPath}`;
    const credentials = grpc.credentials.createInsecure();
    const channelOptions = { 'grpc.max_receive_message_length': 64 * 1024 * 1024 };
    this.runtime = new pkg.RuntimeService(address, credentials, channelOptions);
    this.images = new pkg.ImageService(address, credentials, channelOptions);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.pullTimeoutMs = options.pullTimeoutMs ?? 600_000;
  }

  close(): void {
    this.runtime.close();
    this.images.close();
  }

  private call<T>(client: grpc.Client, rpc: string, request: object, timeoutMs = this.timeoutMs): Promise<T> {
    const method = (client as any)[rpc] as (...args: unknown[]) => void;
    return new Promise<T>((resolve, reject) => {
      method.call(
        client,
        request,
        { deadline: Date.now() + timeoutMs },
        (error: grpc.ServiceError | null, reply: T) => {
          if (error) reject(CriError.from(rpc, error, timeoutMs));
          else resolve(reply);
        },
      );
    });
  }

  private rt<T>(rpc: string, request: object, timeoutMs?: number): Promise<T> {
    return this.call<T>(this.runtime, rpc, request, timeoutMs);
  }

  private img<T>(rpc: string, request: object, timeoutMs?: number): Promise<T> {
    return this.call<T>(this.images, rpc, request, timeoutMs);
  }

  // --- runtime

  version(): Promise<{ version: string; runtimeName: string; runtimeVersion: string; runtimeApiVersion: string }> {
    return this.rt('Version', { version: 'v1' });
  }

  async status(): Promise<RuntimeCondition[]> {
    const reply = await this.rt<{ status: { conditions: RuntimeCondition[] } | null }>('Status', {});
    return reply.status?.conditions ?? [];
  }

  async runPodSandbox(config: PodSandboxConfig, runtimeHandler = '', timeoutMs?: number): Promise<string> {
    const reply = await this.rt<{ podSandboxId: string }>('RunPodSandbox', { config, runtimeHandler }, timeoutMs);
    return reply.podSandboxId;
  }

  async stopPodSandbox(podSandboxId: string): Promise<void> {
    await this.rt('StopPodSandbox', { podSandboxId });
  }

  async removePodSandbox(podSandboxId: string): Promise<void> {
    await this.rt('RemovePodSandbox', { podSandboxId });
  }

  async podSandboxStatus(podSandboxId: string): Promise<{ status: PodSandboxStatus; info: Labels }> {
    return this.rt('PodSandboxStatus', { podSandboxId, verbose: true });
  }

  async listPodSandbox(
    filter: { id?: string; state?: SandboxState; labelSelector?: Labels } = {},
  ): Promise<PodSandbox[]> {
    const request = { filter: { ...filter, state: filter.state ? { state: filter.state } : undefined } };
    const reply = await this.rt<{ items: PodSandbox[] }>('ListPodSandbox', request);
    return reply.items;
  }

  async createContainer(
    podSandboxId: string,
    config: ContainerConfig,
    sandboxConfig: PodSandboxConfig,
  ): Promise<string> {
    const reply = await this.rt<{ containerId: string }>('CreateContainer', { podSandboxId, config, sandboxConfig });
    return reply.containerId;
  }

  async startContainer(containerId: string): Promise<void> {
    await this.rt('StartContainer', { containerId });
  }

  /** Stops with `timeoutSeconds` of grace before SIGKILL; the call's own deadline allows for it. */
  async stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    await this.rt('StopContainer', { containerId, timeout: timeoutSeconds }, this.timeoutMs + timeoutSeconds * 1000);
  }

  async removeContainer(containerId: string): Promise<void> {
    await this.rt('RemoveContainer', { containerId });
  }

  async listContainers(
    filter: { id?: string; podSandboxId?: string; state?: ContainerState; labelSelector?: Labels } = {},
  ): Promise<Container[]> {
    const request = { filter: { ...filter, state: filter.state ? { state: filter.state } : undefined } };
    const reply = await this.rt<{ containers: Container[] }>('ListContainers', request);
    return reply.containers;
  }

  async containerStatus(containerId: string): Promise<ContainerStatus> {
    const reply = await this.rt<{ status: ContainerStatus }>('ContainerStatus', { containerId });
    return reply.status;
  }

  async reopenContainerLog(containerId: string): Promise<void> {
    await this.rt('ReopenContainerLog', { containerId });
  }

  /** Runs `cmd` in the container; `timeoutSeconds` 0 means no limit inside the runtime. */
  execSync(containerId: string, cmd: string[], timeoutSeconds = 10): Promise<ExecSyncResult> {
    const deadline = this.timeoutMs + timeoutSeconds * 1000;
    return this.rt('ExecSync', { containerId, cmd, timeout: timeoutSeconds }, deadline);
  }

  async exec(request: {
    containerId: string;
    cmd: string[];
    tty?: boolean;
    stdin?: boolean;
    stdout?: boolean;
    stderr?: boolean;
  }): Promise<string> {
    return (await this.rt<{ url: string }>('Exec', request)).url;
  }

  async attach(request: {
    containerId: string;
    tty?: boolean;
    stdin?: boolean;
    stdout?: boolean;
    stderr?: boolean;
  }): Promise<string> {
    return (await this.rt<{ url: string }>('Attach', request)).url;
  }

  async portForward(podSandboxId: string, ports: number[]): Promise<string> {
    return (await this.rt<{ url: string }>('PortForward', { podSandboxId, port: ports })).url;
  }

  async containerStats(containerId: string): Promise<ContainerStats> {
    return (await this.rt<{ stats: ContainerStats }>('ContainerStats', { containerId })).stats;
  }

  async listContainerStats(filter: { id?: string; podSandboxId?: string } = {}): Promise<ContainerStats[]> {
    return (await this.rt<{ stats: ContainerStats[] }>('ListContainerStats', { filter })).stats;
  }

  // --- images

  async imageStatus(image: string): Promise<Image | null> {
    const reply = await this.img<{ image: Image | null }>('ImageStatus', { image: { image } });
    return reply.image?.id ? reply.image : null;
  }

  /** Pulls `image` (with registry credentials when given); resolves to the image's ID (sha256:… of its config). */
  async pullImage(image: string, auth?: AuthConfig, sandboxConfig?: PodSandboxConfig): Promise<string> {
    const reply = await this.img<{ imageRef: string }>(
      'PullImage',
      { image: { image }, auth, sandboxConfig },
      this.pullTimeoutMs,
    );
    return reply.imageRef;
  }

  async listImages(image?: string): Promise<Image[]> {
    const reply = await this.img<{ images: Image[] }>('ListImages', { filter: image ? { image: { image } } : {} });
    return reply.images;
  }

  async removeImage(image: string): Promise<void> {
    await this.img('RemoveImage', { image: { image } });
  }

  async imageFsInfo(): Promise<FilesystemUsage[]> {
    return (await this.img<{ imageFilesystems: FilesystemUsage[] }>('ImageFsInfo', {})).imageFilesystems;
  }
}
