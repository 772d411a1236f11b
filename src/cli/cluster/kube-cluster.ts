// One EKS cluster's Kubernetes side, as many times as there are clusters in the process: its PKI (CA, serving
// certificate, admin token, ServiceAccount key), its API context over its own store, the Fargate admission, IAM
// access (EKS access entries and aws-auth), the HTTPS kube API reporting the cluster's version, and then its
// controllers, schedulers and add-on objects. `skiff up`'s built-in cluster and every CreateCluster cluster are
// assembled here; `stop` undoes it in reverse order.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { type AddonValues, ensureAddons } from '../../addons/index.js';
import { hostNameOf } from '../../agent/host-lease.js';
import { shareInformers } from '../../client/factory.js';
import { processLogger } from '../../client/logger.js';
import { startAddonManager } from '../../controllers/addon/manager.js';
import type { NodeLifecycleOptions } from '../../controllers/nodelifecycle/controller.js';
import { startIamAccess } from '../../eks/access/index.js';
import { eksTokenAuthenticator } from '../../eks/auth/token.js';
import { StoreClusterFacts } from '../../eks/cluster-facts.js';
import type { AwsCredentials } from '../../eks/credentials.js';
import type { IamSessions } from '../../eks/iam/sessions.js';
import { publishClusterIssuer } from '../../eks/identity/issuer.js';
import { identityProviderAuthenticator } from '../../eks/identity-providers/authenticator.js';
import { nodeUser } from '../../kube/authz/identities.js';
import { type EncryptionAtRest, openEncryptionAtRest } from '../../kube/encryption/index.js';
import {
  type ApiContext,
  createApiContext,
  inProcessClient,
  type KubeApiServer,
  serviceAccountTokenAuthenticator,
  startKubeApi,
  staticTokenAuthenticator,
  TokenSigner,
} from '../../kube/index.js';
import { ensureAgentClientCert } from '../../kube/pki/agent-certs.js';
import { ensurePki, type Pki } from '../../kube/pki/pki.js';
import type { VpcIpam } from '../../scheduler/ipam/vpc-ipam.js';
import type { Backend } from '../../store/types.js';
import { startInBackground } from './background.js';
import { type ControlPlane, registerAdmission, startControlPlane } from './control-plane.js';
import { reportRunaways } from './runaway.js';

export interface KubeClusterOptions {
  name: string;
  region: string;
  /** The cluster's kube objects. */
  store: Backend;
  /** The EKS records (the cluster, its profiles, node groups and access entries); may be `store` itself. */
  eksStore: Backend;
  pkiDir: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Names and addresses the serving certificate carries besides loopback and kubernetes.default. */
  extraHosts: string[];
  credentials: AwsCredentials;
  sessions: IamSessions;
  kubernetesVersion: string;
  serviceCidr: string;
  /** The VPC's address book, shared by every cluster of the process so that no two take one address. */
  vpcIpam: VpcIpam;
  /** An EncryptionConfiguration file; absent: `<pkiDir>/encryption-config.yaml`, made with a new key if missing. */
  encryptionProviderConfig?: string;
  /** The node lifecycle controller's grace periods (kube's when unset). */
  nodeLifecycle?: NodeLifecycleOptions;
}

export interface KubeCluster {
  ctx: ApiContext;
  /** Skiff's own client (shared informers). */
  client: ReturnType<typeof inProcessClient>;
  /** The agent's client: this host's node identity, reading through the same informers. */
  agentClient: ReturnType<typeof inProcessClient>;
  facts: StoreClusterFacts;
  /** Secrets encrypted in the cluster's store (src/kube/encryption/). */
  encryption: EncryptionAtRest;
  pki: Pki;
  token: string;
  kube: KubeApiServer;
  /** Starts controllers and schedulers (the `kubernetes` Service's endpoints at `apiServer`), then the add-ons. */
  startControlPlane(apiServer: { addresses: string[]; port: number }, addons: AddonValues): Promise<void>;
  /** Stops the controllers and schedulers only (the API and the agent stay, e.g. to drain the cluster). */
  stopControlPlane(): Promise<void>;
  /** Publishes the cluster's OIDC issuer on the EKS endpoint at `eksUrl`; its ServiceAccount tokens carry it. */
  publishIssuer(eksUrl: string): Promise<string>;
  /** Runs `stop` when the cluster stops (before what was started earlier). */
  onStop(stop: () => Promise<void> | void): void;
  stop(): Promise<void>;
}

function adminToken(pkiDir: string): string {
  const file = join(pkiDir, 'admin.token');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

export async function startKubeCluster(o: KubeClusterOptions): Promise<KubeCluster> {
  const stops: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) await s();
  };
  try {
    const pki = await ensurePki(o.pkiDir, o.name, o.extraHosts);
    const token = adminToken(o.pkiDir);
    const signer = TokenSigner.fromKeyFile(join(o.pkiDir, 'sa.key'));
    // Secrets (and whatever the EncryptionConfiguration names) are encrypted in the store.
    const encryption = await openEncryptionAtRest(o.store, { pkiDir: o.pkiDir, file: o.encryptionProviderConfig });
    const ctx = await createApiContext(encryption.store, {
      garbageCollector: true,
      serviceAccounts: { signer, caCert: pki.caCert },
      serviceRanges: { serviceCidr: o.serviceCidr, nodePortRange: [30000, 32767] },
    });
    ctx.agentClient = await ensureAgentClientCert(o.pkiDir);
    const client = inProcessClient(ctx);
    const logger = processLogger();
    reportRunaways(ctx, client, logger);
    const facts = new StoreClusterFacts(o.eksStore, o.name, o.region, o.kubernetesVersion);
    const admission = await registerAdmission(ctx, facts);
    stops.push(() => admission.stop());
    // The agent is this host's kubelet: a node identity, not the loopback's.
    const agentClient = inProcessClient(ctx, nodeUser(hostNameOf(hostname())));
    // It reads through the process's shared cache (what the Node authorizer lets it read anyway): one pod cache, not two.
    shareInformers(client, agentClient);
    const iamAccess = await startIamAccess(o.eksStore, o.name, o.credentials, ctx.authorizer, o.store);
    stops.push(() => iamAccess.stop());
    const kube = await startKubeApi({
      ctx,
      pki,
      host: o.host,
      port: o.port,
      minorVersion: () => facts.kubernetesVersion,
      authenticators: [
        staticTokenAuthenticator(token, {
          username: 'kubernetes-admin',
          uid: 'skiff-admin',
          groups: ['system:masters', 'system:authenticated'],
        }),
        eksTokenAuthenticator({
          credentials: () => [o.credentials],
          sessions: o.sessions,
          clusterName: o.name,
          mapIdentity: iamAccess.mapIdentity,
        }),
        serviceAccountTokenAuthenticator(ctx),
        identityProviderAuthenticator(o.eksStore, o.name),
      ],
    });
    stops.push(() => kube.close());
    let controlPlane: ControlPlane | undefined;
    return {
      ctx,
      client,
      agentClient,
      facts,
      encryption,
      pki,
      token,
      kube,
      async startControlPlane(apiServer, addons) {
        // Behind readiness: the API answers while the controllers list their caches and catch up.
        controlPlane = startInBackground(
          () => startControlPlane({ ctx, facts, apiServer, vpcIpam: o.vpcIpam, nodeLifecycle: o.nodeLifecycle }),
          logger.errors('control-plane'),
        );
        stops.push(() => controlPlane?.stop());
        const applied = await ensureAddons(client, addons);
        // The EKS add-ons (CreateAddon…) of this cluster, applied to its kube-system.
        const addonManager = await startAddonManager({ client, facts, values: addons });
        stops.push(() => addonManager.stop());
        if (process.env.SKIFF_DEBUG && applied.notServed.length) {
          console.error(`addons: kinds this API does not serve, not created: ${applied.notServed.join(', ')}`);
        }
      },
      async stopControlPlane() {
        const stopping = controlPlane;
        controlPlane = undefined;
        await stopping?.stop();
      },
      publishIssuer: (eksUrl) => publishClusterIssuer(o.eksStore, o.name, eksUrl, signer),
      onStop: (s) => stops.push(s),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
