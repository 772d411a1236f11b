// CREATE (POST): names, defaults and server-set metadata, mutating admission, validation, validating admission,
// then one atomic store create (409 AlreadyExists when the name is taken). dryRun stops before the store.
import { randomUUID } from 'node:crypto';
import { KeyExistsError } from '../../store/errors.js';
import { alreadyExists, badRequest } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import { recordUpdate } from '../managedfields/record.js';
import { writerOf } from '../managedfields/writer.js';
import type { ResourceInfo } from '../resources/types.js';
import { qualifiedName } from '../resources/types.js';
import { encode, objectKey } from '../storage/objects.js';
import { strategyFor, tracksGeneration } from '../strategy/index.js';
import { type ApiContext, notifyWrite, nowTimestamp, type RequestOptions } from './context.js';
import { checkNamespaceOpen, checkTypeAndNamespace, generateName, validateObject } from './prepare.js';
import { schemaOf } from './schema-of.js';
import { writeEncoded } from './written.js';

export async function createObject(
  ctx: ApiContext,
  info: ResourceInfo,
  namespace: string | undefined,
  object: KubeObject,
  options: RequestOptions = {},
): Promise<KubeObject> {
  checkTypeAndNamespace(info, namespace, object);
  const meta = object.metadata;
  if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName);
  if (info.namespaced && !meta.namespace)
    throw badRequest('the namespace of the provided object must be set for a namespaced resource');
  if (info.namespaced) await checkNamespaceOpen(ctx, info, meta.namespace!, meta.name ?? '');
  meta.uid = randomUUID();
  meta.creationTimestamp = nowTimestamp();
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  if (tracksGeneration(info)) meta.generation = 1;
  else delete meta.generation;
  strategyFor(info).prepareForCreate?.(object);
  if (!options.managedFieldsRecorded) {
    delete meta.managedFields;
    recordUpdate(undefined, object, schemaOf(info), writerOf(info, options));
  }
  const request = {
    operation: 'CREATE' as const,
    resource: info,
    namespace: meta.namespace,
    name: meta.name ?? '',
    object,
    user: options.user,
    dryRun: Boolean(options.dryRun),
  };
  await ctx.admission.admit(request);
  validateObject(info, object);
  await ctx.admission.validate(request);
  if (options.dryRun) return object;
  try {
    const key = objectKey(info, meta.namespace, meta.name!);
    const text = encode(object, info);
    const created = await writeEncoded(info, key, text, object, () => ctx.store.create(key, text));
    await notifyWrite(ctx, info, created);
    return created;
  } catch (error) {
    if (error instanceof KeyExistsError)
      throw alreadyExists(qualifiedName(info), meta.name!, info.group, info.resource);
    throw error;
  }
}
