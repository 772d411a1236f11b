// Generates src/kube/schema/definitions.json: the OpenAPI v2 definitions reachable from the kinds Skiff serves,
// taken from the Kubernetes API's own document (descriptions, x-kubernetes-* extensions and gvk kept; keys sorted).
// Usage: npx tsx scripts/gen-schema.ts [path/to/kubernetes-openapi-v2.json]

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { builtinResources } from '../src/kube/resources/builtin.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Definitions = Record<string, Json>;

/** group/version/kind of every served kind: each resource's, its list's when it can be listed, its subresources'. */
function servedKinds(): Set<string> {
  const wanted = new Set<string>();
  for (const info of builtinResources) {
    if (info.group === 'metrics.k8s.io') continue; // not in Kubernetes' document; src/kube/schema/metrics.ts has them
    wanted.add(`${info.group}/${info.version}/${info.kind}`);
    if (info.verbs.includes('list')) wanted.add(`${info.group}/${info.version}/${info.listKind}`);
    // Connect options (PodExecOptions, …) are query parameters, not definitions, in Kubernetes' document.
    for (const sub of info.subresources) {
      if (!sub.kind.endsWith('Options')) wanted.add(`${sub.group}/${sub.version}/${sub.kind}`);
    }
  }
  return wanted;
}

/** meta/v1 types every group/version document refers to (errors, deletes, watches, patches, lists). */
const metaTypes = ['Status', 'DeleteOptions', 'WatchEvent', 'Patch', 'APIResourceList'].map(
  (name) => `io.k8s.apimachinery.pkg.apis.meta.v1.${name}`,
);

const refPrefix = '#/definitions/';

function gvkList(schema: Json): { group: string; version: string; kind: string }[] {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return [];
  const gvk = schema['x-kubernetes-group-version-kind'];
  return Array.isArray(gvk) ? (gvk as { group: string; version: string; kind: string }[]) : [];
}

function rootNames(definitions: Definitions): string[] {
  const wanted = servedKinds();
  const roots: string[] = [];
  for (const [name, schema] of Object.entries(definitions)) {
    for (const g of gvkList(schema)) {
      if (wanted.delete(`${g.group}/${g.version}/${g.kind}`)) roots.push(name);
    }
  }
  if (wanted.size) throw new Error(`no definition for ${[...wanted].join(', ')}`);
  return roots.concat(metaTypes);
}

function collectRefs(value: Json, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, into);
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string' && child.startsWith(refPrefix))
        into.add(child.slice(refPrefix.length));
      else collectRefs(child, into);
    }
  }
}

export function reachable(definitions: Definitions, roots: string[]): string[] {
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length) {
    const name = queue.pop()!;
    if (seen.has(name)) continue;
    if (!(name in definitions)) throw new Error(`missing definition ${name}`);
    seen.add(name);
    const refs = new Set<string>();
    collectRefs(definitions[name], refs);
    queue.push(...refs);
  }
  return [...seen].sort();
}

function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys(value[key]);
    return out;
  }
  return value;
}

function main(): void {
  // The shared data folder sits beside the repository (../shared/data), as in DESIGN.md.
  const source = process.argv[2] ?? new URL('../../shared/data/kubernetes-openapi-v2.json', import.meta.url).pathname;
  const target = fileURLToPath(new URL('../src/kube/schema/definitions.json', import.meta.url));
  const document = JSON.parse(readFileSync(source, 'utf8')) as { definitions: Definitions };
  const names = reachable(document.definitions, rootNames(document.definitions));
  const definitions: Definitions = {};
  for (const name of names) definitions[name] = sortKeys(document.definitions[name]);
  const text = JSON.stringify({ source: 'Kubernetes OpenAPI v2, release 1.36', definitions });
  writeFileSync(target, `${text}\n`);
  console.log(`wrote ${names.length} definitions, ${(text.length / 1024).toFixed(0)} KiB to ${target}`);
}

main();
