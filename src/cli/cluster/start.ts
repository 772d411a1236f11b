// Starts the embedded cluster in this process: the SQLite store, the PKI and admin token, the kube API, the EKS
// API with its credentials, then the kubeconfig and D/skiff.json. `stop` undoes it in reverse order.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startContainerEngine } from '../../agent/engine/index.js';
import { eksTokenAuthenticator } from '../../eks/auth/token.js';
import { StoreClusterFacts } from '../../eks/cluster-facts.js';
import { ensureAwsCredentials } from '../../eks/credentials.js';
import { startEksApi } from '../../eks/server.js';
import {
  createApiContext,
  inProcessClient,
  serviceAccountTokenAuthenticator,
  startKubeApi,
  staticTokenAuthenticator,
  TokenSigner,
} from '../../kube/index.js';
import { ensurePki } from '../../kube/pki/pki.js';
import { openStore, startCompactor } from '../../store/index.js';
import { type DataPaths, dataPaths, type SkiffConfig } from '../config.js';
import { startControlPlane } from './control-plane.js';
import { startProcessHost, startSimulatedHost } from './host.js';
import { defaultKubeconfigPath, mergeKubeconfig, writeKubeconfig } from './kubeconfig.js';
import { type RuntimeInfo, removeRuntimeInfo, writeRuntimeInfo } from './runtime-info.js';

export const kubernetesVersion = '1.32';

export interface RunningCluster {
  info: RuntimeInfo;
  paths: DataPaths;
  client: ReturnType<typeof inProcessClient>;
  stop(): Promise<void>;
}

function adminToken(pkiDir: string): string {
  const file = join(pkiDir, 'admin.token');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/**
 * The sandbox runtime `auto` stands for: `simulated` until the micro-VM driver lands. `simulated` runs the agent
 * with the simulated driver; `process` starts the container engine (containerd over CRI, CNI) and runs pods as
 * runc containers in it (it needs root).
 */
export function resolveRuntime(runtime: SkiffConfig['runtime']): Exclude<SkiffConfig['runtime'], 'auto'> {
  return runtime === 'auto' ? 'simulated' : runtime;
}

export async function startCluster(config: SkiffConfig): Promise<RunningCluster> {
  const paths = dataPaths(config.dataDir);
  mkdirSync(join(paths.root, 'logs'), { recursive: true });
  const store = await openStore({ kind: 'sqlite', path: paths.state });
  const stops: (() => Promise<void> | void)[] = [() => store.close()];
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) await s();
  };
  try {
    const compactor = startCompactor(store, { intervalMs: 5 * 60_000 });
    stops.push(() => compactor.stop());
    const extraHosts = ['0.0.0.0', '::', '127.0.0.1'].includes(config.host) ? [] : [config.host];
    const pki = await ensurePki(paths.pki, config.name, extraHosts);
    const token = adminToken(paths.pki);
    const credentials = await ensureAwsCredentials(join(paths.root, 'aws'), config.region);
    const signer = TokenSigner.fromKeyFile(join(paths.pki, 'sa.key'));
    const ctx = await createApiContext(store, {
      garbageCollector: true,
      serviceAccounts: { signer, caCert: pki.caCert },
    });
    const client = inProcessClient(ctx);
    const kube = await startKubeApi({
      ctx,
      pki,
      host: config.host,
      port: config.port,
      authenticators: [
        staticTokenAuthenticator(token, {
          username: 'kubernetes-admin',
          uid: 'skiff-admin',
          groups: ['system:masters', 'system:authenticated'],
        }),
        eksTokenAuthenticator({ credentials: () => [credentials], clusterName: config.name }),
        serviceAccountTokenAuthenticator(ctx),
      ],
    });
    stops.push(() => kube.close());
    const eks = await startEksApi({
      store,
      host: config.host,
      port: config.eksPort,
      region: config.region,
      clusterName: config.name,
      kubernetesVersion,
      kubeEndpoint: kube.url,
      caCertPem: pki.caCert,
      credentials,
      serviceIpv4Cidr: '10.100.0.0/16',
    });
    stops.push(() => eks.close());
    const facts = new StoreClusterFacts(store, config.name, config.region, kubernetesVersion);
    const api = new URL(kube.url);
    const listening = ['0.0.0.0', '[::]'].includes(api.hostname) ? '127.0.0.1' : api.hostname.replace(/^\[|\]$/g, '');
    const apiServer = { addresses: [listening], port: Number(api.port) };
    const controlPlane = await startControlPlane({ ctx, facts, apiServer });
    stops.push(() => controlPlane.stop());
    const runtime = resolveRuntime(config.runtime);
    if (runtime === 'process') {
      const engine = await startContainerEngine({ dataDir: paths.root });
      stops.push(() => engine.stop());
      const agent = await startProcessHost(client, engine);
      stops.push(() => agent.stop());
    }
    if (runtime === 'simulated') {
      const agent = await startSimulatedHost(client, paths.root);
      stops.push(() => agent.stop());
    }
    const entry = { name: config.name, server: kube.url, caCert: pki.caCert, token };
    writeKubeconfig(paths.kubeconfig, entry);
    if (config.mergeKubeconfig) mergeKubeconfig(defaultKubeconfigPath(), entry);
    const info: RuntimeInfo = {
      pid: process.pid,
      name: config.name,
      region: config.region,
      kubeEndpoint: kube.url,
      eksEndpoint: eks.url,
      kubeconfig: paths.kubeconfig,
      startedAt: new Date().toISOString(),
    };
    writeRuntimeInfo(paths.runtimeInfo, info);
    stops.push(() => removeRuntimeInfo(paths.runtimeInfo));
    return { info, paths, client, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
