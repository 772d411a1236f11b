// The Endpoints controller: informers on Services, Pods and Endpoints route every change to the selecting
// Services' keys; a work queue runs reconcileEndpoints. With `apiServer` given it also keeps the `kubernetes`
// Service's Endpoints and EndpointSlice pointing at the API server (re-checked every 10 s, as kube-apiserver does).
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { Informer, keyOf } from '../runtime/informer.js';
import { WorkQueue } from '../runtime/queue.js';
import { type ApiServerEndpoints, reconcileApiServerEndpoints } from './apiserver.js';
import { selects } from './pods.js';
import { reconcileEndpoints } from './reconcile.js';
import { TriggerTimeTracker } from './trigger-time.js';

export interface EndpointsControllerOptions {
  workers?: number;
  onError?: (error: unknown) => void;
  /** The API server's own addresses for the `kubernetes` Service; without it that Service is left alone. */
  apiServer?: ApiServerEndpoints;
}

const apiServerKey = 'default/kubernetes';
const apiServerResyncMs = 10_000;

export class EndpointsController {
  readonly queue: WorkQueue;
  private services: Informer;
  private pods: Informer;
  private endpoints: Informer;

  constructor(client: KubeClient, options: EndpointsControllerOptions = {}) {
    const onError = options.onError ?? ((error) => console.error('endpoints controller:', error));
    const triggerTimes = new TriggerTimeTracker();
    this.queue = new WorkQueue(
      async (key) => {
        if (key === apiServerKey && options.apiServer) {
          await reconcileApiServerEndpoints(client, options.apiServer);
          return { requeueAfterMs: apiServerResyncMs };
        }
        const [namespace, name] = key.split('/');
        return reconcileEndpoints(client, namespace, name, triggerTimes);
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
    this.endpoints = new Informer(
      client,
      { apiVersion: 'v1', kind: 'Endpoints' },
      (old, current) => {
        if (!current && old) this.queue.add(keyOf(old));
      },
      onError,
    );
    if (options.apiServer) this.queue.add(apiServerKey);
  }

  async start(): Promise<void> {
    await this.services.start();
    await this.pods.start();
    await this.endpoints.start();
  }

  stop(): void {
    this.services.stop();
    this.pods.stop();
    this.endpoints.stop();
    this.queue.stop();
  }

  private podChanged(old: KubeObject | undefined, pod: KubeObject | undefined): void {
    for (const service of this.services.cache.values()) {
      if ((old && selects(service, old)) || (pod && selects(service, pod))) this.queue.add(keyOf(service));
    }
  }
}
