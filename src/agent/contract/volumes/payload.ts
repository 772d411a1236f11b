// The files of the volumes the kubelet writes itself — configMap, secret, downwardAPI and projected (with
// serviceAccountToken) — as payloads for the atomic writer: items or every key, modes (defaultMode, per-item
// mode), `optional`, and the kubelet's errors for a missing object or key.
import type { KubeObject } from '../../../kube/api/types.js';
import type { SandboxPod } from '../../driver.js';
import type { Container } from '../../lifecycle/runtime.js';
import { type Allocatable, podFieldValue, resourceFieldValue } from '../fields.js';
import type { ContractReader } from '../reader.js';
import type { Payload } from './atomic-writer.js';
import type { TokenCache } from './tokens.js';

export const defaultFileMode = 0o644;

export interface PayloadContext {
  reader: ContractReader;
  pod: SandboxPod;
  allocatable: () => Promise<Allocatable>;
  tokens: TokenCache;
  /** The volume's name (keys the tokens it holds). */
  volume: string;
}

/** A volume's payload could not be built: the text after `MountVolume.SetUp failed for volume "x" : `. */
export class PayloadError extends Error {}

interface KeyToPath {
  key: string;
  path: string;
  mode?: number;
}

/** The object's keys → bytes: ConfigMap data and binaryData, Secret data (base64). */
function bytesOf(object: KubeObject, secret: boolean): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const [key, value] of Object.entries<string>(object.data ?? {})) {
    out.set(key, secret ? Buffer.from(String(value), 'base64') : Buffer.from(String(value), 'utf8'));
  }
  if (!secret)
    for (const [key, value] of Object.entries<string>(object.binaryData ?? {}))
      out.set(key, Buffer.from(value, 'base64'));
  return out;
}

function project(
  payload: Payload,
  data: Map<string, Buffer>,
  items: KeyToPath[] | undefined,
  defaultMode: number,
  optional: boolean,
  missingKey: (key: string) => string,
): void {
  if (!items?.length) {
    for (const [key, bytes] of data) payload.set(key, { data: bytes, mode: defaultMode });
    return;
  }
  for (const item of items) {
    const bytes = data.get(item.key);
    if (!bytes) {
      if (optional) continue;
      throw new PayloadError(missingKey(item.key));
    }
    payload.set(item.path, { data: bytes, mode: item.mode ?? defaultMode });
  }
}

async function configMapInto(payload: Payload, source: any, defaultMode: number, ctx: PayloadContext) {
  const object = await ctx.reader.configMap(ctx.pod.namespace, source.name);
  if (!object) {
    if (source.optional) return;
    throw new PayloadError(`configmap "${source.name}" not found`);
  }
  project(
    payload,
    bytesOf(object, false),
    source.items,
    defaultMode,
    Boolean(source.optional),
    (key) => `configmap references non-existent config key: ${key}`,
  );
}

async function secretInto(payload: Payload, name: string, source: any, defaultMode: number, ctx: PayloadContext) {
  const object = await ctx.reader.secret(ctx.pod.namespace, name);
  if (!object) {
    if (source.optional) return;
    throw new PayloadError(`secret "${name}" not found`);
  }
  project(
    payload,
    bytesOf(object, true),
    source.items,
    defaultMode,
    Boolean(source.optional),
    (key) => `references non-existent secret key: ${key}`,
  );
}

function containerNamed(pod: SandboxPod, name: string): Container | undefined {
  const spec = pod.pod.spec ?? {};
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])].find((c: Container) => c.name === name);
}

async function downwardInto(payload: Payload, items: any[], defaultMode: number, ctx: PayloadContext) {
  for (const item of items ?? []) {
    let value: string | undefined;
    if (item.fieldRef) {
      value = podFieldValue(ctx.pod, item.fieldRef.fieldPath, true);
      if (value === undefined) throw new PayloadError(`unsupported fieldPath: ${item.fieldRef.fieldPath}`);
    } else if (item.resourceFieldRef) {
      const container = containerNamed(ctx.pod, item.resourceFieldRef.containerName);
      if (!container) throw new PayloadError(`container ${item.resourceFieldRef.containerName} not found`);
      try {
        value = resourceFieldValue(container, item.resourceFieldRef, await ctx.allocatable());
      } catch (error: any) {
        throw new PayloadError(error?.message ?? String(error));
      }
    } else continue;
    payload.set(item.path, { data: Buffer.from(value), mode: item.mode ?? defaultMode });
  }
}

async function tokenInto(payload: Payload, source: any, defaultMode: number, ctx: PayloadContext) {
  const pod = ctx.pod;
  const account = pod.pod.spec?.serviceAccountName || 'default';
  const token = await ctx.tokens.get(`${ctx.volume}/${source.path}`, async () => {
    try {
      return await ctx.reader.token(pod.namespace, account, {
        audiences: source.audience ? [source.audience] : [],
        expirationSeconds: Number(source.expirationSeconds ?? 3600),
        pod: { name: pod.name, uid: pod.uid },
      });
    } catch (error: any) {
      throw new PayloadError(`failed to fetch token: ${error?.message ?? error}`);
    }
  });
  payload.set(source.path, { data: Buffer.from(token), mode: defaultMode });
}

/** The payload of a configMap, secret, downwardAPI or projected volume. */
export async function payloadOf(volume: any, ctx: PayloadContext): Promise<Payload> {
  const payload: Payload = new Map();
  if (volume.configMap) {
    await configMapInto(payload, volume.configMap, volume.configMap.defaultMode ?? defaultFileMode, ctx);
  } else if (volume.secret) {
    const source = volume.secret;
    await secretInto(payload, source.secretName, source, source.defaultMode ?? defaultFileMode, ctx);
  } else if (volume.downwardAPI) {
    await downwardInto(payload, volume.downwardAPI.items, volume.downwardAPI.defaultMode ?? defaultFileMode, ctx);
  } else if (volume.projected) {
    const mode = volume.projected.defaultMode ?? defaultFileMode;
    for (const source of volume.projected.sources ?? []) {
      if (source.configMap) await configMapInto(payload, source.configMap, mode, ctx);
      else if (source.secret) await secretInto(payload, source.secret.name, source.secret, mode, ctx);
      else if (source.downwardAPI) await downwardInto(payload, source.downwardAPI.items, mode, ctx);
      else if (source.serviceAccountToken) await tokenInto(payload, source.serviceAccountToken, mode, ctx);
      else if (source.clusterTrustBundle) throw new PayloadError('clusterTrustBundle projections are not supported');
    }
  }
  return payload;
}
