// Starts the embedded cluster in this process: the SQLite store, the PKI and admin token, the kube API, the EKS
// API with its credentials, the sandbox runtime (runtime-choice.ts) and its agent, then the kubeconfig and
// D/skiff.json. `stop` undoes it in reverse order.
import { join } from 'node:path';
import { addonImages, importAddonImages } from '../../addons/index.js';
import { defaultClusterDns } from '../../agent/contract/dns.js';
import { enginePaths, startContainerEngine } from '../../agent/engine/index.js';
import { hostLinkAddress } from '../../agent/engine/network/vpc.js';
import { engineVersions } from '../../agent/engine/versions.js';
import { processLogger } from '../../client/logger.js';
import { catalogueImages } from '../../eks/addons/images.js';
import { readJson } from '../../eks/context.js';
import { ensureAwsCredentials } from '../../eks/credentials.js';
import { IamSessions } from '../../eks/iam/sessions.js';
import { type ClusterRecord, keys } from '../../eks/records.js';
import { startEksApi } from '../../eks/server.js';
import { type EncryptionAtRest, enableEncryptionAtRest } from '../../kube/encryption/index.js';
import type { inProcessClient } from '../../kube/index.js';
import { listenInVpc } from '../../network/apiserver/listen.js';
import { ServiceProxy } from '../../network/proxy/controller.js';
import { proxyNetwork } from '../../network/proxy/network.js';
import { VpcRules } from '../../network/proxy/vpc-rules.js';
import { VpcIpam } from '../../scheduler/ipam/vpc-ipam.js';
import { openStore, startCompactor } from '../../store/index.js';
import { type DataPaths, dataPaths, type SkiffConfig } from '../config.js';
import { clusterNetworkStarter } from './cluster-network.js';
import { startEdge } from './edge.js';
import { ClusterFleet } from './fleet.js';
import { hostStarter } from './fleet-hosts.js';
import { startMicroVmHost, startProcessHost, startSimulatedHost } from './host.js';
import { startKubeCluster } from './kube-cluster.js';
import { defaultKubeconfigPath, mergeKubeconfig, writeKubeconfig } from './kubeconfig.js';
import { explainListenError } from './ports.js';
import { makeDataDirPrivate } from './private-data.js';
import { processIdentity } from './process-identity.js';
import { chooseRuntime } from './runtime-choice.js';
import { type RuntimeInfo, removeRuntimeInfo, writeRuntimeInfo } from './runtime-info.js';

export const kubernetesVersion = '1.32';
const serviceCidr = '10.100.0.0/16';

export interface RunningCluster {
  info: RuntimeInfo;
  paths: DataPaths;
  client: ReturnType<typeof inProcessClient>;
  /** Encryption at rest of the built-in cluster: what `enableEncryptionAtRest` (an EKS encryptionConfig) is given. */
  encryption: EncryptionAtRest;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Why `auto` chose the simulated runtime, when `skiff up` chose it before calling (D/skiff.json keeps it). */
  runtimeFallback?: string;
}

export async function startCluster(config: SkiffConfig, options: StartOptions = {}): Promise<RunningCluster> {
  const paths = dataPaths(config.dataDir);
  makeDataDirPrivate(paths);
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
    const credentials = await ensureAwsCredentials(join(paths.root, 'aws'), config.region);
    const logger = processLogger();
    const sessions = new IamSessions(credentials);
    const kubePort = { host: config.host, port: config.port, flag: '--port' };
    const eksPort = { host: config.host, port: config.eksPort, flag: '--eks-port' };
    // One address book for the VPC: every cluster of the process places its Fargate pods and nodes in it.
    const vpcIpam = new VpcIpam([]);
    let fleet: ClusterFleet | undefined;
    const version = (await readJson<ClusterRecord>(store, keys.cluster(config.name)))?.value.version;
    const cluster = await startKubeCluster({
      name: config.name,
      region: config.region,
      store,
      eksStore: store,
      pkiDir: paths.pki,
      host: config.host,
      port: config.port,
      extraHosts,
      credentials,
      sessions,
      kubernetesVersion: version ?? kubernetesVersion,
      serviceCidr,
      vpcIpam,
      encryptionProviderConfig: config.encryptionProviderConfig,
      nodeLifecycle: { grace: config.nodeGracePeriods },
    }).catch((error) => {
      throw explainListenError(error, kubePort);
    });
    stops.push(() => cluster.stop());
    const { kube, pki, token, client, agentClient } = cluster;
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
      // AssociateEncryptionConfig and CreateCluster's encryptionConfig: the cluster's Secrets encrypted at rest.
      secretsEncryption: {
        async enable(name) {
          const target = name === config.name ? cluster : fleet?.cluster(name);
          if (!target) throw new Error(`cluster ${name} is not running in this Skiff`);
          await enableEncryptionAtRest(target.encryption, ['secrets']);
        },
      },
    }).catch((error) => {
      throw explainListenError(error, eksPort);
    });
    stops.push(() => eks.close());
    await cluster.publishIssuer(eks.url);
    const api = new URL(kube.url);
    const listening = ['0.0.0.0', '[::]'].includes(api.hostname) ? '127.0.0.1' : api.hostname.replace(/^\[|\]$/g, '');
    const engine = real ? await startContainerEngine({ dataDir: paths.root }) : undefined;
    let vpcRules: VpcRules | undefined;
    if (engine) stops.push(() => engine.stop());
    const addons = { region: config.region, clusterDns: defaultClusterDns, apiServer: kube.url };
    if (engine) await importAddonImages(engine, catalogueImages(addonImages(addons)));
    const inVpc = engine?.vpc.hostAddress;
    if (engine && inVpc && !wildcard) {
      const listener = await listenInVpc(kube.server, inVpc, kube.port, engine.vpc.cidr);
      stops.push(() => listener.close());
    }
    const apiServer = { addresses: [inVpc ?? listening], port: Number(api.port) };
    await cluster.startControlPlane(apiServer, addons);
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
      vpcRules = new VpcRules(engine.vpc.netns);
      const proxy = new ServiceProxy(client, proxyNetwork(engine.vpc, serviceCidr), { rules: vpcRules });
      await proxy.start();
      stops.push(() => proxy.stop());
      const edge = await startEdge(client, engine, config);
      stops.push(() => edge.stop());
    }
    if (runtime === 'simulated') {
      const agent = await startSimulatedHost(agentClient, paths.root, paths.pki, logger);
      stops.push(() => agent.stop());
    }
    fleet = new ClusterFleet({
      store,
      dataDir: paths.root,
      region: config.region,
      host: wildcard ? '127.0.0.1' : config.host,
      credentials,
      sessions,
      builtIn: { name: config.name, facts: cluster.facts },
      vpcIpam,
      eksUrl: eks.url,
      startHost: hostStarter(engine, paths.root, logger),
      startNetwork: clusterNetworkStarter(engine, vpcRules),
      onError: logger.errors('clusters'),
    });
    await fleet.start();
    stops.push(() => fleet?.stop());
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
      process: processIdentity(process.pid),
    };
    writeRuntimeInfo(paths.runtimeInfo, info);
    makeDataDirPrivate(paths);
    stops.push(() => removeRuntimeInfo(paths.runtimeInfo));
    return { info, paths, client, encryption: cluster.encryption, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
