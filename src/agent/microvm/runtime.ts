// The micro-VM sandbox runtime: each Fargate pod one QEMU micro-VM with exactly its provisioned vCPUs and memory,
// its own guest kernel, and the pod's IP on a tap on the VPC bridge (pod IP = node IP). Images are pulled through
// Skiff's containerd as on the process runtime; each container instance's root is the image's snapshot mounted on
// the host under the pod's 9p share, its volumes bind-mounted beside it; skiff-init in the guest runs it with the
// pod contract's env, user, rlimits and cgroup limits, and reports output (written as CRI logs) and exits.
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fargateRlimits } from '../../fargate/limits.js';
import type { PodContract, SandboxSetup } from '../contract/contract.js';
import type { DnsConfig } from '../contract/dns.js';
import { containerConfigError } from '../contract/errors.js';
import type {
  ContainerLogOptions,
  ContainerLogRef,
  ContainerUsage,
  SandboxEvent,
  SandboxPod,
  StreamRequest,
} from '../driver.js';
import { mountsUnder, processesMentioning } from '../engine/cleanup.js';
import type { ContainerStats } from '../engine/cri/types.js';
import type { ContainerEngine } from '../engine/engine.js';
import { run, tryRun } from '../engine/network/run.js';
import { BRIDGE } from '../engine/network/vpc.js';
import {
  type Container,
  type ContainerExit,
  ExecTimeoutError,
  LaunchError,
  type RunningContainer,
  type SandboxRuntime,
} from '../lifecycle/runtime.js';
import { containerConfig } from '../process/container-config.js';
import { runtimeRequestTimeoutSeconds } from '../process/exec.js';
import { LogFiles } from '../process/logs.js';
import { pidNamespaceOf } from '../process/pid-namespace.js';
import { type PodSize, parseCapacityProvisioned } from '../process/resources.js';
import {
  capacityProvisionedAnnotation,
  containerIdPrefix,
  ProcessRuntime,
  type ProcessRuntimeOptions,
} from '../process/runtime.js';
import { effectiveSecurityContext, runAsNonRootViolation } from '../process/security-context.js';
import { readTerminationLog } from '../process/termination-log.js';
import { UsageRates } from '../process/usage.js';
import { seccompProfileOf } from '../seccomp/choose.js';
import { seccompFilterFor } from '../seccomp/filter.js';
import type { AccelChoice } from './accel.js';
import { capabilityMask, capabilitySet } from './capabilities.js';
import { closeVmCpuGroup, openVmCpuGroup, type VmCpuGroup } from './cpu-group.js';
import { CriLogWriter } from './log-writer.js';
import type { GuestMount, GuestProcess } from './protocol.js';
import { macOf } from './qemu-args.js';
import { imageConfig, mergeEnv, mountRootfs, processArgs, resolveUser, unmountRootfs } from './rootfs.js';
import { StartGate } from './start-gate.js';
import { MicroVmStreams } from './stream-server.js';
import { type TemplateShape, TemplateStore } from './template.js';
import { MicroVm, type VmTemplate, vmFiles } from './vm.js';

export interface GuestImage {
  kernel: string;
  initrd: string;
  accel: AccelChoice;
  /** QEMU's version: a template is QEMU's own saved state, kept per version. */
  qemuVersion: string;
}

export interface MicroVmRuntimeOptions {
  contract?: PodContract;
  pullSecrets?: ProcessRuntimeOptions['pullSecrets'];
  /** Puts what runs a pod on its node (annotations: accelerator, guest kernel). */
  annotateNode?: (nodeName: string, annotations: Record<string, string>) => Promise<void>;
  /** Each booted VM's guest kernel release (the node's nodeInfo.kernelVersion). */
  onKernel?: (nodeName: string, release: string) => void;
  onError?: (error: unknown) => void;
}

export const acceleratorAnnotation = 'skiff.io/microvm-accelerator';
export const guestKernelAnnotation = 'skiff.io/microvm-guest-kernel';
/** Where QEMU's agent-channel sockets live (a unix socket path must stay under 108 bytes). */
export const socketDir = '/run/skiff-microvm';

interface Instance {
  id: string;
  pod: SandboxPod;
  container: Container;
  key: string;
  attempt: number;
  process: GuestProcess;
  log: CriLogWriter;
  guestId?: number;
  exited?: Promise<ContainerExit>;
  /** Output listeners (kubectl attach). */
  listeners: Set<(stream: 1 | 2, data: Buffer) => void>;
  done: boolean;
  finish?: (exit: ContainerExit) => void;
}

interface VmPod {
  pod: SandboxPod;
  vm: MicroVm;
  size: PodSize;
  instances: Map<string, Instance>;
  /** Frees the VM's place in the start gate (its first process runs, or it failed or went). */
  started: () => void;
}

const MiB = 1024 * 1024;

/** The vCPUs of a provisioned size: Fargate's fractions of a vCPU get one. */
export const vcpusOf = (size: PodSize) => Math.max(1, Math.ceil(size.cpuMillis / 1000));

export function resolvConf(dns: DnsConfig): string {
  const lines: string[] = [];
  if (dns.searches.length) lines.push(`search ${dns.searches.join(' ')}`);
  for (const server of dns.servers) lines.push(`nameserver ${server}`);
  if (dns.options.length) lines.push(`options ${dns.options.join(' ')}`);
  return `${lines.join('\n')}\n`;
}

/** cgroup v2 cpu.weight from CRI cpu shares (the runc conversion). */
export const weightOfShares = (shares: number) => Math.floor(1 + ((Math.max(2, shares) - 2) * 9999) / 262142);

const shortHash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);

export class MicroVmRuntime implements SandboxRuntime {
  private pods = new Map<string, VmPod>();
  private instances = new Map<string, Instance>();
  private logFiles = new LogFiles();
  private rates = new UsageRates();
  private attempts = new Map<string, number>();
  private images: ProcessRuntime;
  readonly streams: MicroVmStreams;
  private readonly sandboxesDir: string;
  /** The kubelet's seccomp root (`D/seccomp`): Localhost profiles are read from here. */
  private readonly seccompDir: string;
  private readonly templates: TemplateStore;
  private readonly cpuGroup: VmCpuGroup;
  /** Shapes whose template could not be made: their VMs boot (said once through onError). */
  private readonly untemplated = new Set<string>();
  /** VMs start two per host core at a time (start-gate.ts). */
  private readonly startGate = new StartGate(2 * Math.max(1, availableParallelism()), 3000);

  constructor(
    private engine: ContainerEngine,
    private guest: GuestImage,
    private options: MicroVmRuntimeOptions = {},
  ) {
    this.images = new ProcessRuntime(engine, { pullSecrets: options.pullSecrets, onError: options.onError });
    this.sandboxesDir = join(engine.paths.dir, '..', 'sandboxes');
    this.seccompDir = join(engine.paths.dir, '..', 'seccomp');
    this.streams = new MicroVmStreams({
      session: (podUid) => this.pods.get(podUid)?.vm.session,
      instance: (containerId) => {
        const i = this.instances.get(containerId);
        return i && !i.done && i.guestId !== undefined
          ? { guestId: i.guestId, process: i.process, listeners: i.listeners }
          : undefined;
      },
    });
    mkdirSync(socketDir, { recursive: true });
    this.cpuGroup = openVmCpuGroup();
    if (this.cpuGroup.problem) {
      options.onError?.(new Error(`micro-VMs share the CPU as separate processes: ${this.cpuGroup.problem}`));
    }
    this.templates = new TemplateStore(this.vmHost(), guest.qemuVersion, socketDir);
  }

  /** The shape's template; undefined (the VM boots) when it cannot be made, which is said once per shape. */
  private async templateOf(shape: TemplateShape): Promise<VmTemplate | undefined> {
    const id = `${shape.vcpus} vCPU / ${shape.memoryMiB} MiB`;
    if (this.untemplated.has(id)) return undefined;
    return this.templates.template(shape).catch((error: Error) => {
      if (!this.untemplated.has(id)) {
        this.untemplated.add(id);
        this.options.onError?.(new Error(`micro-VMs of ${id} boot without a template: ${error.message}`));
      }
      return undefined;
    });
  }

  private vmDir(uid: string) {
    return join(this.sandboxesDir, uid, 'vm');
  }

  private filesOf(uid: string) {
    return vmFiles(this.vmDir(uid), join(socketDir, `${shortHash(`${this.sandboxesDir}/${uid}`)}.sock`));
  }

  private tapOf(uid: string) {
    return `vm${shortHash(`${this.sandboxesDir}/${uid}`)}`;
  }

  async runSandbox(pod: SandboxPod, signal: AbortSignal): Promise<void> {
    if (this.pods.has(pod.uid)) return;
    if (!pod.podIP) throw new Error(`pod ${pod.namespace}/${pod.name} has no IP`);
    const size = parseCapacityProvisioned(pod.pod.metadata.annotations?.[capacityProvisionedAnnotation]);
    if (!size) {
      throw new Error(
        `pod ${pod.namespace}/${pod.name} has no ${capacityProvisionedAnnotation} annotation: a micro-VM is sized by it`,
      );
    }
    const setup: SandboxSetup | undefined = await this.options.contract?.setUpSandbox(pod);
    const hostname = setup?.hostname ?? pod.pod.spec?.hostname ?? pod.name;
    const files = this.filesOf(pod.uid);
    await this.cleanUp(pod.uid);
    mkdirSync(join(files.share, 'etc'), { recursive: true });
    writeFileSync(join(files.share, 'etc', 'hostname'), `${hostname}\n`);
    if (setup) writeFileSync(join(files.share, 'etc', 'resolv.conf'), resolvConf(setup.dnsConfig));
    const vpc = this.engine.vpc;
    const shape: TemplateShape = {
      kernel: this.guest.kernel,
      initrd: this.guest.initrd,
      accel: this.guest.accel.accel,
      vcpus: vcpusOf(size),
      memoryMiB: Math.round(size.memoryBytes / MiB),
    };
    const mac = macOf(pod.podIP);
    const boot = (template?: VmTemplate) =>
      MicroVm.boot(
        { ...shape, tap: this.tapOf(pod.uid), mac, name: `skiff-pod-${pod.uid}` },
        {
          ip: `${pod.podIP}/${vpc.prefix}`,
          gateway: vpc.gateway,
          mac,
          hostname,
          timeNs: BigInt(Date.now()) * 1_000_000n,
          seed: randomBytes(32),
        },
        files,
        this.vmHost(),
        template,
      );
    const started = await this.startGate.enter(signal);
    const template = await this.templateOf(shape);
    // A template that does not restore is made again for the next pod; this one boots.
    const { vm, kernelRelease } = await boot(template)
      .catch((error: Error) => {
        if (!template) throw error;
        this.templates.discard(shape);
        this.options.onError?.(new Error(`${error.message}; booting the VM instead`));
        return boot();
      })
      .catch((error) => {
        started();
        throw error;
      });
    const entry: VmPod = { pod, vm, size, instances: new Map(), started };
    this.pods.set(pod.uid, entry);
    vm.ended.then(() => this.vmEnded(entry));
    this.options.onKernel?.(pod.nodeName, kernelRelease);
    this.options
      .annotateNode?.(pod.nodeName, {
        [acceleratorAnnotation]: this.guest.accel.accel,
        [guestKernelAnnotation]: kernelRelease,
      })
      .catch((error) => this.options.onError?.(error));
  }

  /** The VM ended under its containers (guest panic, QEMU killed): each still running exits, saying why. */
  private vmEnded(entry: VmPod): void {
    entry.started();
    if (this.pods.get(entry.pod.uid) !== entry) return;
    const message = `the pod's micro-VM stopped: ${entry.vm.consoleTail()}`;
    for (const instance of entry.instances.values()) {
      instance.finish?.({ exitCode: 137, signal: 9, reason: 'Error', message });
    }
  }

  async removeSandbox(pod: SandboxPod): Promise<void> {
    const entry = this.pods.get(pod.uid);
    this.pods.delete(pod.uid);
    if (entry) {
      entry.started();
      for (const instance of entry.instances.values()) {
        instance.finish?.({ exitCode: 137, signal: 9, reason: 'Error', message: 'the pod sandbox was removed' });
      }
      await entry.vm.stop();
    }
    await this.cleanUp(pod.uid);
    await this.options.contract?.tearDown(pod);
    await this.images.removeSandbox(pod);
  }

  /** Removes what a pod's VM leaves on the host: QEMU, tap, socket, rootfs snapshots, bind mounts, files. */
  private async cleanUp(uid: string): Promise<void> {
    const files = this.filesOf(uid);
    const leftover = await MicroVm.adopt(files, this.vmHost(), this.tapOf(uid)).catch(() => undefined);
    await leftover?.stop(0);
    await tryRun('ip', ['-n', this.engine.vpc.netns, 'link', 'del', this.tapOf(uid)]);
    rmSync(files.socket, { force: true });
    const containers = join(files.share, 'c');
    for (const mount of mountsUnder(containers)) {
      if (mount.split('/').length === containers.split('/').length + 1) {
        await unmountRootfs(this.engine.socketPath, mount);
      }
    }
    for (const mount of mountsUnder(files.dir)) await tryRun('umount', ['-l', mount]);
    if (mountsUnder(files.dir).length === 0) rmSync(files.dir, { recursive: true, force: true });
  }

  private vmHost() {
    const vpc = this.engine.vpc;
    return { netns: vpc.netns, netnsPath: vpc.netnsPath, bridge: BRIDGE, cpuGroup: this.cpuGroup };
  }

  updatePod(pod: SandboxPod): void {
    this.options.contract?.updatePod(pod);
    const entry = this.pods.get(pod.uid);
    if (entry) entry.pod = pod;
  }

  ensureImage(pod: SandboxPod, container: Container, emit: (event: SandboxEvent) => void, signal: AbortSignal) {
    return this.images.ensureImage(pod, container, emit, signal);
  }

  async createContainer(pod: SandboxPod, container: Container, attempt: number, _signal: AbortSignal) {
    const entry = this.pods.get(pod.uid);
    if (!entry) throw new LaunchError('CreateContainerError', `no sandbox for pod ${pod.namespace}/${pod.name}`);
    const cri = this.engine.cri;
    const status = await cri.imageStatus(container.image).catch(() => null);
    if (!status) {
      throw new LaunchError('CreateContainerError', `failed to get image ${container.image}: image not found`);
    }
    const sc = effectiveSecurityContext(pod, container);
    const uidValue = status.uid?.value;
    const nonRoot = runAsNonRootViolation(pod, container, {
      uid: uidValue === undefined || uidValue === '' ? undefined : Number(uidValue),
      username: status.username || undefined,
    });
    if (nonRoot) throw containerConfigError(nonRoot);
    const seccomp = seccompProfileOf(pod, container, this.seccompDir);
    if ('error' in seccomp) throw containerConfigError(seccomp.error);
    const setup = await this.options.contract?.setUpContainer(pod, container);
    const config = containerConfig(pod, container, attempt, status.id, entry.size, setup, this.sandboxesDir);
    const key = `${container.name}-${attempt}`;
    const files = entry.vm.files;
    const root = join(files.share, 'c', key);
    const socket = this.engine.socketPath;
    try {
      await this.unbindMounts(join(files.share, 'm', key));
      await mountRootfs(socket, status.id, root);
      const image = await imageConfig(socket, status.id);
      const args = processArgs(image, config.command, config.args);
      if (!args.length) throw new Error('failed to generate container spec: no command specified');
      const user = resolveUser(root, image.User, sc.runAsUser, sc.runAsGroup, sc.supplementalGroups);
      const mounts = await this.bindMounts(files.share, key, config.mounts ?? []);
      for (const file of ['hostname', 'resolv.conf']) {
        const target = `/etc/${file}`;
        if (!mounts.some((m) => m.target === target) && existsFile(join(files.share, 'etc', file))) {
          mounts.push({ source: `/pod/etc/${file}`, target, readOnly: false });
        }
      }
      const resources = config.linux?.resources ?? {};
      const security = config.linux?.securityContext as
        | {
            capabilities?: { addCapabilities?: string[]; dropCapabilities?: string[] };
            privileged?: boolean;
            readonlyRootfs?: boolean;
            noNewPrivs?: boolean;
          }
        | undefined;
      const capabilityOptions = {
        add: security?.capabilities?.addCapabilities,
        drop: security?.capabilities?.dropCapabilities,
        privileged: security?.privileged,
      };
      const hostname = pod.pod.spec?.hostname ?? pod.name;
      const process: GuestProcess = {
        root: `/pod/c/${key}`,
        args,
        env: mergeEnv([`HOSTNAME=${hostname}`, ...(image.Env ?? [])], config.envs ?? []),
        cwd: config.workingDir || image.WorkingDir || '/',
        ...user,
        tty: Boolean(config.tty),
        stdin: Boolean(config.stdin),
        nofile: [fargateRlimits.nofile.soft, fargateRlimits.nofile.hard],
        nproc: [fargateRlimits.nproc.soft, fargateRlimits.nproc.hard],
        memory: resources.memoryLimitInBytes,
        cpu: resources.cpuQuota ? `${resources.cpuQuota} ${resources.cpuPeriod ?? 100000}` : undefined,
        cpuWeight: resources.cpuShares ? weightOfShares(resources.cpuShares) : undefined,
        capabilities: capabilityMask(capabilityOptions),
        seccomp: seccompFilterFor(seccomp, capabilitySet(capabilityOptions), Boolean(security?.privileged)),
        readOnlyRoot: Boolean(security?.readonlyRootfs),
        pidNamespace: this.pidNamespaceOf(pod, container),
        noNewPrivileges: Boolean(security?.noNewPrivs),
        mounts,
      };
      const logDir = join(this.engine.logsDir, 'pods', `${pod.namespace}_${pod.name}_${pod.uid}`);
      const id = containerIdPrefix + randomBytes(32).toString('hex');
      const instance: Instance = {
        id,
        pod,
        container,
        key,
        attempt,
        process,
        log: new CriLogWriter(join(logDir, config.logPath ?? `${container.name}/${attempt}.log`)),
        listeners: new Set(),
        done: false,
      };
      entry.instances.set(id, instance);
      this.instances.set(id, instance);
      this.logFiles.remember(id, instance.log.path);
      this.attempts.set(id, attempt);
      if (this.attempts.size > 20_000) this.attempts.delete(this.attempts.keys().next().value as string);
      return id;
    } catch (error: any) {
      await this.releaseInstanceFiles(files.share, key);
      if (error instanceof LaunchError) throw error;
      throw new LaunchError('CreateContainerError', error?.message ?? String(error));
    }
  }

  /** shareProcessNamespace: the VM's PID namespace; kubectl debug --target: the target container's. */
  private pidNamespaceOf(pod: SandboxPod, container: Container): GuestProcess['pidNamespace'] {
    const { pid, targetId } = pidNamespaceOf(pod, container);
    if (pid === 'POD') return 'pod';
    if (pid !== 'TARGET') return undefined;
    const target = this.instances.get(containerIdPrefix + targetId);
    if (target?.guestId === undefined || target.done) throw new Error(`target container ${targetId} is not running`);
    return target.guestId;
  }

  /** Each CRI mount's host path bind-mounted under the share (share/m/<instance>/<n>), as the guest will see it. */
  private async bindMounts(
    share: string,
    key: string,
    mounts: { containerPath: string; hostPath: string; readonly?: boolean }[],
  ): Promise<GuestMount[]> {
    const result: GuestMount[] = [];
    for (const [n, mount] of mounts.entries()) {
      const target = join(share, 'm', key, String(n));
      mkdirSync(join(share, 'm', key), { recursive: true });
      if (statSync(mount.hostPath).isDirectory()) mkdirSync(target, { recursive: true });
      else closeSync(openSync(target, 'a'));
      await run('mount', ['--bind', mount.hostPath, target]);
      result.push({ source: `/pod/m/${key}/${n}`, target: mount.containerPath, readOnly: Boolean(mount.readonly) });
    }
    return result;
  }

  private async unbindMounts(dir: string): Promise<void> {
    for (const mount of mountsUnder(dir)) await tryRun('umount', ['-l', mount]);
    rmSync(dir, { recursive: true, force: true });
  }

  private async releaseInstanceFiles(share: string, key: string): Promise<void> {
    await this.unbindMounts(join(share, 'm', key));
    await unmountRootfs(this.engine.socketPath, join(share, 'c', key));
  }

  async startContainer(pod: SandboxPod, _container: Container, id: string, _signal: AbortSignal) {
    const entry = this.pods.get(pod.uid);
    const instance = this.instances.get(id);
    const session = entry?.vm.session;
    if (!entry || !instance || !session || session.isClosed) {
      throw new LaunchError('StartError', `the micro-VM of pod ${pod.namespace}/${pod.name} is not running`);
    }
    let finish!: (exit: ContainerExit) => void;
    const exited = new Promise<ContainerExit>((resolve) => (finish = resolve));
    instance.finish = (exit) => {
      if (instance.done) return;
      instance.done = true;
      instance.log.close();
      this.rates.forget(id);
      entry.instances.delete(id);
      this.releaseInstanceFiles(entry.vm.files.share, instance.key).catch((error) => this.options.onError?.(error));
      finish(exit);
    };
    try {
      const started = await session.start('run', instance.process, {
        output: (stream, data) => {
          instance.log.write(stream === 2 ? 'stderr' : 'stdout', data);
          for (const listener of instance.listeners) listener(stream, data);
        },
        exit: (exit) =>
          instance.finish?.({
            exitCode: exit.exitCode,
            ...(exit.signal ? { signal: exit.signal } : {}),
            ...(exit.oomKilled ? { reason: 'OOMKilled' } : {}),
          }),
      });
      instance.guestId = started.id;
    } catch (error: any) {
      instance.finish({ exitCode: 128, reason: 'StartError', message: error?.message });
      throw new LaunchError(
        'StartError',
        `failed to create containerd task: failed to create shim task: OCI runtime create failed: unable to start container process: ${error?.message ?? error}: unknown`,
      );
    } finally {
      entry.started();
    }
    instance.exited = exited;
    return { id, startedAt: new Date(), exited } satisfies RunningContainer;
  }

  async stopContainer(
    pod: SandboxPod,
    _container: Container,
    running: RunningContainer,
    kill: AbortSignal,
  ): Promise<ContainerExit> {
    const instance = this.instances.get(running.id);
    const session = this.pods.get(pod.uid)?.vm.session;
    if (instance?.guestId !== undefined && session && !instance.done) {
      const sigkill = () => session.signal(instance.guestId!, 9);
      if (kill.aborted) sigkill();
      else {
        kill.addEventListener('abort', sigkill, { once: true });
        session.signal(instance.guestId, 15);
      }
    }
    return running.exited;
  }

  async exec(
    pod: SandboxPod,
    _container: Container,
    running: RunningContainer,
    command: string[],
    timeoutSeconds: number,
  ) {
    const instance = this.instances.get(running.id);
    const session = this.pods.get(pod.uid)?.vm.session;
    if (!instance || instance.guestId === undefined || !session) throw new Error('container not running');
    const chunks: Buffer[] = [];
    let done!: (code: number) => void;
    const exited = new Promise<number>((resolve) => (done = resolve));
    const started = await session.start(
      'exec',
      {
        ...instance.process,
        root: undefined,
        container: instance.guestId,
        args: command,
        tty: false,
        stdin: false,
        mounts: [],
      },
      { output: (_stream, data) => chunks.push(data), exit: (exit) => done(exit.exitCode) },
    );
    // No limit of its own (hooks) still ends with the kubelet's runtime request timeout, as on the process runtime.
    const limit = timeoutSeconds > 0 ? timeoutSeconds : runtimeRequestTimeoutSeconds;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), limit * 1000)));
    const result = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    if (result === 'timeout') {
      session.signal(started.id, 9);
      if (timeoutSeconds > 0) throw new ExecTimeoutError(`command timed out after ${timeoutSeconds}s`);
      throw new Error(`command did not finish within the runtime request timeout (${limit}s)`);
    }
    return { exitCode: result, output: Buffer.concat(chunks).toString() };
  }

  /** Pods are reached from inside the VPC namespace, as on the process runtime. */
  dial(_pod: SandboxPod, host: string, port: number, timeoutMs: number) {
    return this.engine.dial(host, port, timeoutMs);
  }

  terminationMessage(pod: SandboxPod, container: Container, containerId: string) {
    return readTerminationLog(this.sandboxesDir, pod, container, this.attempts.get(containerId));
  }

  /** Each running container's CPU rate and working set, from its cgroup in the guest (metrics-server's view). */
  async usage(pod: SandboxPod, running: { container: Container; running: RunningContainer }[]) {
    const session = this.pods.get(pod.uid)?.vm.session;
    if (!session || session.isClosed) return [];
    const usage: ContainerUsage[] = [];
    for (const { container, running: r } of running) {
      const guestId = this.instances.get(r.id)?.guestId;
      if (guestId === undefined) continue;
      const stats = await session.stats(guestId);
      const cri = {
        cpu: { timestamp: String(Date.now() * 1e6), usageCoreNanoSeconds: { value: String(stats.cpuNs) } },
        memory: { workingSetBytes: { value: String(stats.workingSetBytes) } },
      } as unknown as ContainerStats;
      usage.push({ name: container.name, ...this.rates.usageOf(r.id, cri, r.startedAt) });
    }
    return usage;
  }

  logs(ref: ContainerLogRef, options: ContainerLogOptions): AsyncIterable<string> {
    return this.logFiles.read(ref.containerId, options);
  }

  streamUrl(request: StreamRequest): Promise<string> {
    return this.streams.url(request);
  }

  async close(): Promise<void> {
    this.images.close();
    await this.streams.close();
    this.options.contract?.close();
  }

  /**
   * Removes the VMs a previous agent left running (and their taps, sockets, mounts): their pods' containers are
   * reported gone and started again, as the process runtime does with containerd's leftover sandboxes.
   */
  async removeLeftovers(): Promise<void> {
    let uids: string[] = [];
    try {
      uids = readdirSync(this.sandboxesDir).filter((uid) => existsSync(join(this.sandboxesDir, uid, 'vm')));
    } catch {}
    for (const uid of uids) await this.cleanUp(uid);
    // QEMUs whose pid file is gone: found by the share path on their command line.
    for (const pid of processesMentioning(`${this.sandboxesDir}/`)) {
      try {
        if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('qemu-system')) process.kill(pid, 'SIGKILL');
      } catch {}
    }
  }

  /** Stops every VM and removes what each left (the agent is stopping for good). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.pods.values()].map((entry) => this.removeSandbox(entry.pod).catch(() => {})));
    closeVmCpuGroup(this.cpuGroup);
    try {
      rmdirSync(socketDir); // only when no other Skiff's VM has a socket there
    } catch {}
  }
}

function existsFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
