// The clusters CreateCluster made, run beside the built-in one in this process: each with its own SQLite store,
// PKI and kube API port under D/clusters/<name>/, its own controllers, schedulers and add-on objects, and an agent
// of its own on this host's runtime (the same containerd and VPC as the built-in cluster's). The fleet follows the
// cluster records of the EKS store: CREATING (or ACTIVE after a restart) → started, then the record gets the
// endpoint and CA (ACTIVE); DELETING → its pods and nodes removed, stopped, its directory and record removed. It
// also keeps each cluster's reported Kubernetes version (the built-in's too) in step with its record.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Agent } from '../../agent/index.js';
import type { StoreClusterFacts } from '../../eks/cluster-facts.js';
import { forgetCluster, recordClusterEndpoint, recordClusterFailed } from '../../eks/clusters/lifecycle.js';
import { serviceAddress } from '../../eks/clusters/service-cidr.js';
import type { AwsCredentials } from '../../eks/credentials.js';
import type { IamSessions } from '../../eks/iam/sessions.js';
import { type ClusterRecord, keys } from '../../eks/records.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { ipAddressRef } from '../../scheduler/ipam/vpc-addresses.js';
import type { VpcIpam } from '../../scheduler/ipam/vpc-ipam.js';
import { openStore } from '../../store/index.js';
import type { Backend, Watch } from '../../store/types.js';
import type { ClusterNetwork, StartClusterNetwork } from './cluster-network.js';
import { type KubeCluster, startKubeCluster } from './kube-cluster.js';
import { makeFolderPrivate } from './private-data.js';

/** Starts this host's agent for one cluster (its node identity client, its PKI, its own sandboxes directory). */
export type StartHost = (agentClient: KubeClient, pkiDir: string, sandboxesDir: string) => Promise<Agent>;

export interface FleetOptions {
  /** The EKS records. */
  store: Backend;
  dataDir: string;
  region: string;
  host: string;
  credentials: AwsCredentials;
  sessions: IamSessions;
  /** The built-in cluster's name and facts (its version follows its record too). */
  builtIn: { name: string; facts: StoreClusterFacts };
  startHost: StartHost;
  /** Puts a cluster's kube API and Services on the VPC (real runtimes; none on the simulated one). */
  startNetwork?: StartClusterNetwork;
  /** The VPC's address book, shared with the built-in cluster. */
  vpcIpam: VpcIpam;
  /** The EKS endpoint, where each cluster's OIDC issuer is published. */
  eksUrl: string;
  /** How long deleting a cluster waits for its pods to be gone before stopping it anyway (default 60 s). */
  drainTimeoutMs?: number;
  onError?: (error: unknown) => void;
}

interface Running {
  cluster: KubeCluster;
  agent?: Agent;
  network?: ClusterNetwork;
}

export function clusterDir(dataDir: string, name: string): string {
  return join(dataDir, 'clusters', name);
}

const podRef = { apiVersion: 'v1', kind: 'Pod' };
const nodeRef = { apiVersion: 'v1', kind: 'Node' };

export class ClusterFleet {
  private readonly running = new Map<string, Running>();
  private readonly chains = new Map<string, Promise<void>>();
  private watch?: Watch;
  private closed = false;
  private readonly onError: (error: unknown) => void;

  constructor(private readonly o: FleetOptions) {
    this.onError = o.onError ?? ((error) => console.error('clusters:', error));
  }

  async start(): Promise<void> {
    const listed = await this.o.store.list(keys.clusters());
    this.watch = await this.o.store.watch(keys.clusters(), { afterRevision: listed.revision }, (event) => {
      if (event.type !== 'delete') this.enqueue(JSON.parse(event.kv.value) as ClusterRecord);
    });
    await Promise.all(listed.items.map((kv) => this.enqueue(JSON.parse(kv.value) as ClusterRecord)));
  }

  /** Resolves when every change seen so far has been acted on (tests and `skiff down` use it). */
  async settled(): Promise<void> {
    await Promise.all([...this.chains.values()]);
  }

  /** The running cluster's kube side (e.g. for Secrets encryption), if it runs in this process. */
  cluster(name: string): KubeCluster | undefined {
    return this.running.get(name)?.cluster;
  }

  private enqueue(record: ClusterRecord): Promise<void> {
    const next = (this.chains.get(record.name) ?? Promise.resolve())
      .then(() => this.reconcile(record))
      .catch(this.onError);
    this.chains.set(record.name, next);
    return next;
  }

  private async reconcile(record: ClusterRecord): Promise<void> {
    if (this.closed) return;
    if (record.builtIn || record.name === this.o.builtIn.name) {
      this.o.builtIn.facts.kubernetesVersion = record.version;
      return;
    }
    const current = await this.o.store.get(keys.cluster(record.name));
    if (!current) return;
    const latest = JSON.parse(current.value) as ClusterRecord;
    if (latest.status === 'DELETING') return this.remove(latest);
    if (latest.status === 'FAILED') return;
    let running = this.running.get(latest.name);
    if (!running) {
      try {
        running = await this.run(latest);
      } catch (error) {
        await recordClusterFailed(this.o.store, latest.name, error instanceof Error ? error.message : String(error));
        throw error;
      }
    }
    running.cluster.facts.kubernetesVersion = latest.version;
    await recordClusterEndpoint(this.o.store, latest.name, {
      endpoint: running.cluster.kube.url,
      caCertPem: running.cluster.pki.caCert,
      kubePort: running.cluster.kube.port,
    });
  }

  private async run(record: ClusterRecord): Promise<Running> {
    const dir = clusterDir(this.o.dataDir, record.name);
    makeFolderPrivate(dir);
    const store = await openStore({ kind: 'sqlite', path: join(dir, 'state.db') });
    let cluster: KubeCluster | undefined;
    let network: ClusterNetwork | undefined;
    try {
      const options = {
        name: record.name,
        region: this.o.region,
        store,
        eksStore: this.o.store,
        pkiDir: join(dir, 'pki'),
        host: this.o.host,
        port: record.kubePort ?? 0,
        extraHosts: [serviceAddress(record.serviceIpv4Cidr, 1)],
        credentials: this.o.credentials,
        sessions: this.o.sessions,
        kubernetesVersion: record.version,
        serviceCidr: record.serviceIpv4Cidr,
        vpcIpam: this.o.vpcIpam,
      };
      // The port it had before a restart, so that kubeconfigs keep working; another one if that is taken now.
      cluster = await startKubeCluster(options).catch((error) => {
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
        return startKubeCluster({ ...options, port: 0 });
      });
      cluster.onStop(() => store.close());
      await cluster.publishIssuer(this.o.eksUrl);
      network = await this.o.startNetwork?.(cluster, record.name, record.serviceIpv4Cidr);
      const apiServer = { addresses: [network?.apiAddress ?? '127.0.0.1'], port: cluster.kube.port };
      await cluster.startControlPlane(apiServer, {
        region: this.o.region,
        clusterDns: serviceAddress(record.serviceIpv4Cidr, 10),
        apiServer: cluster.kube.url,
      });
      const agent = await this.o.startHost(cluster.agentClient, join(dir, 'pki'), join(dir, 'sandboxes'));
      makeFolderPrivate(dir);
      const running = { cluster, agent, network };
      this.running.set(record.name, running);
      return running;
    } catch (error) {
      await network?.stop();
      if (cluster) await cluster.stop();
      else await store.close();
      throw error;
    }
  }

  /** DELETING: its pods go (the agent tears their sandboxes down), then its nodes, then the cluster and its state. */
  private async remove(record: ClusterRecord): Promise<void> {
    const running = this.running.get(record.name) ?? (await this.run(record).catch(() => undefined));
    if (running) {
      // Controllers first, so that nothing recreates what the drain deletes; the agent stays to end the pods.
      await running.cluster.stopControlPlane();
      await drain(running.cluster.client, this.o.drainTimeoutMs ?? 60_000).catch(this.onError);
      // The addresses its nodes held go back to the VPC.
      const claims = await running.cluster.client.list<KubeObject>(ipAddressRef).catch(() => ({ items: [] }));
      for (const claim of claims.items) this.o.vpcIpam.release(claim.metadata.name!);
      this.running.delete(record.name);
      await running.network?.stop();
      await running.agent?.stop();
      await running.cluster.stop();
    }
    rmSync(clusterDir(this.o.dataDir, record.name), { recursive: true, force: true });
    await forgetCluster(this.o.store, record.name);
  }

  async stop(): Promise<void> {
    this.closed = true;
    this.watch?.close();
    await this.settled();
    for (const [name, running] of [...this.running.entries()].reverse()) {
      this.running.delete(name);
      await running.network?.stop().catch(this.onError);
      await running.agent?.stop().catch(this.onError);
      await running.cluster.stop().catch(this.onError);
    }
  }
}

/** Deletes every pod (gracefully, as kubectl would) and waits until they are gone, then deletes every node. */
async function drain(client: KubeClient, timeoutMs: number): Promise<void> {
  const pods = await client.list<KubeObject>(podRef);
  await Promise.all(
    pods.items.map((pod) =>
      client.delete({ ...podRef, namespace: pod.metadata.namespace }, pod.metadata.name!).catch(() => undefined),
    ),
  );
  const deadline = Date.now() + timeoutMs;
  while ((await client.list<KubeObject>(podRef)).items.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const nodes = await client.list<KubeObject>(nodeRef);
  await Promise.all(nodes.items.map((node) => client.delete(nodeRef, node.metadata.name!).catch(() => undefined)));
}
