// The /openapi/v3 discovery root and the per-group-version documents kubectl reads for create/apply validation
// (fieldValidation support) and for explain (schemas found by x-kubernetes-group-version-kind).
import { definitionNameForKind } from '../schema/index.js';
import { componentNameFor, componentSchemas } from './components.js';
import { contentHash, stableJson } from './hash.js';
import { resourcePaths } from './paths.js';
import type { GroupVersion, GroupVersionHash, OpenApiDocument, ResourceDescription } from './types.js';

/** "api/v1" or "apis/apps/v1": the key of a group/version under /openapi/v3. */
export function groupVersionPath(gv: GroupVersion): string {
  return gv.group ? `apis/${gv.group}/${gv.version}` : `api/${gv.version}`;
}

/** GET /openapi/v3: one entry per group/version, pointing at its document by content hash. */
export function openApiV3Root(groupVersions: GroupVersionHash[]): OpenApiDocument {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of [...groupVersions].sort((a, b) => groupVersionPath(a).localeCompare(groupVersionPath(b)))) {
    const path = groupVersionPath(gv);
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${gv.hash}` };
  }
  return { paths };
}

/** GET /openapi/v3/<api/v1 | apis/g/v>: paths of every resource in the group/version, schemas they use. */
export function openApiV3Document(gv: GroupVersion, resources: ResourceDescription[]): OpenApiDocument {
  const own = resources
    .filter((r) => r.group === gv.group && r.version === gv.version)
    .sort((a, b) => a.resource.localeCompare(b.resource));
  const scaleName = definitionNameForKind('autoscaling', 'v1', 'Scale')!;
  const paths: Record<string, unknown> = {};
  for (const r of own) {
    const name = componentNameFor(r);
    if (!name) throw new Error(`no schema for ${r.group}/${r.version} ${r.kind}`);
    Object.assign(paths, resourcePaths(r, name, scaleName));
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'unversioned' },
    paths,
    components: { schemas: componentSchemas(own) },
  };
}

/** The bytes to serve for a document and the hash for ?hash= and ETag; equal inputs give equal bytes. */
export function serializeOpenApi(document: OpenApiDocument): { body: string; hash: string } {
  const body = stableJson(document);
  return { body, hash: contentHash(body) };
}
