// The kubernetes plugin's connection to the API, as a pod makes it: the `kubernetes` Service address from
// KUBERNETES_SERVICE_HOST/PORT, the ServiceAccount token and CA the pod contract mounts (the token re-read when the
// kubelet rotates it), and watches of Services and EndpointSlices in every namespace feeding the ClusterView.
import { readFileSync } from 'node:fs';
import { Informer } from '../../../client/informer.js';
import type { KubeObject } from '../../../kube/api/types.js';
import { HttpKubeClient } from '../../../kube/client/http.js';
import type { KubeClient } from '../../../kube/client/types.js';
import type { ClusterView, EndpointSliceObject, ServiceObject } from './cluster-view.js';

export const serviceAccountDir = '/var/run/secrets/kubernetes.io/serviceaccount';

/** A KubeClient over HTTPS whose bearer token follows the mounted token file. */
export function inClusterClient(env = process.env, dir = serviceAccountDir): KubeClient {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT ?? '443';
  if (!host)
    throw new Error(
      'unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined',
    );
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const ca = readFileSync(`${dir}/ca.crt`, 'utf8');
  let token = '';
  let client: HttpKubeClient | undefined;
  const current = (): HttpKubeClient => {
    const now = readFileSync(`${dir}/token`, 'utf8').trim();
    if (!client || now !== token) {
      client?.close();
      token = now;
      client = new HttpKubeClient({ server, ca, token });
    }
    return client;
  };
  return {
    get: (ref, name, sub) => current().get(ref, name, sub),
    list: (ref, params) => current().list(ref, params),
    create: (object, params) => current().create(object, params),
    createSubresource: (parent, name, sub, body) => current().createSubresource(parent, name, sub, body),
    update: (object, params) => current().update(object, params),
    patch: (ref, name, patch, type, params) => current().patch(ref, name, patch, type, params),
    delete: (ref, name, options) => current().delete(ref, name, options),
    watch: (ref, params, onEvent) => current().watch(ref, params, onEvent),
  };
}

export interface KubeSource {
  /** Resolves once both resources have been listed (the `ready` plugin's condition). */
  synced: Promise<void>;
  stop(): void;
}

export function watchCluster(client: KubeClient, view: ClusterView, onError: (error: unknown) => void): KubeSource {
  const services = new Informer<ServiceObject>(
    client,
    { apiVersion: 'v1', kind: 'Service' },
    (old, current) => view.setService(current, old),
    onError,
  );
  const slices = new Informer<EndpointSliceObject>(
    client,
    { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice' },
    (old, current) => view.setSlice(current, old),
    onError,
  );
  const startUntilListed = async (informer: Informer<KubeObject>) => {
    for (;;) {
      try {
        return await informer.start();
      } catch (error) {
        onError(error);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  };
  const synced = Promise.all([
    startUntilListed(services as Informer<KubeObject>),
    startUntilListed(slices as Informer<KubeObject>),
  ]).then(() => {});
  return {
    synced,
    stop() {
      services.stop();
      slices.stop();
    },
  };
}
