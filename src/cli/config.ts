// The settings `skiff up` runs with, and the data-dir layout of DESIGN.md: every path a component uses comes from
// here so that `skiff status`, `skiff env` and `skiff down` find what `skiff up` wrote.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export type RuntimeName = 'auto' | 'microvm' | 'process' | 'simulated';

export interface SkiffConfig {
  dataDir: string;
  /** The EKS cluster's name (and the kubeconfig context's). */
  name: string;
  region: string;
  /** Address both APIs bind to (127.0.0.1 unless told otherwise). */
  host: string;
  /** kube API port (HTTPS); 0 picks a free one. */
  port: number;
  /** EKS API port; 0 picks a free one. */
  eksPort: number;
  runtime: RuntimeName;
  mergeKubeconfig: boolean;
  /** kube-apiserver's --encryption-provider-config: an EncryptionConfiguration file (default: D/pki/encryption-config.yaml). */
  encryptionProviderConfig?: string;
  /** kube-controller-manager's --node-monitor-grace-period and --node-startup-grace-period (unset: kube's). */
  nodeGracePeriods?: { monitorMs?: number; startupMs?: number };
}

export const defaults = {
  name: 'skiff',
  region: 'ap-northeast-2',
  host: '127.0.0.1',
  port: 6443,
  eksPort: 4566,
  runtime: 'auto' as RuntimeName,
};

export function defaultDataDir(): string {
  return process.env.SKIFF_DATA_DIR ?? join(homedir(), '.skiff');
}

/** Every file and folder under the data dir, by purpose. */
export function dataPaths(dataDir: string) {
  const d = resolve(dataDir);
  return {
    root: d,
    state: join(d, 'state.db'),
    pki: join(d, 'pki'),
    kubeconfig: join(d, 'kubeconfig'),
    awsConfig: join(d, 'aws', 'config'),
    awsCredentials: join(d, 'aws', 'credentials'),
    containerd: join(d, 'containerd'),
    registries: join(d, 'registries.yaml'),
    sandboxes: join(d, 'sandboxes'),
    logs: join(d, 'logs'),
    /** Written by a running `skiff up`: pid, ports, endpoints. Removed on a clean stop. */
    runtimeInfo: join(d, 'skiff.json'),
    serverLog: join(d, 'logs', 'skiff.log'),
  };
}

export type DataPaths = ReturnType<typeof dataPaths>;
