// The EndpointSlice controller: watches Services, Pods, Nodes and its own EndpointSlices, routing every change to
// the selecting Services' keys; reconcileEndpointSlices runs per key (slices are always re-listed, so a stale
// cache never duplicates them). Nodes are read from their informer's cache for zones.

import { Controller, type ControllerOptions, namespacedName, noKeys, selectingKeys } from '../../client/controller.js';
import type { Informer } from '../../client/informer.js';
import type { Lister } from '../../client/lister.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { selects } from '../endpoints/pods.js';
import { TriggerTimeTracker } from '../endpoints/trigger-time.js';
import { reconcileEndpointSlices } from './reconcile.js';
import { controllerName, managedByLabel, serviceNameLabel } from './slices.js';

export type EndpointSliceControllerOptions = ControllerOptions;

export class EndpointSliceController extends Controller {
  private triggerTimes = new TriggerTimeTracker();
  private nodes: Informer;
  private readonly pods: Lister;

  constructor(client: KubeClient, options: EndpointSliceControllerOptions = {}) {
    super(client, 'endpointslice controller', options);
    this.nodes = this.watch({ apiVersion: 'v1', kind: 'Node' }, noKeys);
    const services = this.watch({ apiVersion: 'v1', kind: 'Service' });
    this.pods = this.watch({ apiVersion: 'v1', kind: 'Pod' }, selectingKeys(services.cache, selects)).lister;
    this.watch({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice' }, serviceOfSlice);
  }

  protected override reconcile(key: string) {
    return reconcileEndpointSlices(this.client, this.pods, ...namespacedName(key), this.triggerTimes, (name) =>
      this.nodeOf(name),
    );
  }

  private async nodeOf(name: string): Promise<KubeObject | undefined> {
    const cached = this.nodes.cache.get(name);
    if (cached) return cached;
    return this.client.get({ apiVersion: 'v1', kind: 'Node' }, name).catch((error) => {
      if (error?.code === 404) return undefined;
      throw error;
    });
  }
}

/** The Service a slice this controller manages belongs to. */
function serviceOfSlice(old: KubeObject | undefined, current: KubeObject | undefined): string[] {
  const slice = (current ?? old)!;
  const labels = slice.metadata.labels ?? {};
  if (labels[managedByLabel] !== controllerName || !labels[serviceNameLabel]) return [];
  return [`${slice.metadata.namespace}/${labels[serviceNameLabel]}`];
}
