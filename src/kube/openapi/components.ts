// components.schemas of a group/version document: the v2 definitions the group's kinds reach, rewritten for
// OpenAPI v3 (#/components/schemas refs; a ref with siblings wrapped in allOf, as kube-apiserver publishes it).
import {
  customDefinitionName,
  customResourceSchema,
  definitionNameForKind,
  definitionNameOfRef,
  definitions,
  type Schema,
} from '../schema/index.js';
import type { ResourceDescription } from './types.js';

export const metaPrefix = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
const sharedMeta = ['Status', 'DeleteOptions', 'WatchEvent', 'Patch', 'ObjectMeta', 'ListMeta'].map(
  (n) => metaPrefix + n,
);

export const componentRef = (name: string) => `#/components/schemas/${name}`;

/** Keywords whose values are data, not schemas. */
const dataKeywords = new Set([
  'x-kubernetes-group-version-kind',
  'enum',
  'default',
  'example',
  'required',
  'x-kubernetes-list-map-keys',
]);

/** Converts one v2 schema to v3: refs renamed; `$ref` beside other keywords becomes allOf, since v3 ignores them. */
export function toV3(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toV3);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$ref' && typeof value === 'string') continue;
    if (key === 'properties') {
      out[key] = Object.fromEntries(Object.entries(value as object).map(([name, property]) => [name, toV3(property)]));
    } else out[key] = dataKeywords.has(key) ? value : toV3(value);
  }
  const ref = (schema as Schema).$ref;
  if (typeof ref !== 'string') return out;
  const target = componentRef(definitionNameOfRef(ref) ?? ref);
  return Object.keys(out).length ? { allOf: [{ $ref: target }], ...out } : { $ref: target };
}

function collectRefs(value: unknown, into: string[]): void {
  if (Array.isArray(value)) for (const v of value) collectRefs(v, into);
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') {
        const name = definitionNameOfRef(child);
        if (name) into.push(name);
      } else if (key !== 'properties') collectRefs(child, into);
      else for (const property of Object.values(child as object)) collectRefs(property, into);
    }
  }
}

/** The built-in definitions reachable from `roots`, converted, keyed by name. */
function closure(roots: string[]): Record<string, unknown> {
  const all = definitions();
  const out: Record<string, unknown> = {};
  const queue = [...roots];
  while (queue.length) {
    const name = queue.pop()!;
    if (name in out || !(name in all)) continue;
    out[name] = toV3(all[name]);
    collectRefs(all[name], queue);
  }
  return out;
}

function customList(group: string, version: string, kind: string): Schema {
  return {
    description: `${kind}List is a list of ${kind}`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: {
        type: 'string',
        description: 'APIVersion defines the versioned schema of this representation of an object.',
      },
      items: {
        type: 'array',
        description: `List of ${kind.toLowerCase()}s.`,
        items: { $ref: componentRef(customDefinitionName(group, version, kind)) },
      },
      kind: {
        type: 'string',
        description: 'Kind is a string value representing the REST resource this object represents.',
      },
      metadata: { allOf: [{ $ref: componentRef(`${metaPrefix}ListMeta`) }], description: 'Standard list metadata.' },
    },
    'x-kubernetes-group-version-kind': [{ group, kind: `${kind}List`, version }],
  };
}

/** The name under components.schemas for a resource's kind (built-in definition or custom name). */
export function componentNameFor(r: {
  group: string;
  version: string;
  kind: string;
  custom?: boolean;
  customSchema?: Schema;
}) {
  if (r.custom || r.customSchema) return customDefinitionName(r.group, r.version, r.kind);
  return definitionNameForKind(r.group, r.version, r.kind);
}

export function componentSchemas(resources: ResourceDescription[]): Record<string, unknown> {
  const roots = [...sharedMeta];
  const custom: Record<string, unknown> = {};
  for (const r of resources) {
    if (r.custom || r.customSchema) {
      custom[customDefinitionName(r.group, r.version, r.kind)] = toV3(
        customResourceSchema(r.group, r.version, r.kind, r.customSchema),
      );
      custom[customDefinitionName(r.group, r.version, `${r.kind}List`)] = customList(r.group, r.version, r.kind);
      continue;
    }
    for (const kind of [r.kind, `${r.kind}List`]) {
      const name = definitionNameForKind(r.group, r.version, kind);
      if (name) roots.push(name);
    }
    if (r.subresources.includes('scale')) roots.push(definitionNameForKind('autoscaling', 'v1', 'Scale')!);
    if (r.subresources.includes('eviction')) roots.push(definitionNameForKind('policy', 'v1', 'Eviction')!);
    if (r.subresources.includes('binding')) roots.push(definitionNameForKind('', 'v1', 'Binding')!);
  }
  return { ...closure(roots), ...custom };
}
