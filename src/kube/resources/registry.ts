// The set of resources the API serves right now: the built-ins plus the custom resources of every established
// CRD. Lookups by URL (group, version, plural) and by apiVersion + kind; listeners hear when the set changes.
import { builtinResources } from './builtin.js';
import { apiVersionOf, type ResourceInfo } from './types.js';

export class ResourceRegistry {
  private byPath = new Map<string, ResourceInfo>();
  private byKind = new Map<string, ResourceInfo>();
  private customByCrd = new Map<string, ResourceInfo[]>();
  private listeners: (() => void)[] = [];
  /** Bumped on every change; part of discovery and OpenAPI hashes. */
  generation = 0;

  constructor(resources: ResourceInfo[] = builtinResources) {
    for (const info of resources) this.index(info);
  }

  private index(info: ResourceInfo): void {
    this.byPath.set(`${info.group}/${info.version}/${info.resource}`, info);
    this.byKind.set(`${apiVersionOf(info)}/${info.kind}`, info);
  }

  lookup(group: string, version: string, resource: string): ResourceInfo | undefined {
    return this.byPath.get(`${group}/${version}/${resource}`);
  }

  lookupKind(apiVersion: string, kind: string): ResourceInfo | undefined {
    return this.byKind.get(`${apiVersion}/${kind}`);
  }

  all(): ResourceInfo[] {
    return [...this.byPath.values()];
  }

  /** Group → versions served, in the order discovery lists them (preferred first). */
  groups(): Map<string, string[]> {
    const groups = new Map<string, string[]>();
    for (const info of this.byPath.values()) {
      const versions = groups.get(info.group) ?? [];
      if (!versions.includes(info.version)) versions.push(info.version);
      groups.set(info.group, versions);
    }
    for (const versions of groups.values()) versions.sort(compareKubeVersions);
    return groups;
  }

  resourcesOf(group: string, version: string): ResourceInfo[] {
    return this.all().filter((r) => r.group === group && r.version === version);
  }

  /** Replaces the resources a CRD contributes (an empty list removes them). */
  setCustom(crdName: string, resources: ResourceInfo[]): void {
    for (const old of this.customByCrd.get(crdName) ?? []) {
      this.byPath.delete(`${old.group}/${old.version}/${old.resource}`);
      this.byKind.delete(`${apiVersionOf(old)}/${old.kind}`);
    }
    if (resources.length === 0) this.customByCrd.delete(crdName);
    else this.customByCrd.set(crdName, resources);
    for (const info of resources) this.index(info);
    this.generation++;
    for (const listener of this.listeners) listener();
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }
}

/** Kubernetes' version priority: GA > beta > alpha, higher numbers first (v2 > v1 > v1beta2 > v1beta1 > v1alpha1). */
export function compareKubeVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    const stage = m[2] === 'alpha' ? 1 : m[2] === 'beta' ? 2 : 3;
    return [stage, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [sa, ma, na] = parse(a);
  const [sb, mb, nb] = parse(b);
  return sb - sa || mb - ma || nb - na || a.localeCompare(b);
}
