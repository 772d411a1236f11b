// The inputs of EC2's Describe* calls in the query protocol: numbered lists (`SubnetId.1=…`) and filters
// (`Filter.1.Name=vpc-id&Filter.1.Value.1=…`), and matching a resource against them as EC2 does (any value of a
// filter matches, every filter must match; `tag:<key>` and `tag-key` work on tags; `*` and `?` are wildcards).
import { Ec2Error } from './xml.js';

export interface Filter {
  name: string;
  values: string[];
}

/** `prefix.1`, `prefix.2`, … in order. */
export function numbered(params: URLSearchParams, prefix: string): string[] {
  const found: [number, string][] = [];
  for (const [key, value] of params) {
    const match = new RegExp(`^${prefix.replace('.', '\\.')}\\.(\\d+)$`).exec(key);
    if (match) found.push([Number(match[1]), value]);
  }
  return found.sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

export function filters(params: URLSearchParams): Filter[] {
  const names = new Map<number, string>();
  for (const [key, value] of params) {
    const match = /^Filter\.(\d+)\.Name$/.exec(key);
    if (match) names.set(Number(match[1]), value);
  }
  return [...names.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([n, name]) => ({ name, values: numbered(params, `Filter.${n}.Value`) }));
}

const wildcard = (pattern: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );

/** What a resource offers to filters: each filter name → the values it has, plus its tags. */
export interface Filterable {
  fields: Record<string, string[]>;
  tags: Record<string, string>;
}

export function matches(resource: Filterable, wanted: Filter[]): boolean {
  return wanted.every((filter) => {
    let have: string[] | undefined;
    if (filter.name.startsWith('tag:')) {
      const value = resource.tags[filter.name.slice(4)];
      have = value === undefined ? [] : [value];
    } else if (filter.name === 'tag-key') have = Object.keys(resource.tags);
    else if (filter.name === 'tag-value') have = Object.values(resource.tags);
    else have = resource.fields[filter.name];
    if (!have) throw new Ec2Error('InvalidParameterValue', `The filter '${filter.name}' is invalid`);
    return filter.values.some((pattern) => have.some((v) => wildcard(pattern).test(v)));
  });
}

export const tagSet = (tags: Record<string, string>) => Object.entries(tags).map(([key, value]) => ({ key, value }));
