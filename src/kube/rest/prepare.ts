// Checks shared by create and update: the object's kind and apiVersion against the URL, its namespace, names and
// labels, and the kind's own validation — all reported as kube-apiserver reports them.
import { randomBytes } from 'node:crypto';
import { badRequest, type FieldCause, forbidden, invalid, notFound } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import type { ResourceInfo } from '../resources/types.js';
import { apiVersionOf } from '../resources/types.js';
import type { Schema } from '../schema/index.js';
import { validateCustomResource } from '../schema/validate-custom.js';
import { decode, objectKey } from '../storage/objects.js';
import { strategyFor } from '../strategy/index.js';
import { validateLabels, validateName } from '../strategy/names.js';
import type { ApiContext } from './context.js';
import { checkDecodableTypes, dropUnknownFields } from './decode-types.js';

export function checkTypeAndNamespace(info: ResourceInfo, namespace: string | undefined, object: KubeObject): void {
  if (!object || typeof object !== 'object' || Array.isArray(object))
    throw badRequest('the body of the request was not a JSON object');
  const expected = apiVersionOf(info);
  if (object.apiVersion && object.apiVersion !== expected) {
    throw badRequest(
      `the API version in the data (${object.apiVersion}) does not match the expected API version (${expected})`,
    );
  }
  if (object.kind && object.kind !== info.kind) {
    throw badRequest(`the kind in the data (${object.kind}) does not match the expected kind (${info.kind})`);
  }
  object.apiVersion = expected;
  object.kind = info.kind;
  checkDecodableTypes(info, object);
  dropUnknownFields(info, object);
  if (!object.metadata || typeof object.metadata !== 'object') object.metadata = {};
  if (info.namespaced) {
    if (object.metadata.namespace && namespace && object.metadata.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    object.metadata.namespace = namespace ?? object.metadata.namespace;
  } else {
    delete object.metadata.namespace;
  }
}

/** Whether each namespace was terminating at the revision it was last read at (decoded once per revision). */
const terminatingAt = new WeakMap<ApiContext, Map<string, { revision: number; terminating: boolean }>>();

/** The namespace must exist, and new objects may not go into a terminating one. */
export async function checkNamespaceOpen(ctx: ApiContext, info: ResourceInfo, namespace: string, name: string) {
  const nsInfo = ctx.registry.lookup('', 'v1', 'namespaces')!;
  const kv = await ctx.store.get(objectKey(nsInfo, undefined, namespace));
  if (!kv) throw notFound('namespaces', namespace);
  const known = terminatingAt.get(ctx) ?? new Map<string, { revision: number; terminating: boolean }>();
  terminatingAt.set(ctx, known);
  let state = known.get(namespace);
  if (state?.revision !== kv.modRevision) {
    const ns = decode(kv, nsInfo);
    state = {
      revision: kv.modRevision,
      terminating: Boolean(ns.metadata.deletionTimestamp) || ns.status?.phase === 'Terminating',
    };
    known.set(namespace, state);
  }
  if (state.terminating) {
    throw forbidden(
      `${info.group ? `${info.resource}.${info.group}` : info.resource} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
    );
  }
}

const generateAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

export function generateName(prefix: string): string {
  const bytes = randomBytes(5);
  let suffix = '';
  for (const b of bytes) suffix += generateAlphabet[b % generateAlphabet.length];
  return `${prefix.slice(0, 58)}${suffix}`;
}

export function validateObject(info: ResourceInfo, object: KubeObject, old?: KubeObject): void {
  const strategy = strategyFor(info);
  const name = object.metadata.name ?? '';
  const causes: FieldCause[] = [];
  if (!name) {
    causes.push({
      field: 'metadata.name',
      reason: 'FieldValueRequired',
      message: 'Required value: name or generateName is required',
    });
  } else {
    causes.push(...validateName(name, info.custom ? 'subdomain' : (strategy.nameFormat ?? 'subdomain')));
  }
  causes.push(...validateLabels(object.metadata.labels, 'metadata.labels'));
  if (
    object.metadata.annotations !== undefined &&
    (typeof object.metadata.annotations !== 'object' || object.metadata.annotations === null)
  ) {
    causes.push({
      field: 'metadata.annotations',
      reason: 'FieldValueInvalid',
      message: 'Invalid value: must be a map of strings',
    });
  }
  if (info.custom) causes.push(...validateCustomResource(info.custom.schema as Schema | undefined, object));
  causes.push(...(strategy.validate?.(object, old) ?? []));
  if (causes.length) throw invalid(info.kind, info.group, name, causes);
}
