// Who a write's managed fields are recorded for: the request's fieldManager, else the user agent's program name
// (kube-apiserver's default), else the user's name without its `system:` prefix; in the API version written.
import { badRequest } from '../api/errors.js';
import type { ResourceInfo } from '../resources/types.js';
import { apiVersionOf } from '../resources/types.js';
import type { RequestOptions } from '../rest/context.js';
import type { Writer } from './record.js';

export function writerOf(info: ResourceInfo, options: RequestOptions): Writer {
  const agent = options.userAgent?.split('/')[0]?.trim();
  const user = options.user?.username?.replace(/^system:/, '');
  return {
    manager: options.fieldManager || agent || user || 'unknown',
    apiVersion: apiVersionOf(info),
    subresource: options.subresource,
    hasStatus: Boolean(info.hasStatus),
  };
}

/** Server-side apply names its manager; kube-apiserver refuses an apply without one. */
export function applyWriterOf(info: ResourceInfo, options: RequestOptions): Writer {
  if (!options.fieldManager) throw badRequest('fieldManager is required for apply requests');
  return writerOf(info, options);
}
