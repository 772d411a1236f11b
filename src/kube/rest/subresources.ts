// The subresources that are not plain object writes: scale (an autoscaling/v1 Scale view of spec.replicas),
// pods/binding (the scheduler's assignment); pods/eviction lives in eviction.ts.
import { badRequest, conflict, invalid, notFound, statusSuccess } from '../api/errors.js';
import type { KubeObject, Status } from '../api/types.js';
import type { PatchType } from '../client/types.js';
import type { ResourceInfo } from '../resources/types.js';
import { formatLabelSelector, labelSelectorOf } from '../selectors/labels.js';
import { type ApiContext, nowTimestamp, type RequestOptions } from './context.js';
import { checkKindTypes } from './decode-types.js';
import { getOne } from './get.js';
import { applyPatch } from './patch.js';
import { guaranteedUpdate } from './update.js';

function readPath(object: any, path: string): any {
  return path
    .split('.')
    .filter(Boolean)
    .reduce((o, key) => o?.[key], object);
}

function writePath(object: any, path: string, value: unknown): void {
  const keys = path.split('.').filter(Boolean);
  const last = keys.pop()!;
  let target = object;
  for (const key of keys) target = target[key] ??= {};
  target[last] = value;
}

export function toScale(info: ResourceInfo, object: KubeObject): KubeObject {
  const scale = info.scale!;
  const selector = info.custom
    ? readPath(object, scale.labelSelectorPath ?? '')
    : formatLabelSelector(labelSelectorOf(object)).replace('<none>', '');
  const status: Record<string, unknown> = { replicas: readPath(object, scale.statusReplicasPath) ?? 0 };
  if (selector) status.selector = selector;
  const { name, namespace, uid, resourceVersion, creationTimestamp } = object.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: readPath(object, scale.specReplicasPath) ?? 0 },
    status,
  };
}

export async function getScale(ctx: ApiContext, info: ResourceInfo, namespace: string | undefined, name: string) {
  return toScale(info, await getOne(ctx, info, namespace, name));
}

/** Writes a Scale (from PUT) or a patch of the Scale (from PATCH) into the object's spec replicas. */
export async function writeScale(
  ctx: ApiContext,
  info: ResourceInfo,
  namespace: string | undefined,
  name: string,
  change: { scale: KubeObject } | { patch: unknown; type: PatchType },
  options: RequestOptions = {},
): Promise<KubeObject> {
  const updated = await guaranteedUpdate(
    ctx,
    info,
    namespace,
    name,
    (old) => {
      const scale =
        'scale' in change ? change.scale : applyPatch(info, toScale(info, old), change.patch, change.type, 'scale');
      const replicas = scale?.spec?.replicas;
      if (!Number.isInteger(replicas) || replicas < 0) {
        throw invalid('Scale', 'autoscaling', name, [
          {
            field: 'spec.replicas',
            reason: 'FieldValueInvalid',
            message: `Invalid value: ${replicas}: must be greater than or equal to 0`,
          },
        ]);
      }
      writePath(old, info.scale!.specReplicasPath, replicas);
      return old;
    },
    { ...options, subresource: 'scale' },
    'scale' in change ? change.scale.metadata?.resourceVersion || undefined : undefined,
  );
  return toScale(info, updated);
}

export async function bindPod(
  ctx: ApiContext,
  info: ResourceInfo,
  namespace: string,
  name: string,
  binding: KubeObject,
  options: RequestOptions = {},
): Promise<Status> {
  checkKindTypes({ group: '', version: 'v1', kind: 'Binding' }, binding);
  const node = binding?.target?.name;
  if (!node) throw badRequest('target.name: Required value');
  await guaranteedUpdate(
    ctx,
    info,
    namespace,
    name,
    (pod) => {
      if (pod.spec.nodeName) {
        throw conflict('pods', name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`, '', 'pods');
      }
      if (pod.metadata.deletionTimestamp) throw notFound('pods', name);
      pod.spec.nodeName = node;
      // As kube-apiserver's setPodHostAndAnnotations: the Binding's annotations are copied onto the pod.
      const annotations = binding.metadata?.annotations;
      if (annotations && Object.keys(annotations).length > 0) {
        pod.metadata.annotations = { ...pod.metadata.annotations, ...annotations };
      }
      pod.status.conditions ??= [];
      const conditions = pod.status.conditions.filter((c: any) => c.type !== 'PodScheduled');
      conditions.push({
        type: 'PodScheduled',
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: nowTimestamp(),
      });
      pod.status.conditions = conditions;
      return pod;
    },
    // The pod gets the Binding's node and annotations (checked above) and a condition made here: nothing from the
    // client to check again in it.
    { ...options, subresource: 'binding', touched: [] },
  );
  return { ...statusSuccess(), code: 201 };
}

export { evictPod } from './eviction.js';
