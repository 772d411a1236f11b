// The control plane that runs beside the kube API: every controller and scheduler, started in order and stopped in
// reverse. `skiff up` and the benchmarks start it the same way; each piece is a client of the kube API.
import { DeploymentController } from '../../controllers/deployment/controller.js';
import { GarbageCollector } from '../../controllers/garbagecollector/controller.js';
import { NamespaceController } from '../../controllers/namespace/controller.js';
import { ReplicaSetController } from '../../controllers/replicaset/controller.js';
import { type ApiContext, inProcessClient, namespacedResources, trackedResources } from '../../kube/index.js';

export interface Startable {
  start(): Promise<void>;
  stop(): void | Promise<void>;
}

export interface ControlPlaneOptions {
  ctx: ApiContext;
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

export function startControlPlane({ ctx }: ControlPlaneOptions): Promise<ControlPlane> {
  const client = inProcessClient(ctx);
  return startAll([
    new NamespaceController(client, () => namespacedResources(ctx)),
    new GarbageCollector(client, () => trackedResources(ctx)),
    new ReplicaSetController(client),
    new DeploymentController(client),
  ]);
}
