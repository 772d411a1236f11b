// GET of one object: 404 NotFound with the real message when it is not stored.
import { notFound } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import type { ResourceInfo } from '../resources/types.js';
import { qualifiedName } from '../resources/types.js';
import { getObject } from '../storage/objects.js';
import type { ApiContext } from './context.js';

export async function getOne(
  ctx: ApiContext,
  info: ResourceInfo,
  namespace: string | undefined,
  name: string,
): Promise<KubeObject> {
  const object = await getObject(ctx.store, info, namespace, name);
  if (!object) throw notFound(qualifiedName(info), name, info.group, info.resource);
  return object;
}
