// Starts the embedded cluster in this process: the SQLite store, the PKI and admin token, the kube API, the EKS
// API with its credentials, the sandbox runtime (runtime-choice.ts) and its agent, then the kubeconfig and
// D/skiff.json. `stop` undoes it in reverse order.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { addonImages, ensureAddons, importAddonImages } from '../../addons/index.js';
import { defaultClusterDns } from '../../agent/contract/dns.js';
import { enginePaths, startContainerEngine } from '../../agent/engine/index.js';
import { hostLinkAddress } from '../../agent/engine/network/vpc.js';
import { engineVersions } from '../../agent/engine/versions.js';
import { hostNameOf } from '../../agent/host-lease.js';
import { shareInformers } from '../../client/factory.js';
import { processLogger } from '../../client/logger.js';
import { startAddonManager } from '../../controllers/addon/manager.js';
import { startIamAccess } from '../../eks/access/index.js';
import { catalogueImages } from '../../eks/addons/images.js';
import { eksTokenAuthenticator } from '../../eks/auth/token.js';
import { StoreClusterFacts } from '../../eks/cluster-facts.js';
import { ensureAwsCredentials } from '../../eks/credentials.js';
import { IamSessions } from '../../eks/iam/sessions.js';
import { startEksApi } from '../../eks/server.js';
import { nodeUser } from '../../kube/authz/identities.js';
import {
  createApiContext,
  inProcessClient,
  serviceAccountTokenAuthenticator,
  startKubeApi,
  staticTokenAuthenticator,
  TokenSigner,
} from '../../kube/index.js';
import { ensureAgentClientCert } from '../../kube/pki/agent-certs.js';
import { ensurePki } from '../../kube/pki/pki.js';
import { listenInVpc } from '../../network/apiserver/listen.js';
import { ServiceProxy } from '../../network/proxy/controller.js';
import { proxyNetwork } from '../../network/proxy/network.js';
import { openStore, startCompactor } from '../../store/index.js';
import { type DataPaths, dataPaths, type SkiffConfig } from '../config.js';
import { registerAdmission, startControlPlane } from './control-plane.js';
import { startEdge } from './edge.js';
import { startMicroVmHost, startProcessHost, startSimulatedHost } from './host.js';
import { defaultKubeconfigPath, mergeKubeconfig, writeKubeconfig } from './kubeconfig.js';
import { explainListenError } from './ports.js';
import { chooseRuntime } from './runtime-choice.js';
import { type RuntimeInfo, removeRuntimeInfo, writeRuntimeInfo } from './runtime-info.js';

export const kubernetesVersion = '1.32';
const serviceCidr = '10.100.0.0/16';

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

export interface StartOptions {
  /** Why `auto` chose the simulated runtime, when `skiff up` chose it before calling (D/skiff.json keeps it). */
  runtimeFallback?: string;
}

export async function startCluster(config: SkiffConfig, options: StartOptions = {}): Promise<RunningCluster> {
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
    // `process` runs pods as runc containers in Skiff's own containerd (CRI, CNI); `microvm` runs Fargate pods in
    // QEMU micro-VMs on the same containerd's images and VPC; `simulated` runs nothing.
    const chosen = await chooseRuntime(config.runtime);
    const { runtime } = chosen;
    const wildcard = ['0.0.0.0', '::'].includes(config.host);
    // Pods reach the kube API (the `kubernetes` Service) on the host end of the VPC's host link.
    const real = runtime === 'process' || runtime === 'microvm';
    const vpcApiAddress = real ? hostLinkAddress(enginePaths(join(paths.root, 'containerd'))) : '';
    const extraHosts = [...(wildcard || config.host === '127.0.0.1' ? [] : [config.host]), vpcApiAddress].filter(
      Boolean,
    );
    const pki = await ensurePki(paths.pki, config.name, extraHosts);
    const token = adminToken(paths.pki);
    const credentials = await ensureAwsCredentials(join(paths.root, 'aws'), config.region);
    const signer = TokenSigner.fromKeyFile(join(paths.pki, 'sa.key'));
    const ctx = await createApiContext(store, {
      garbageCollector: true,
      serviceAccounts: { signer, caCert: pki.caCert },
    });
    ctx.agentClient = await ensureAgentClientCert(paths.pki);
    const client = inProcessClient(ctx);
    const logger = processLogger();
    const facts = new StoreClusterFacts(store, config.name, config.region, kubernetesVersion);
    const admission = await registerAdmission(ctx, facts);
    stops.push(() => admission.stop());
    // The agent is this host's kubelet: a node identity, not the loopback's.
    const agentClient = inProcessClient(ctx, nodeUser(hostNameOf(hostname())));
    // It reads through the process's shared cache (what the Node authorizer lets it read anyway): one pod cache, not two.
    shareInformers(client, agentClient);
    const sessions = new IamSessions(credentials);
    const iamAccess = await startIamAccess(store, config.name, credentials, ctx.authorizer);
    stops.push(() => iamAccess.stop());
    const kubePort = { host: config.host, port: config.port, flag: '--port' };
    const eksPort = { host: config.host, port: config.eksPort, flag: '--eks-port' };
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
        eksTokenAuthenticator({
          credentials: () => [credentials],
          sessions,
          clusterName: config.name,
          mapIdentity: iamAccess.mapIdentity,
        }),
        serviceAccountTokenAuthenticator(ctx),
      ],
    }).catch((error) => {
      throw explainListenError(error, kubePort);
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
      sessions,
      serviceIpv4Cidr: serviceCidr,
    }).catch((error) => {
      throw explainListenError(error, eksPort);
    });
    stops.push(() => eks.close());
    const api = new URL(kube.url);
    const listening = ['0.0.0.0', '[::]'].includes(api.hostname) ? '127.0.0.1' : api.hostname.replace(/^\[|\]$/g, '');
    const engine = real ? await startContainerEngine({ dataDir: paths.root }) : undefined;
    if (engine) stops.push(() => engine.stop());
    const addons = { region: config.region, clusterDns: defaultClusterDns, apiServer: kube.url };
    if (engine) await importAddonImages(engine, catalogueImages(addonImages(addons)));
    const inVpc = engine?.vpc.hostAddress;
    if (engine && inVpc && !wildcard) {
      const listener = await listenInVpc(kube.server, inVpc, kube.port, engine.vpc.cidr);
      stops.push(() => listener.close());
    }
    const apiServer = { addresses: [inVpc ?? listening], port: Number(api.port) };
    const controlPlane = await startControlPlane({ ctx, facts, apiServer });
    stops.push(() => controlPlane.stop());
    const applied = await ensureAddons(client, addons);
    const addonManager = await startAddonManager({ client, facts, values: addons });
    stops.push(() => addonManager.stop());
    if (process.env.SKIFF_DEBUG && applied.notServed.length) {
      console.error(`addons: kinds this API does not serve, not created: ${applied.notServed.join(', ')}`);
    }
    const fallback = chosen.fallback ?? options.runtimeFallback;
    let runtimeSummary = 'simulated (no container runs)';
    if (engine) {
      const versions = await engineVersions();
      runtimeSummary = `process (runc ${versions.runc}, containerd ${versions.containerd})`;
      const microvm =
        runtime === 'microvm'
          ? await startMicroVmHost(agentClient, engine, versions, paths.pki, Boolean(chosen.microvmOnlyWithKvm), logger)
          : undefined;
      if (microvm?.agent) {
        runtimeSummary = microvm.summary;
        stops.push(() => microvm.stopVms());
      } else if (microvm) runtimeSummary += `; no micro-VMs: ${microvm.why}`;
      const agent = microvm?.agent ?? (await startProcessHost(agentClient, engine, versions, paths.pki, logger));
      stops.push(() => agent.stop());
      const proxy = new ServiceProxy(client, proxyNetwork(engine.vpc, serviceCidr));
      await proxy.start();
      stops.push(() => proxy.stop());
      const edge = await startEdge(client, engine, config);
      stops.push(() => edge.stop());
    }
    if (runtime === 'simulated') {
      const agent = await startSimulatedHost(agentClient, paths.root, paths.pki, logger);
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
      runtime: { name: runtime, summary: runtimeSummary, ...(fallback ? { fallback } : {}) },
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
