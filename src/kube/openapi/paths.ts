// The paths of a group/version document: list, item and subresource path items with get/put/patch/delete/post
// operations, each carrying x-kubernetes-action and x-kubernetes-group-version-kind and the write parameters
// (fieldValidation, fieldManager, dryRun) kubectl's query-parameter verifier looks for.
import { componentRef, metaPrefix } from './components.js';
import type { ResourceDescription } from './types.js';

type Operation = Record<string, unknown>;
type PathItem = Record<string, unknown>;
interface Gvk {
  group: string;
  version: string;
  kind: string;
}

const jsonTypes = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
/** No application/strategic-merge-patch+json: kubectl then builds strategic patches from its compiled-in types. */
const patchTypes = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];

const query = (name: string, description: string, type = 'string') => ({
  name,
  in: 'query',
  description,
  schema: { type, uniqueItems: true },
});
const dryRun = query(
  'dryRun',
  'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed',
);
const fieldManager = query(
  'fieldManager',
  'fieldManager is a name associated with the actor or entity that is making these changes.',
);
const fieldValidation = query(
  'fieldValidation',
  'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict',
);
const force = query(
  'force',
  'Force is going to "force" Apply requests. It must be unset for non-apply patch requests.',
  'boolean',
);
const pathParam = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string', uniqueItems: true },
});

const content = (types: string[], ref: string) =>
  Object.fromEntries(types.map((t) => [t, { schema: { $ref: componentRef(ref) } }]));
const ok = (ref: string, codes = ['200']) => ({
  ...Object.fromEntries(
    codes.map((c) => [c, { description: c === '201' ? 'Created' : 'OK', content: content(jsonTypes, ref) }]),
  ),
  '401': { description: 'Unauthorized' },
});

function operation(action: string, gvk: Gvk, schemaName: string, id: string, extra: Operation = {}): Operation {
  return {
    description: `${action} ${gvk.kind}`,
    operationId: id,
    tags: [gvk.group ? `${gvk.group.replace(/\..*/, '')}_${gvk.version}` : `core_${gvk.version}`],
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: gvk.group, kind: gvk.kind, version: gvk.version },
    responses: ok(schemaName),
    ...extra,
  };
}

const writeOp = (action: string, gvk: Gvk, name: string, id: string, created: boolean) =>
  operation(action, gvk, name, id, {
    parameters: [dryRun, fieldManager, fieldValidation],
    requestBody: { required: true, content: content(['*/*'], name) },
    responses: ok(name, created ? ['200', '201', '202'] : ['200', '201']),
  });

const patchOp = (gvk: Gvk, name: string, id: string) =>
  operation('patch', gvk, name, id, {
    parameters: [dryRun, fieldManager, fieldValidation, force],
    requestBody: { required: true, content: content(patchTypes, `${metaPrefix}Patch`) },
    responses: ok(name, ['200', '201']),
  });

function operationId(verb: string, r: ResourceDescription, suffix = ''): string {
  const group = r.group ? r.group.split('.')[0].replace(/^./, (c) => c.toUpperCase()) : 'Core';
  const version = r.version.replace(/^./, (c) => c.toUpperCase());
  return `${verb}${group}${version}${r.namespaced ? 'Namespaced' : ''}${r.kind}${suffix}`;
}

function subresourceItem(r: ResourceDescription, sub: string, schemaName: string, scaleName: string): PathItem {
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  const cap = sub.replace(/^./, (c) => c.toUpperCase());
  if (sub === 'status' || sub === 'scale' || sub === 'ephemeralcontainers') {
    const name = sub === 'scale' ? scaleName : schemaName;
    const subGvk = sub === 'scale' ? { group: 'autoscaling', version: 'v1', kind: 'Scale' } : gvk;
    return {
      get: operation('get', subGvk, name, operationId('read', r, cap)),
      put: writeOp('put', subGvk, name, operationId('replace', r, cap), false),
      patch: patchOp(subGvk, name, operationId('patch', r, cap)),
    };
  }
  if (sub === 'log')
    return {
      get: {
        ...operation('get', gvk, schemaName, operationId('read', r, 'Log')),
        responses: { '200': { description: 'OK', content: { 'text/plain': { schema: { type: 'string' } } } } },
      },
    };
  if (sub === 'finalize') return { put: writeOp('put', gvk, schemaName, operationId('replace', r, cap), false) };
  return { post: writeOp('post', gvk, schemaName, operationId('create', r, cap), true) };
}

/** The path items of one resource, keyed by path. */
export function resourcePaths(r: ResourceDescription, schemaName: string, scaleName: string): Record<string, PathItem> {
  const prefix = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const base = r.namespaced ? `${prefix}/namespaces/{namespace}/${r.resource}` : `${prefix}/${r.resource}`;
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  const can = (verb: string) => r.verbs.includes(verb);
  const scope = r.namespaced
    ? [pathParam('namespace', 'object name and auth scope, such as for teams and projects')]
    : [];
  const named = [pathParam('name', `name of the ${r.kind}`), ...scope];
  const paths: Record<string, PathItem> = {};

  const list: PathItem = { parameters: scope };
  if (can('list'))
    list.get = operation('list', gvk, `${schemaName}List`, operationId('list', r), {
      parameters: [
        query('labelSelector', 'A selector to restrict the list of returned objects by their labels.'),
        query('fieldSelector', 'A selector to restrict the list of returned objects by their fields.'),
      ],
    });
  if (can('create')) list.post = writeOp('post', gvk, schemaName, operationId('create', r), true);
  if (can('deletecollection'))
    list.delete = operation('deletecollection', gvk, `${metaPrefix}Status`, operationId('deleteCollection', r));
  if (list.get || list.post || list.delete) paths[base] = list;
  if (r.namespaced && can('list')) {
    paths[`${prefix}/${r.resource}`] = {
      get: operation(
        'list',
        gvk,
        `${schemaName}List`,
        `${operationId('list', { ...r, namespaced: false })}ForAllNamespaces`,
      ),
    };
  }

  const item: PathItem = { parameters: named };
  if (can('get')) item.get = operation('get', gvk, schemaName, operationId('read', r));
  if (can('update')) item.put = writeOp('put', gvk, schemaName, operationId('replace', r), false);
  if (can('patch')) item.patch = patchOp(gvk, schemaName, operationId('patch', r));
  if (can('delete')) {
    item.delete = operation('delete', gvk, `${metaPrefix}Status`, operationId('delete', r), {
      parameters: [
        dryRun,
        query('gracePeriodSeconds', 'The duration in seconds before the object should be deleted.', 'integer'),
        query('propagationPolicy', 'Whether and how garbage collection will be performed.'),
      ],
      requestBody: { content: content(['*/*'], `${metaPrefix}DeleteOptions`) },
    });
  }
  if (item.get || item.put || item.patch || item.delete) paths[`${base}/{name}`] = item;

  for (const sub of [...r.subresources].sort()) {
    paths[`${base}/{name}/${sub}`] = { parameters: named, ...subresourceItem(r, sub, schemaName, scaleName) };
  }
  return paths;
}
