// The EndpointSlice controller: informers on Services, Pods, Nodes and its own EndpointSlices route every change
// to the selecting Services' keys; a work queue runs reconcileEndpointSlices (slices are always re-listed, so
// a stale cache never duplicates them). Nodes are read from their informer's cache for zones.
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { selects } from '../endpoints/pods.js';
import { TriggerTimeTracker } from '../endpoints/trigger-time.js';
import { Informer, keyOf } from '../runtime/informer.js';
import { WorkQueue } from '../runtime/queue.js';
import { reconcileEndpointSlices } from './reconcile.js';
import { controllerName, managedByLabel, serviceNameLabel } from './slices.js';

export interface EndpointSliceControllerOptions {
  workers?: number;
  onError?: (error: unknown) => void;
}

export class EndpointSliceController {
  readonly queue: WorkQueue;
  private services: Informer;
  private pods: Informer;
  private nodes: Informer;
  private slices: Informer;

  constructor(client: KubeClient, options: EndpointSliceControllerOptions = {}) {
    const onError = options.onError ?? ((error) => console.error('endpointslice controller:', error));
    const triggerTimes = new TriggerTimeTracker();
    const nodeOf = async (name: string) => {
      const cached = this.nodes.cache.get(name);
      if (cached) return cached;
      return client.get({ apiVersion: 'v1', kind: 'Node' }, name).catch((error) => {
        if (error?.code === 404) return undefined;
        throw error;
      });
    };
    this.queue = new WorkQueue(
      (key) => {
        const [namespace, name] = key.split('/');
        return reconcileEndpointSlices(client, namespace, name, triggerTimes, nodeOf);
      },
      (_key, error) => onError(error),
      options.workers ?? 5,
    );
    this.services = new Informer(
      client,
      { apiVersion: 'v1', kind: 'Service' },
      (old, svc) => this.queue.add(keyOf((svc ?? old)!)),
      onError,
    );
    this.pods = new Informer(
      client,
      { apiVersion: 'v1', kind: 'Pod' },
      (old, pod) => this.podChanged(old, pod),
      onError,
    );
    this.nodes = new Informer(client, { apiVersion: 'v1', kind: 'Node' }, () => {}, onError);
    this.slices = new Informer(
      client,
      { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice' },
      (old, slice) => this.sliceChanged((slice ?? old)!),
      onError,
    );
  }

  async start(): Promise<void> {
    await this.nodes.start();
    await this.services.start();
    await this.pods.start();
    await this.slices.start();
  }

  stop(): void {
    for (const informer of [this.services, this.pods, this.nodes, this.slices]) informer.stop();
    this.queue.stop();
  }

  private podChanged(old: KubeObject | undefined, pod: KubeObject | undefined): void {
    for (const service of this.services.cache.values()) {
      if ((old && selects(service, old)) || (pod && selects(service, pod))) this.queue.add(keyOf(service));
    }
  }

  private sliceChanged(slice: KubeObject): void {
    const labels = slice.metadata.labels ?? {};
    if (labels[managedByLabel] !== controllerName || !labels[serviceNameLabel]) return;
    this.queue.add(`${slice.metadata.namespace}/${labels[serviceNameLabel]}`);
  }
}
