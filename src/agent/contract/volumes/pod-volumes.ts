// A pod's volumes on this host, laid out as the kubelet lays them out: D/sandboxes/<pod-uid>/volumes/
// kubernetes.io~<plugin>/<name>. emptyDir is a directory (a tmpfs of its sizeLimit for medium Memory); configMap,
// secret, downwardAPI and projected are written by the atomic writer (secret and projected on a tmpfs) and
// rewritten in place by refresh(); hostPath (node-group pods) and claims bound to hostPath or local volumes are the
// host's own directories. Any other volume is refused with the volume manager's FailedMount text, and the pod does
// not start.
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { quantityValue } from '../../../fargate/quantity.js';
import type { SandboxPod } from '../../driver.js';
import { mountsUnder, unmountAll } from '../../engine/cleanup.js';
import { run } from '../../engine/network/run.js';
import type { SandboxSetupError } from '../../lifecycle/runtime.js';
import { mountError, unmountableError } from '../errors.js';
import type { Allocatable } from '../fields.js';
import type { ContractReader } from '../reader.js';
import { writeAtomic } from './atomic-writer.js';
import { PayloadError, payloadOf } from './payload.js';
import { TokenCache } from './tokens.js';

export interface VolumeSource {
  hostPath: string;
  /** The plugin mounts it read-only whatever the volumeMount says (configMap, secret, downwardAPI, projected). */
  readOnly: boolean;
  /** Its files are rewritten when their sources change (not through subPath mounts). */
  projected: boolean;
}

/** Secret and projected volumes live on tmpfs, as the kubelet wraps them, so secrets and tokens never reach disk. */
const memoryBacked = new Set(['secret', 'projected']);

const writtenPlugins: Record<string, string> = {
  configMap: 'configmap',
  secret: 'secret',
  downwardAPI: 'downward-api',
  projected: 'projected',
};

/** The volume's source field: emptyDir, configMap, nfs, … */
export const volumeType = (volume: any) => Object.keys(volume).find((k) => k !== 'name') ?? 'unknown';

function checkHostPathType(path: string, type: string): string | undefined {
  let stat: ReturnType<typeof statSync> | undefined;
  try {
    stat = statSync(path);
  } catch {}
  switch (type) {
    case 'DirectoryOrCreate':
      if (!stat) mkdirSync(path, { recursive: true, mode: 0o755 });
      else if (!stat.isDirectory()) return `hostPath type check failed: ${path} is not a directory`;
      return undefined;
    case 'FileOrCreate':
      if (!stat) closeSync(openSync(path, 'a', 0o644));
      else if (!stat.isFile()) return `hostPath type check failed: ${path} is not a file`;
      return undefined;
    case 'Directory':
      return stat?.isDirectory() ? undefined : `hostPath type check failed: ${path} is not a directory`;
    case 'File':
      return stat?.isFile() ? undefined : `hostPath type check failed: ${path} is not a file`;
    case 'Socket':
      return stat?.isSocket() ? undefined : `hostPath type check failed: ${path} is not a socket file`;
    case 'CharDevice':
      return stat?.isCharacterDevice() ? undefined : `hostPath type check failed: ${path} is not a character device`;
    case 'BlockDevice':
      return stat?.isBlockDevice() ? undefined : `hostPath type check failed: ${path} is not a block device`;
    default:
      return undefined;
  }
}

export class PodVolumes {
  readonly dir: string;
  private sources = new Map<string, VolumeSource>();
  private tokens = new TokenCache();
  /** Torn down: a refresh still in flight must not write the directory again. */
  private removed = false;

  constructor(
    private pod: SandboxPod,
    sandboxesDir: string,
    private reader: ContractReader,
    private allocatable: () => Promise<Allocatable>,
  ) {
    this.dir = join(sandboxesDir, pod.uid);
  }

  update(pod: SandboxPod): void {
    this.pod = pod;
  }

  source(name: string): VolumeSource | undefined {
    return this.sources.get(name);
  }

  private get volumes(): any[] {
    return (this.pod.pod.spec?.volumes ?? []).filter((v: any) => v?.name);
  }

  private get gid(): number | undefined {
    const gid = this.pod.pod.spec?.securityContext?.fsGroup;
    return Number.isInteger(gid) ? gid : undefined;
  }

  private pluginDir(plugin: string, name: string): string {
    return join(this.dir, 'volumes', `kubernetes.io~${plugin}`, name);
  }

  /** Sets up every volume; throws a SandboxSetupError (FailedMount) for the first that cannot be. */
  async setUp(): Promise<void> {
    this.removed = false;
    mkdirSync(this.dir, { recursive: true });
    const all = this.volumes.map((v) => v.name as string).sort();
    const failed: { name: string; why: string }[] = [];
    const local = new Map<string, string>();
    for (const volume of this.volumes) {
      const why = await this.hostDirectory(volume, local);
      if (why) failed.push({ name: volume.name, why });
    }
    if (failed.length) {
      const names = failed.map((f) => f.name).sort();
      throw unmountableError(names, all, `failed to process volumes=[${names.join(' ')}]: ${failed[0]!.why}`);
    }
    for (const volume of this.volumes) {
      const type = volumeType(volume);
      if (type === 'emptyDir') await this.emptyDir(volume);
      else if (type in writtenPlugins) {
        const error = await this.write(volume);
        if (error) throw error;
      } else this.sources.set(volume.name, { hostPath: local.get(volume.name)!, readOnly: false, projected: false });
    }
  }

  /**
   * For hostPath and claims, the host directory (into `local`); undefined when the volume is of a kind set up here,
   * else why it cannot be.
   */
  private async hostDirectory(volume: any, local: Map<string, string>): Promise<string | undefined> {
    const type = volumeType(volume);
    if (type === 'emptyDir' || type in writtenPlugins) return undefined;
    if (type === 'hostPath') {
      if (this.pod.fargate) return 'hostPath volumes are not supported on Fargate';
      const path = String(volume.hostPath.path ?? '');
      const why = checkHostPathType(path, volume.hostPath.type ?? '');
      if (!why) local.set(volume.name, path);
      return why;
    }
    if (type === 'persistentVolumeClaim') {
      const claimName = volume.persistentVolumeClaim.claimName;
      const prefix = `error processing PVC ${this.pod.namespace}/${claimName}`;
      const claim = await this.reader.persistentVolumeClaim(this.pod.namespace, claimName);
      if (!claim) {
        return `${prefix}: failed to fetch PVC from API server: persistentvolumeclaims "${claimName}" not found`;
      }
      const pvName = claim.spec?.volumeName;
      if (claim.status?.phase !== 'Bound' || !pvName) return `${prefix}: PVC is not bound`;
      const pv = await this.reader.persistentVolume(pvName);
      const path = pv?.spec?.hostPath?.path ?? pv?.spec?.local?.path;
      if (!pv)
        return `${prefix}: failed to fetch PV ${pvName} from API server: persistentvolumes "${pvName}" not found`;
      if (!path)
        return `no volume plugin matched for PV ${pvName} (${volumeType(pv.spec)} volumes cannot be mounted by this node)`;
      if (this.pod.fargate) return 'hostPath volumes are not supported on Fargate';
      const why = checkHostPathType(path, pv.spec.hostPath?.type ?? '');
      if (!why) local.set(volume.name, path);
      return why;
    }
    return `no volume plugin matched for volume "${volume.name}" of type ${type}`;
  }

  private async emptyDir(volume: any): Promise<void> {
    const path = this.pluginDir('empty-dir', volume.name);
    this.sources.set(volume.name, { hostPath: path, readOnly: false, projected: false });
    if (existsSync(path)) return;
    mkdirSync(path, { recursive: true });
    if (volume.emptyDir?.medium === 'Memory') {
      const options = ['nodev', 'nosuid'];
      if (volume.emptyDir.sizeLimit) options.push(`size=${quantityValue(volume.emptyDir.sizeLimit)}`);
      try {
        await run('mount', ['-t', 'tmpfs', '-o', options.join(','), 'tmpfs', path]);
      } catch (error: any) {
        rmSync(path, { recursive: true, force: true });
        throw mountError(volume.name, error?.message ?? String(error));
      }
    }
    chmodSync(path, 0o777);
    if (this.gid !== undefined) {
      chownSync(path, 0, this.gid);
      chmodSync(path, 0o2777);
    }
  }

  /** Writes a configMap/secret/downwardAPI/projected volume; the FailedMount error when it cannot. */
  private async write(volume: any, reader = this.reader): Promise<SandboxSetupError | undefined> {
    const path = this.pluginDir(writtenPlugins[volumeType(volume)]!, volume.name);
    try {
      const payload = await payloadOf(volume, {
        reader,
        pod: this.pod,
        allocatable: this.allocatable,
        tokens: this.tokens,
        volume: volume.name,
      });
      if (this.removed) return undefined;
      if (!this.sources.has(volume.name) && memoryBacked.has(volumeType(volume))) await this.mountTmpfs(path);
      writeAtomic(path, payload, { gid: this.gid, readOnly: true });
      this.sources.set(volume.name, { hostPath: path, readOnly: true, projected: true });
      return undefined;
    } catch (error: any) {
      if (error instanceof PayloadError) return mountError(volume.name, error.message);
      return mountError(volume.name, error?.message ?? String(error));
    }
  }

  /** A tmpfs at `path` (once; only root can mount, elsewhere the files stay on disk, as in unit tests). */
  private async mountTmpfs(path: string): Promise<void> {
    if (process.getuid?.() !== 0 || mountsUnder(path).includes(path)) return;
    mkdirSync(path, { recursive: true });
    await run('mount', ['-t', 'tmpfs', '-o', 'nodev,nosuid,mode=0755', 'tmpfs', path]);
  }

  /** Rewrites the written volumes from their current sources (ConfigMap or Secret changes, labels, tokens). */
  async refresh(reader = this.reader): Promise<SandboxSetupError[]> {
    const errors: SandboxSetupError[] = [];
    for (const volume of this.volumes) {
      if (!(volumeType(volume) in writtenPlugins) || !this.sources.has(volume.name)) continue;
      const error = await this.write(volume, reader);
      if (error) errors.push(error);
    }
    return errors;
  }

  async tearDown(): Promise<void> {
    this.removed = true;
    await unmountAll(this.dir);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
