// The OpenAPI v2 (Swagger 2.0) document of GET /openapi/v2, which kubectl before 1.30 reads for apply, patch and
// server-side apply (protobuf, see v2-protobuf.ts): the same paths and schemas as the v3 documents, written the v2
// way — `#/definitions/` refs, a `$ref` carrying its siblings instead of allOf, body parameters instead of
// requestBody, one schema per response with `produces`/`consumes`.
import { openApiV3Document } from './document.js';
import type { GroupVersion, ResourceDescription } from './types.js';

type Json = Record<string, any>;

const mapValues = (object: Json, convert: (value: unknown) => unknown): Json =>
  Object.fromEntries(Object.entries(object).map(([key, value]) => [key, convert(value)]));

/** A v3 schema (or any value holding schemas) in v2 form. */
export function toV2(value: unknown): any {
  if (Array.isArray(value)) return value.map(toV2);
  if (!value || typeof value !== 'object') return value;
  const source = value as Json;
  const out: Json = {};
  for (const [key, child] of Object.entries(source)) {
    if (key === '$ref' && typeof child === 'string')
      out.$ref = child.replace('#/components/schemas/', '#/definitions/');
    else if (key === 'properties' && child && typeof child === 'object' && !Array.isArray(child))
      out[key] = mapValues(child as Json, toV2);
    else if (key.startsWith('x-kubernetes-') || key === 'enum' || key === 'default' || key === 'example')
      out[key] = child;
    else out[key] = toV2(child);
  }
  const allOf = out.allOf;
  if (Array.isArray(allOf) && allOf.length === 1 && Object.keys(allOf[0]).join() === '$ref') {
    delete out.allOf;
    return { $ref: allOf[0].$ref, ...out };
  }
  return out;
}

function parameterV2(parameter: Json): Json {
  const { schema, ...rest } = parameter;
  return { ...rest, ...(schema ? toV2(schema) : {}) };
}

function operationV2(operation: Json): Json {
  const { requestBody, responses, parameters, ...rest } = operation;
  const out: Json = { ...rest };
  const produces = new Set<string>();
  if (requestBody) out.consumes = Object.keys(requestBody.content ?? {});
  const params = (parameters ?? []).map(parameterV2);
  if (requestBody) {
    const schema = Object.values<Json>(requestBody.content ?? {})[0]?.schema;
    params.unshift({ name: 'body', in: 'body', required: Boolean(requestBody.required), schema: toV2(schema) });
  }
  if (params.length) out.parameters = params;
  out.responses = Object.fromEntries(
    Object.entries<Json>(responses ?? {}).map(([code, response]) => {
      const content = Object.entries<Json>(response.content ?? {});
      for (const [type] of content) produces.add(type);
      const schema = content[0]?.[1]?.schema;
      return [code, { description: response.description, ...(schema ? { schema: toV2(schema) } : {}) }];
    }),
  );
  if (produces.size) out.produces = [...produces];
  out.schemes = ['https'];
  return out;
}

function pathItemV2(item: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(item)) {
    out[key] = key === 'parameters' ? (value as Json[]).map(parameterV2) : operationV2(value as Json);
  }
  return out;
}

/** GET /openapi/v2: every served group/version's paths and the definitions they use. */
export function openApiV2Document(
  groupVersions: GroupVersion[],
  resources: ResourceDescription[],
  version: string,
): Json {
  const paths: Json = {};
  const definitions: Json = {};
  for (const gv of groupVersions) {
    const v3 = openApiV3Document(gv, resources);
    for (const [path, item] of Object.entries<Json>(v3.paths as Json)) paths[path] = pathItemV2(item);
    Object.assign(definitions, mapValues((v3.components as Json).schemas, toV2));
  }
  const sortedPaths = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b)));
  const sortedDefinitions = Object.fromEntries(Object.entries(definitions).sort(([a], [b]) => a.localeCompare(b)));
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version },
    paths: sortedPaths,
    definitions: sortedDefinitions,
  };
}
