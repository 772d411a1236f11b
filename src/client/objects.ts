// Reads that tolerate absence: an object that is gone (404) reads as undefined, any other failure is thrown.
import { ignoreNotFound } from '../kube/api/errors.js';
import type { KubeObject } from '../kube/api/types.js';
import type { KubeClient, ResourceRef } from '../kube/client/types.js';

export async function getIfExists(client: KubeClient, ref: ResourceRef, name: string): Promise<KubeObject | undefined> {
  return client.get(ref, name).catch(ignoreNotFound);
}
