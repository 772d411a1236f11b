// Serves one resource request: maps the HTTP method, name and subresource to a REST verb, decodes the body and
// query options, enforces fieldValidation, and writes the answer with the status code kube-apiserver uses.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, methodNotAllowed, serverNotFound } from '../api/errors.js';
import type { DeleteOptions, KubeObject } from '../api/types.js';
import { reviewToken } from '../auth/token-review.js';
import type { Authenticator, UserInfo } from '../auth/types.js';
import { deprecationWarning, getComponentStatus, listComponentStatuses } from '../componentstatus/status.js';
import type { ResourceInfo } from '../resources/types.js';
import { accessReviewKinds, reviewAccess, reviewRules } from '../rest/access-review.js';
import type { ApiContext, RequestOptions } from '../rest/context.js';
import { createObject } from '../rest/create.js';
import { deleteCollection, deleteObject } from '../rest/delete.js';
import { getOne } from '../rest/get.js';
import { listObjects } from '../rest/list.js';
import { patchContentTypes, patchObject } from '../rest/patch.js';
import { streamPodLogs } from '../rest/pod-logs.js';
import { streamSubresources } from '../rest/pod-streams.js';
import { parseResourceVersion } from '../rest/resource-version.js';
import { schemaOf } from '../rest/schema-of.js';
import { bindPod, evictPod, getScale, writeScale } from '../rest/subresources.js';
import { updateObject } from '../rest/update.js';
import { strictDecodingMessage, unknownFieldsIn } from '../schema/index.js';
import { reviewSelf } from '../serviceaccount/self-review.js';
import { requestToken } from '../serviceaccount/token-request.js';
import { decodeBody, decodeObjectBody, mediaType, readBody } from './body.js';
import type { ResourcePath } from './request-info.js';
import { writeJson, writeObjects } from './respond.js';
import { streamWatch } from './watch-stream.js';

function requestOptions(
  url: URL,
  user: UserInfo | undefined,
  subresource: string | undefined,
  userAgent: string | undefined,
): RequestOptions {
  const q = url.searchParams;
  const dryRun = q.getAll('dryRun');
  if (dryRun.some((d) => d !== 'All')) throw badRequest(`Invalid dryRun value: ${dryRun.join(',')}`);
  const validation = q.get('fieldValidation') ?? 'Warn';
  if (!['Ignore', 'Warn', 'Strict'].includes(validation)) {
    throw badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", got ${validation}`);
  }
  return {
    user,
    dryRun: dryRun.length > 0,
    fieldManager: q.get('fieldManager') ?? undefined,
    fieldValidation: validation as RequestOptions['fieldValidation'],
    subresource,
    userAgent,
    force: q.get('force') === 'true',
  };
}

/** Unknown fields: a 400 with `fieldValidation=Strict`, Warning headers with `Warn`. */
function checkFields(res: ServerResponse, info: ResourceInfo, object: unknown, options: RequestOptions): void {
  if (options.fieldValidation === 'Ignore' || info.custom?.preserveUnknownFields) return;
  const findings = unknownFieldsIn(schemaOf(info), object).filter((f) => !f.includes('$'));
  if (findings.length === 0) return;
  if (options.fieldValidation === 'Strict') throw badRequest(strictDecodingMessage(info.kind, info.version, findings));
  res.setHeader(
    'Warning',
    findings.map((f) => `299 - "${f}"`),
  );
}

function listQuery(url: URL) {
  const q = url.searchParams;
  const limit = q.get('limit');
  if (limit !== null && !/^\d+$/.test(limit))
    throw badRequest(`limit: Invalid value: "${limit}": must be a non-negative integer`);
  parseResourceVersion(q.get('resourceVersion'));
  return {
    labelSelector: q.get('labelSelector') ?? undefined,
    fieldSelector: q.get('fieldSelector') ?? undefined,
    limit: limit === null ? undefined : Number(limit),
    continue: q.get('continue') ?? undefined,
  };
}

async function bodyOf(req: IncomingMessage): Promise<unknown> {
  return decodeBody(await readBody(req), req.headers['content-type']);
}

async function objectBodyOf(req: IncomingMessage, kind: string): Promise<unknown> {
  return decodeObjectBody(await readBody(req), req.headers['content-type'], kind);
}

function asObject(value: unknown): KubeObject {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw badRequest('the body of the request was not a JSON object');
  return value as KubeObject;
}

async function deleteOptionsOf(req: IncomingMessage, url: URL): Promise<DeleteOptions> {
  const raw = await readBody(req);
  const options: DeleteOptions = raw.length
    ? (asObject(decodeBody(raw, req.headers['content-type'])) as DeleteOptions)
    : {};
  const q = url.searchParams;
  if (q.has('gracePeriodSeconds')) options.gracePeriodSeconds = Number(q.get('gracePeriodSeconds'));
  if (q.has('propagationPolicy'))
    options.propagationPolicy = q.get('propagationPolicy') as DeleteOptions['propagationPolicy'];
  if (q.has('orphanDependents'))
    options.propagationPolicy = q.get('orphanDependents') === 'true' ? 'Orphan' : 'Background';
  return options;
}

function hasSubresource(info: ResourceInfo, name: string | undefined): boolean {
  return name === undefined || info.subresources.some((s) => s.name === name);
}

export async function serveResource(
  ctx: ApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  path: ResourcePath,
  info: ResourceInfo,
  user: UserInfo | undefined,
  minRequestTimeoutSeconds: number,
  authenticators: Authenticator[] = [],
): Promise<void> {
  const { namespace, name, subresource } = path;
  if (!hasSubresource(info, subresource)) throw serverNotFound();
  if (info.namespaced === false && namespace) throw serverNotFound();
  const method = req.method ?? 'GET';
  const options = requestOptions(url, user, subresource, req.headers['user-agent']);
  const watching = ['true', '1'].includes(url.searchParams.get('watch') ?? '');

  if (info.group === '' && info.kind === 'ComponentStatus') {
    req.resume();
    if (method !== 'GET' || watching) throw methodNotAllowed();
    res.setHeader('Warning', deprecationWarning);
    const body = name ? await getComponentStatus(ctx, name) : await listComponentStatuses(ctx);
    return writeObjects(req, res, url, info, body);
  }
  if (method === 'GET' && !name) {
    if (watching) return streamWatch(ctx, req, res, url, info, namespace, minRequestTimeoutSeconds);
    return writeObjects(req, res, url, info, await listObjects(ctx, info, namespace, listQuery(url)));
  }
  if (subresource && streamSubresources.has(subresource)) {
    req.resume();
    throw badRequest('Upgrade request required');
  }
  if (subresource === 'log') {
    if (method !== 'GET' || !name) {
      req.resume();
      throw methodNotAllowed();
    }
    return streamPodLogs(ctx, req, res, url, namespace!, name);
  }
  if (method === 'GET' && name) {
    parseResourceVersion(url.searchParams.get('resourceVersion'));
    if (subresource === 'scale') return writeJson(res, 200, await getScale(ctx, info, namespace, name));
    return writeObjects(req, res, url, info, await getOne(ctx, info, namespace, name));
  }
  if (method === 'POST' && !name && info.kind === 'TokenReview') {
    return writeJson(res, 201, await reviewToken(asObject(await bodyOf(req)), authenticators));
  }
  if (method === 'POST' && !name && info.kind === 'SelfSubjectReview') {
    req.resume();
    return writeJson(res, 201, reviewSelf(user));
  }
  if (method === 'POST' && !name && accessReviewKinds.has(info.kind)) {
    const review = { ...asObject(await bodyOf(req)), kind: info.kind };
    return writeJson(res, 201, reviewAccess(review, user!, ctx.authorizer, namespace));
  }
  if (method === 'POST' && !name && info.kind === 'SelfSubjectRulesReview') {
    return writeJson(res, 201, reviewRules(asObject(await bodyOf(req)), user!, ctx.authorizer));
  }
  if (method === 'POST' && !name) {
    const object = asObject(await objectBodyOf(req, info.kind));
    checkFields(res, info, object, options);
    return writeObjects(req, res, url, info, await createObject(ctx, info, namespace, object, options), 201);
  }
  if (method === 'POST' && name && subresource === 'binding') {
    return writeJson(res, 201, await bindPod(ctx, info, namespace!, name, asObject(await bodyOf(req)), options));
  }
  if (method === 'POST' && name && subresource === 'token') {
    return writeJson(res, 201, await requestToken(ctx, namespace!, name, asObject(await bodyOf(req)), options));
  }
  if (method === 'POST' && name && subresource === 'eviction') {
    return writeJson(res, 201, await evictPod(ctx, info, namespace!, name, asObject(await bodyOf(req)), options));
  }
  if (method === 'PUT' && name) {
    const object = asObject(await objectBodyOf(req, subresource === 'scale' ? 'Scale' : info.kind));
    if (subresource === 'scale')
      return writeJson(res, 200, await writeScale(ctx, info, namespace, name, { scale: object }, options));
    checkFields(res, info, object, options);
    return writeObjects(req, res, url, info, await updateObject(ctx, info, namespace, name, object, options));
  }
  if (method === 'PATCH' && name) {
    const type = patchContentTypes[mediaType(req.headers['content-type'])];
    if (!type) {
      req.resume();
      throw badRequest(
        `the body of the request was in an unknown format - accepted media types include: ${Object.keys(patchContentTypes).join(', ')}`,
      );
    }
    const patch = await bodyOf(req);
    if (subresource === 'scale') {
      return writeJson(res, 200, await writeScale(ctx, info, namespace, name, { patch, type }, options));
    }
    if (type !== 'json') checkFields(res, info, patch, options);
    const { object, created } = await patchObject(ctx, info, namespace, name, patch, type, options);
    return writeObjects(req, res, url, info, object, created ? 201 : 200);
  }
  if (method === 'DELETE' && name) {
    return writeJson(
      res,
      200,
      await deleteObject(ctx, info, namespace, name, await deleteOptionsOf(req, url), options),
    );
  }
  if (method === 'DELETE' && !name && info.verbs.includes('deletecollection')) {
    const list = await deleteCollection(ctx, info, namespace, listQuery(url), await deleteOptionsOf(req, url), options);
    return writeJson(res, 200, list);
  }
  req.resume();
  throw methodNotAllowed();
}
