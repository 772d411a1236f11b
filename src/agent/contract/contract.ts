// The pod contract, implemented once for every real sandbox driver: what a pod's spec promises beyond its
// processes — the environment (env, envFrom, downward API, service links), volumes (materialised under
// D/sandboxes/<pod-uid>/ and kept current while the pod runs: ConfigMap and Secret changes, labels, token
// refresh), /etc/hosts, hostname, DNS per dnsPolicy, and the host namespaces a node-group pod may share with its
// node. A driver asks for the sandbox's setup before it boots one and for each container's before creating it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SandboxEvent, SandboxPod } from '../driver.js';
import { mountsUnder, unmountAll } from '../engine/cleanup.js';
import type { CriMount } from '../engine/cri/types.js';
import type { Container } from '../lifecycle/runtime.js';
import { SandboxSetupError } from '../lifecycle/runtime.js';
import { type DnsConfig, defaultClusterDns, hostDnsConfig, podDnsConfig } from './dns.js';
import { resolveEnv } from './env.js';
import type { Allocatable } from './fields.js';
import { etcHostsContent, podHostname } from './hosts.js';
import { containerMounts } from './mounts.js';
import { type ContractReader, memoReader } from './reader.js';
import { PodVolumes } from './volumes/pod-volumes.js';

export interface PodContractOptions {
  reader: ContractReader;
  /** Where pods' volumes and hosts files live: D/sandboxes. */
  sandboxesDir: string;
  /** Records an event about a pod (InvalidEnvironmentVariableNames, FailedMount on a later refresh). */
  record?: (pod: SandboxPod, event: SandboxEvent) => void;
  /** How often written volumes are brought up to date with their sources (2 s). */
  refreshMs?: number;
  onError?: (error: unknown) => void;
}

type NamespaceMode = 'POD' | 'CONTAINER' | 'NODE';

/**
 * The kubelet enforces a disk emptyDir's sizeLimit by evicting the pod; Skiff does not evict yet, so it says so for
 * each such volume rather than ignore the field (a `medium: Memory` limit is the tmpfs size, enforced).
 */
export function unenforcedSizeLimits(pod: SandboxPod): SandboxEvent[] {
  return (pod.pod.spec?.volumes ?? [])
    .filter((v: any) => v?.emptyDir?.sizeLimit !== undefined && v.emptyDir.medium !== 'Memory')
    .map((v: any) => ({
      type: 'Warning' as const,
      reason: 'SizeLimitNotEnforced',
      message: `emptyDir volume "${v.name}": sizeLimit ${v.emptyDir.sizeLimit} on disk is not enforced (no eviction on this node)`,
    }));
}

export interface SandboxSetup {
  hostname: string;
  dnsConfig: DnsConfig;
  namespaceOptions: { network: NamespaceMode; pid: NamespaceMode; ipc: NamespaceMode };
  /** Some container of the pod is privileged (the sandbox must allow it). */
  privileged: boolean;
}

export interface ContainerSetup {
  envs: { key: string; value: string }[];
  mounts: CriMount[];
  privileged: boolean;
}

interface PodState {
  pod: SandboxPod;
  volumes: PodVolumes;
  etcHosts: string;
}

export class PodContract {
  private pods = new Map<string, PodState>();
  private timer?: NodeJS.Timeout;
  private refreshing = false;

  constructor(private options: PodContractOptions) {
    mkdirSync(options.sandboxesDir, { recursive: true });
  }

  /** Removes what a previous run left under D/sandboxes (mounts first). */
  async removeLeftovers(): Promise<void> {
    await unmountAll(this.options.sandboxesDir);
    rmSync(this.options.sandboxesDir, { recursive: true, force: true });
    mkdirSync(this.options.sandboxesDir, { recursive: true });
  }

  private allocatable(pod: SandboxPod): () => Promise<Allocatable> {
    let cached: Promise<Allocatable> | undefined;
    return () => {
      cached ??= this.options.reader.node(pod.nodeName).then((node) => node?.status?.allocatable ?? {});
      return cached;
    };
  }

  private async clusterDns(): Promise<string> {
    const service = await this.options.reader.service('kube-system', 'kube-dns').catch(() => undefined);
    const ip = service?.spec?.clusterIP;
    return ip && ip !== 'None' ? ip : defaultClusterDns;
  }

  /** Sets up the pod's volumes and hosts file; throws a SandboxSetupError (FailedMount, …) when it cannot. */
  async setUpSandbox(pod: SandboxPod): Promise<SandboxSetup> {
    const spec = pod.pod.spec ?? {};
    const hostFields = [spec.hostNetwork && 'hostNetwork', spec.hostPID && 'hostPID', spec.hostIPC && 'hostIPC'].filter(
      Boolean,
    );
    if (pod.fargate && hostFields.length) {
      throw new SandboxSetupError({
        type: 'Warning',
        reason: 'FailedCreatePodSandBox',
        message: `Failed to create pod sandbox: ${hostFields.join(', ')} cannot be used on Fargate`,
      });
    }
    let state = this.pods.get(pod.uid);
    if (!state) {
      const volumes = new PodVolumes(pod, this.options.sandboxesDir, this.options.reader, this.allocatable(pod));
      state = { pod, volumes, etcHosts: join(volumes.dir, 'etc-hosts') };
      for (const event of unenforcedSizeLimits(pod)) this.options.record?.(pod, event);
    }
    state.pod = pod;
    state.volumes.update(pod);
    await state.volumes.setUp();
    writeFileSync(state.etcHosts, etcHostsContent(pod), { mode: 0o644 });
    this.pods.set(pod.uid, state);
    this.startRefresh();
    const containers: Container[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
    return {
      hostname: podHostname(pod),
      dnsConfig: podDnsConfig(pod, await this.clusterDns(), hostDnsConfig()),
      namespaceOptions: {
        network: spec.hostNetwork ? 'NODE' : 'POD',
        pid: spec.hostPID ? 'NODE' : spec.shareProcessNamespace ? 'POD' : 'CONTAINER',
        ipc: spec.hostIPC ? 'NODE' : 'POD',
      },
      privileged: containers.some((c) => c.securityContext?.privileged === true),
    };
  }

  /** The container's env and mounts; throws a LaunchError (CreateContainerConfigError) when they cannot be made. */
  async setUpContainer(pod: SandboxPod, container: Container): Promise<ContainerSetup> {
    const state = this.pods.get(pod.uid);
    if (!state) throw new Error(`pod ${pod.namespace}/${pod.name} has no sandbox set up`);
    state.pod = pod;
    state.volumes.update(pod);
    const envs = await resolveEnv(pod, container, {
      reader: this.options.reader,
      allocatable: this.allocatable(pod),
      emit: (event) => this.options.record?.(pod, event),
    });
    const mounts = containerMounts(container, state.volumes, envs, state.etcHosts);
    return { envs, mounts, privileged: container.securityContext?.privileged === true };
  }

  /** The pod changed in the API (labels and annotations reach downwardAPI files at the next refresh). */
  updatePod(pod: SandboxPod): void {
    const state = this.pods.get(pod.uid);
    if (!state) return;
    state.pod = pod;
    state.volumes.update(pod);
  }

  async tearDown(pod: SandboxPod): Promise<void> {
    const state = this.pods.get(pod.uid);
    this.pods.delete(pod.uid);
    if (state) await state.volumes.tearDown();
    if (!this.pods.size) this.stopRefresh();
  }

  /** One pass over every pod's written volumes. */
  async refresh(): Promise<void> {
    if (this.refreshing) return;
    this.refreshing = true;
    const reader = memoReader(this.options.reader);
    try {
      for (const state of [...this.pods.values()]) {
        try {
          for (const error of await state.volumes.refresh(reader)) this.options.record?.(state.pod, error.event);
        } catch (error) {
          this.options.onError?.(error);
        }
      }
    } finally {
      this.refreshing = false;
    }
  }

  private startRefresh(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.refresh(), this.options.refreshMs ?? 2000);
    this.timer.unref?.();
  }

  private stopRefresh(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Stops refreshing and removes every pod's files (the agent is stopping; its sandboxes go with it). */
  close(): void {
    this.stopRefresh();
    for (const mount of mountsUnder(this.options.sandboxesDir)) {
      try {
        execFileSync('umount', ['-l', mount], { stdio: 'ignore' });
      } catch {}
    }
    this.pods.clear();
    rmSync(this.options.sandboxesDir, { recursive: true, force: true });
  }
}
