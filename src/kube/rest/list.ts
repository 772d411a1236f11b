// LIST: every object under a resource (optionally one namespace) at one consistent revision, filtered by label
// and field selectors, paged with limit/continue (the continue token pins the revision, as etcd3 storage does).
import { CompactedError, FutureRevisionError } from '../../store/errors.js';
import { badRequest, gone } from '../api/errors.js';
import type { KubeList, KubeObject } from '../api/types.js';
import type { ResourceInfo } from '../resources/types.js';
import { apiVersionOf } from '../resources/types.js';
import { type FieldRequirement, matchesFields, parseFieldSelector } from '../selectors/fields.js';
import { matchesLabels, parseLabelSelector, type Requirement } from '../selectors/labels.js';
import { decode, resourcePrefix } from '../storage/objects.js';
import type { ApiContext } from './context.js';
import { tooLargeResourceVersion } from './resource-version.js';

export interface ListQuery {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface Filter {
  labels: Requirement[];
  fields: FieldRequirement[];
  resource: string;
}

export function makeFilter(info: ResourceInfo, query: { labelSelector?: string; fieldSelector?: string }): Filter {
  return {
    labels: parseLabelSelector(query.labelSelector),
    fields: parseFieldSelector(query.fieldSelector, info.resource),
    resource: info.resource,
  };
}

export function matchesFilter(filter: Filter, object: KubeObject): boolean {
  return matchesLabels(filter.labels, object.metadata.labels) && matchesFields(filter.fields, filter.resource, object);
}

interface ContinueToken {
  rv: number;
  start: string;
}

const tooOld =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

function parseContinue(token: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString());
    if (Number.isSafeInteger(parsed.rv) && parsed.rv > 0 && typeof parsed.start === 'string') return parsed;
  } catch {}
  throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}

export async function listObjects(
  ctx: ApiContext,
  info: ResourceInfo,
  namespace: string | undefined,
  query: ListQuery,
): Promise<KubeList> {
  const filter = makeFilter(info, query);
  const prefix = resourcePrefix(info, namespace);
  const token = query.continue ? parseContinue(query.continue) : undefined;
  const limit = query.limit && query.limit > 0 ? query.limit : 0;
  const items: KubeObject[] = [];
  let revision = token?.rv ?? 0;
  let startAfter = token ? `${prefix}${token.start}` : undefined;
  let more = true;
  try {
    while (more && (limit === 0 || items.length < limit)) {
      const page = await ctx.store.list(prefix, {
        revision,
        startAfter,
        limit: limit === 0 ? 0 : Math.max(limit - items.length, 50),
      });
      revision = page.revision;
      more = page.more;
      for (const kv of page.items) {
        startAfter = kv.key;
        const object = decode(kv, info);
        if (!matchesFilter(filter, object)) continue;
        items.push(object);
        if (limit !== 0 && items.length === limit) {
          more = more || page.items[page.items.length - 1] !== kv;
          break;
        }
      }
      if (page.items.length === 0) more = false;
    }
  } catch (error) {
    if (error instanceof CompactedError) throw gone(tooOld);
    if (error instanceof FutureRevisionError) throw tooLargeResourceVersion(error.requested, error.current);
    throw error;
  }
  const apiVersion = apiVersionOf(info);
  for (const item of items) {
    item.apiVersion = apiVersion;
    item.kind = info.kind;
  }
  const metadata: KubeList['metadata'] = { resourceVersion: String(revision) };
  if (more && limit !== 0 && startAfter) {
    metadata.continue = Buffer.from(JSON.stringify({ rv: revision, start: startAfter.slice(prefix.length) })).toString(
      'base64url',
    );
  }
  return { apiVersion, kind: info.listKind, metadata, items };
}
