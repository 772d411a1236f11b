// The Endpoints controller: watches Services, Pods and Endpoints, routing every change to the selecting
// Services' keys; reconcileEndpoints runs per key. With `apiServer` given it also keeps the `kubernetes`
// Service's Endpoints and EndpointSlice pointing at the API server (re-checked every 10 s, as kube-apiserver does).

import { Controller, type ControllerOptions, namespacedName, selectingKeys } from '../../client/controller.js';
import { keyOf } from '../../client/informer.js';
import type { Lister } from '../../client/lister.js';
import type { KubeClient } from '../../kube/client/types.js';
import { type ApiServerEndpoints, reconcileApiServerEndpoints } from './apiserver.js';
import { selects } from './pods.js';
import { reconcileEndpoints } from './reconcile.js';
import { TriggerTimeTracker } from './trigger-time.js';

export interface EndpointsControllerOptions extends ControllerOptions {
  /** The API server's own addresses for the `kubernetes` Service; without it that Service is left alone. */
  apiServer?: ApiServerEndpoints;
}

const apiServerKey = 'default/kubernetes';
const apiServerResyncMs = 10_000;

export class EndpointsController extends Controller {
  private triggerTimes = new TriggerTimeTracker();
  private apiServer?: ApiServerEndpoints;
  private readonly pods: Lister;

  constructor(client: KubeClient, options: EndpointsControllerOptions = {}) {
    super(client, 'endpoints controller', options);
    this.apiServer = options.apiServer;
    const services = this.watch({ apiVersion: 'v1', kind: 'Service' });
    this.pods = this.watch({ apiVersion: 'v1', kind: 'Pod' }, selectingKeys(services.cache, selects)).lister;
    this.watch({ apiVersion: 'v1', kind: 'Endpoints' }, (old, current) => (!current && old ? [keyOf(old)] : []));
    if (this.apiServer) this.queue.add(apiServerKey);
  }

  protected override async reconcile(key: string) {
    if (key === apiServerKey && this.apiServer) {
      await reconcileApiServerEndpoints(this.client, this.apiServer);
      return { requeueAfterMs: apiServerResyncMs };
    }
    return reconcileEndpoints(this.client, this.pods, ...namespacedName(key), this.triggerTimes);
  }
}
