// The control plane that runs beside the kube API: every controller and scheduler, started in order and stopped in
// reverse. `skiff up` and the benchmarks start it the same way; each piece is a client of the kube API.
import { registerFargateAdmission } from '../../admission/fargate/index.js';
import { irsaAdmission } from '../../admission/irsa/plugin.js';
import type { ClusterFacts } from '../../cloud/facts.js';
import { CronJobController } from '../../controllers/cronjob/controller.js';
import { DaemonSetController } from '../../controllers/daemonset/controller.js';
import { DeploymentController } from '../../controllers/deployment/controller.js';
import { DisruptionController } from '../../controllers/disruption/controller.js';
import { EndpointsController } from '../../controllers/endpoints/controller.js';
import { EndpointSliceController } from '../../controllers/endpointslice/controller.js';
import { FargateProfileController } from '../../controllers/fargateprofile/controller.js';
import { GarbageCollector } from '../../controllers/garbagecollector/controller.js';
import { HorizontalPodAutoscalerController } from '../../controllers/hpa/controller.js';
import { JobController } from '../../controllers/job/controller.js';
import { NamespaceController } from '../../controllers/namespace/controller.js';
import { NodegroupController } from '../../controllers/nodegroup/controller.js';
import { NodeLifecycleController, type NodeLifecycleOptions } from '../../controllers/nodelifecycle/controller.js';
import { ReplicaSetController } from '../../controllers/replicaset/controller.js';
import { ReplicationControllerController } from '../../controllers/replicaset/replication-controller.js';
import { StatefulSetController } from '../../controllers/statefulset/controller.js';
import { TtlAfterFinishedController } from '../../controllers/ttlafterfinished/controller.js';
import { type ApiContext, inProcessClient, namespacedResources, trackedResources } from '../../kube/index.js';
import { ClusterMetrics } from '../../metering/cluster-metrics.js';
import { MeteringController } from '../../metering/controller.js';
import { DefaultScheduler } from '../../scheduler/default/scheduler.js';
import { FargateScheduler } from '../../scheduler/fargate/scheduler.js';
import { VpcAddresses } from '../../scheduler/ipam/vpc-addresses.js';
import type { VpcIpam } from '../../scheduler/ipam/vpc-ipam.js';
import { reportControlPlaneHealth } from './component-health.js';

export interface Startable {
  start(): Promise<void>;
  stop(): void | Promise<void>;
}

export interface ControlPlaneOptions {
  ctx: ApiContext;
  /** The EKS side: VPC subnets, Fargate profiles, node groups. */
  facts: ClusterFacts;
  /** Where the kube API listens: the `kubernetes` Service's endpoints. */
  apiServer?: { addresses: string[]; port: number };
  /** The VPC's address book shared with the other clusters of the process (src/cli/cluster/fleet.ts). */
  vpcIpam?: VpcIpam;
  /** The node lifecycle controller's grace periods (kube's when unset). */
  nodeLifecycle?: NodeLifecycleOptions;
}

export interface ControlPlane {
  stop(): Promise<void>;
}

/** Starts each component in turn; if one fails, the ones already started are stopped before the error is thrown. */
export async function startAll(components: Startable[]): Promise<ControlPlane> {
  const started: Startable[] = [];
  const stop = async () => {
    for (const component of started.splice(0).reverse()) await component.stop();
  };
  try {
    for (const component of components) {
      await component.start();
      started.push(component);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}

/**
 * The admission plugins of the API: registered before the API listens (`skiff up` calls this first), so no request
 * is ever admitted without them. `stop` unregisters nothing but closes what they watch.
 */
export async function registerAdmission(ctx: ApiContext, facts: ClusterFacts): Promise<ControlPlane> {
  const admission = await registerFargateAdmission(ctx, facts);
  ctx.admission.addMutating(irsaAdmission(ctx, facts.region));
  return { stop: async () => admission.close() };
}

export async function startControlPlane({
  ctx,
  facts,
  apiServer,
  vpcIpam,
  nodeLifecycle,
}: ControlPlaneOptions): Promise<ControlPlane> {
  const client = inProcessClient(ctx);
  const ipam = new VpcAddresses(client, await facts.subnets(), { ipam: vpcIpam });
  const metering = new MeteringController(client, { cluster: { cluster: facts.clusterName, region: facts.region } });
  const metrics = new ClusterMetrics(client, { region: facts.region, metering });
  ctx.metrics = metrics;
  const plane = await startAll([
    new NamespaceController(client, () => namespacedResources(ctx)),
    new GarbageCollector(client, () => trackedResources(ctx)),
    new ReplicaSetController(client),
    new ReplicationControllerController(client),
    new DeploymentController(client),
    new DaemonSetController(client),
    new StatefulSetController(client),
    new JobController(client),
    new CronJobController(client),
    new TtlAfterFinishedController(client),
    new EndpointsController(client, { apiServer }),
    new EndpointSliceController(client),
    new DisruptionController(client),
    new HorizontalPodAutoscalerController(client),
    new FargateProfileController(client, facts),
    new FargateScheduler({ client, facts, ipam }),
    new NodegroupController({ client, facts, ipam }),
    new NodeLifecycleController(client, nodeLifecycle),
    new DefaultScheduler({ client }),
    metering,
    metrics,
  ]);
  const withdraw = reportControlPlaneHealth(ctx, client);
  return {
    stop: async () => {
      withdraw();
      await plane.stop();
    },
  };
}
