// The node's container engine: starts Skiff's own containerd (config, VPC network namespace, CNI, registry hosts,
// pause image) and hands out a CRI client plus the pod-level helpers the agent needs; stop() removes every pod and
// every trace of it (processes, mounts, cgroups, interfaces, namespaces).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { effectiveRlimits } from '../process/rlimits.js';
import { writeBaseRuntimeSpec } from './containerd/base-spec.js';
import { renderContainerdConfig } from './containerd/config.js';
import { type ImportedImage, importImages } from './containerd/import.js';
import { ContainerdSupervisor } from './containerd/supervisor.js';
import { CriClient } from './cri/client.js';
import type { NamespaceOption, PodSandboxConfig } from './cri/types.js';
import { buildPauseImage, PAUSE_IMAGE } from './images/pause.js';
import { removeLeftoverSandboxes } from './leftovers.js';
import { type RotateOptions, startLogRotation } from './logs/rotate.js';
import { contains, parseCidr } from './network/cidr.js';
import { assignPodIp, releasePodIp, writeCniConfig } from './network/cni.js';
import { VpcDialer } from './network/dialer.js';
import { setUpVpcNetwork, type VpcNetwork } from './network/vpc.js';
import { type EnginePaths, enginePaths } from './paths.js';
import { writeRegistryHosts } from './registries/registries.js';
import { cleanAfterStop } from './stop.js';

export interface ContainerEngineOptions {
  /** Skiff's data dir D: containerd lives in D/containerd, mirrors come from D/registries.yaml, logs go to D/logs. */
  dataDir: string;
  /** The VPC's CIDR; pod IPs must be inside it (default 10.0.0.0/16). */
  vpcCidr?: string;
  /** One veth from the host's namespace into the VPC, with a route to the VPC CIDR (default true). */
  hostLink?: boolean;
  registriesPath?: string;
  logsDir?: string;
  /** Size-based rotation of the containers' CRI logs (kubelet defaults: 10 MiB, 5 files); false turns it off. */
  logRotation?: (RotateOptions & { intervalMs?: number }) | false;
  onRestart?: (info: { pid: number; restarts: number; exit: string }) => void;
  onError?: (error: Error) => void;
}

export interface PodSandboxRequest {
  name: string;
  namespace: string;
  uid: string;
  /** The pod's IP in the VPC. */
  ip: string;
  hostname?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  attempt?: number;
  /** resolv.conf for the pod (the kubelet's DNSConfig); absent: containerd's default. */
  dnsConfig?: PodSandboxConfig['dnsConfig'];
  /** The pod's namespaces: its own (POD) unless it shares the node's (hostNetwork, hostPID, hostIPC). */
  namespaceOptions?: NamespaceOption;
  privileged?: boolean;
}

export interface ContainerEngine {
  socketPath: string;
  cri: CriClient;
  paths: EnginePaths;
  vpc: VpcNetwork;
  logsDir: string;
  sandboxImage: string;
  supervisor: ContainerdSupervisor;
  /** The CRI config of a pod sandbox: metadata, log dir D/logs/pods/<ns>_<name>_<uid>, Skiff's cgroup parent. */
  sandboxConfig(request: PodSandboxRequest): PodSandboxConfig;
  /** Assigns the pod its IP and runs its sandbox; resolves to the sandbox ID. */
  runPodSandbox(request: PodSandboxRequest): Promise<{ id: string; config: PodSandboxConfig }>;
  /** Stops and removes the sandbox (and its containers) and releases its IP. Idempotent. */
  removePodSandbox(id: string): Promise<void>;
  /** Imports an OCI layout dir, OCI archive or docker archive; resolves to the images created. */
  importImages(source: string, baseName?: string): Promise<ImportedImage[]>;
  /** A TCP connection to host:port made from inside the VPC namespace (probes and hooks reach pods this way). */
  dial(host: string, port: number, timeoutMs: number): Promise<Socket>;
  /** Removes every pod, stops containerd and removes the VPC namespace, host link, mounts and cgroups. */
  stop(): Promise<void>;
}

export async function startContainerEngine(options: ContainerEngineOptions): Promise<ContainerEngine> {
  const dataDir = options.dataDir;
  const paths = enginePaths(join(dataDir, 'containerd'));
  const logsDir = options.logsDir ?? join(dataDir, 'logs');
  for (const dir of [paths.dir, paths.root, paths.state, paths.runcRoot, paths.opt, logsDir]) {
    mkdirSync(dir, { recursive: true });
  }
  writeRegistryHosts(options.registriesPath ?? join(dataDir, 'registries.yaml'), paths.certsDir);
  const vpc = await setUpVpcNetwork(paths, options.vpcCidr ?? '10.0.0.0/16', options.hostLink ?? true);
  writeCniConfig(paths, vpc);
  const baseRuntimeSpec = join(paths.dir, 'base-runtime-spec.json');
  writeBaseRuntimeSpec(baseRuntimeSpec, effectiveRlimits());
  writeFileSync(paths.config, renderContainerdConfig({ paths, sandboxImage: PAUSE_IMAGE, baseRuntimeSpec }));
  const supervisor = new ContainerdSupervisor({
    paths,
    onRestart: options.onRestart,
    onError: options.onError,
  });
  await supervisor.start();
  const cri = new CriClient(paths.socket);
  try {
    if (!(await cri.imageStatus(PAUSE_IMAGE))) {
      const layout = join(paths.images, 'pause');
      rmSync(layout, { recursive: true, force: true });
      buildPauseImage(layout);
      await importImages(paths.socket, layout);
    }
  } catch (error) {
    cri.close();
    await supervisor.stop();
    throw error;
  }
  const cidr = parseCidr(vpc.cidr);
  const dialer = new VpcDialer(paths.netns, join(paths.dir, 'vpc-dialer.sock'));
  const stopRotation = options.logRotation === false ? () => {} : startLogRotation(cri, options.logRotation ?? {});

  const sandboxConfig = (r: PodSandboxRequest): PodSandboxConfig => ({
    metadata: { name: r.name, namespace: r.namespace, uid: r.uid, attempt: r.attempt ?? 0 },
    hostname: r.hostname ?? r.name,
    ...(r.dnsConfig ? { dnsConfig: r.dnsConfig } : {}),
    logDirectory: join(logsDir, 'pods', `${r.namespace}_${r.name}_${r.uid}`),
    labels: {
      ...r.labels,
      'io.kubernetes.pod.name': r.name,
      'io.kubernetes.pod.namespace': r.namespace,
      'io.kubernetes.pod.uid': r.uid,
    },
    annotations: { ...r.annotations, 'skiff.io/pod-ip': r.ip },
    linux: {
      cgroupParent: `${paths.cgroupParent}/pod${r.uid}`,
      securityContext: {
        namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD', ...r.namespaceOptions },
        ...(r.privileged ? { privileged: true } : {}),
      },
    },
  });

  const engine: ContainerEngine = {
    socketPath: paths.socket,
    cri,
    paths,
    vpc,
    logsDir,
    sandboxImage: PAUSE_IMAGE,
    supervisor,
    sandboxConfig,
    async runPodSandbox(request) {
      if (!contains(cidr, request.ip)) throw new Error(`pod IP ${request.ip} is outside the VPC ${vpc.cidr}`);
      const config = sandboxConfig(request);
      mkdirSync(config.logDirectory!, { recursive: true });
      assignPodIp(paths, vpc, request.namespace, request.name, request.ip);
      const id = await cri.runPodSandbox(config);
      return { id, config };
    },
    async removePodSandbox(id) {
      let metadata: { name: string; namespace: string } | undefined;
      try {
        metadata = (await cri.podSandboxStatus(id)).status.metadata;
      } catch {}
      await cri.stopPodSandbox(id).catch(() => {});
      await cri.removePodSandbox(id);
      if (metadata) releasePodIp(paths, metadata.namespace, metadata.name);
    },
    importImages: (source, baseName) => importImages(paths.socket, source, { baseName }),
    dial: (host, port, timeoutMs) => dialer.dial(host, port, timeoutMs),
    async stop() {
      stopRotation();
      dialer.stop();
      try {
        const sandboxes = await cri.listPodSandbox().catch(() => []);
        await Promise.all(sandboxes.map((s) => engine.removePodSandbox(s.id).catch(() => {})));
      } finally {
        cri.close();
        await supervisor.stop();
        await cleanAfterStop(paths);
      }
    },
  };
  try {
    await removeLeftoverSandboxes(cri, (id) => engine.removePodSandbox(id));
  } catch (error) {
    await engine.stop();
    throw error;
  }
  return engine;
}
