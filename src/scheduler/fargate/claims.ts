// The facts the Fargate support check needs about a pod's PersistentVolumeClaims: whether each exists and, when
// bound, its volume's CSI driver or in-tree type. Fetched only for pods that mount claims.

import type { ClaimFacts, SupportContext } from '../../fargate/support.js';
import { isNotFound } from '../../kube/api/errors.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';

/** A SupportContext whose claim lookup answers from the API as it is now. */
export async function claimContext(client: KubeClient, pod: KubeObject): Promise<SupportContext> {
  const names: string[] = (pod.spec?.volumes ?? [])
    .map((v: any) => v?.persistentVolumeClaim?.claimName)
    .filter((n: unknown): n is string => typeof n === 'string');
  if (names.length === 0) return {};
  const facts = new Map<string, ClaimFacts | undefined>();
  for (const name of new Set(names)) facts.set(name, await claimFacts(client, pod.metadata.namespace!, name));
  return { claim: (name) => facts.get(name) };
}

async function claimFacts(client: KubeClient, namespace: string, name: string): Promise<ClaimFacts | undefined> {
  let claim: KubeObject;
  try {
    claim = await client.get({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace }, name);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  const volumeName: string | undefined = claim.spec?.volumeName || undefined;
  if (!volumeName) return {};
  let volume: KubeObject;
  try {
    volume = await client.get({ apiVersion: 'v1', kind: 'PersistentVolume' }, volumeName);
  } catch (error) {
    if (isNotFound(error)) return { volumeName };
    throw error;
  }
  const spec = volume.spec ?? {};
  const csiDriver: string | undefined = spec.csi?.driver;
  const sourceKeys = Object.keys(spec).filter((k) => !notSources.has(k));
  return { volumeName, csiDriver, volumeType: csiDriver ? undefined : sourceKeys[0] };
}

/** PersistentVolumeSpec fields that are not a volume source. */
const notSources = new Set([
  'accessModes',
  'capacity',
  'claimRef',
  'mountOptions',
  'nodeAffinity',
  'persistentVolumeReclaimPolicy',
  'storageClassName',
  'volumeMode',
  'volumeAttributesClassName',
  'csi',
]);
