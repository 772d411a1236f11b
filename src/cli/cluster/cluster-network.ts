// A CreateCluster cluster on the process runtime's VPC: its kube API listening inside the VPC too (the endpoint of
// its `kubernetes` Service, so its pods and coredns reach it) and its own service proxy, whose rules join the VPC's
// ruleset under the cluster's name (each of its pods' connections to its Service CIDR take its rules, even where
// that CIDR is another cluster's too). On the simulated runtime nothing runs, so there is nothing to route.
import type { ContainerEngine } from '../../agent/engine/engine.js';
import { listenInVpc } from '../../network/apiserver/listen.js';
import { ServiceProxy } from '../../network/proxy/controller.js';
import { proxyNetwork } from '../../network/proxy/network.js';
import type { VpcRules } from '../../network/proxy/vpc-rules.js';
import type { KubeCluster } from './kube-cluster.js';

export interface ClusterNetwork {
  /** Where the cluster's pods reach its kube API (the `kubernetes` Service's endpoint). */
  apiAddress: string;
  stop(): Promise<void>;
}

export type StartClusterNetwork = (cluster: KubeCluster, name: string, serviceCidr: string) => Promise<ClusterNetwork>;

export function clusterNetworkStarter(
  engine: ContainerEngine | undefined,
  rules: VpcRules | undefined,
): StartClusterNetwork | undefined {
  const hostAddress = engine?.vpc.hostAddress;
  if (!engine || !rules || !hostAddress) return undefined;
  return async (cluster, name, serviceCidr) => {
    const listener = await listenInVpc(cluster.kube.server, hostAddress, cluster.kube.port, engine.vpc.cidr);
    const proxy = new ServiceProxy(cluster.client, proxyNetwork(engine.vpc, serviceCidr), { rules, cluster: name });
    try {
      await proxy.start();
    } catch (error) {
      await listener.close();
      throw error;
    }
    return {
      apiAddress: hostAddress,
      async stop() {
        proxy.stop();
        await rules.remove(name).catch(() => undefined);
        await listener.close();
      },
    };
  };
}
