// maxResults / nextToken paging over sorted names, as EKS's List operations do it (tokens are opaque).
import type { Backend } from '../store/types.js';
import { invalidParameter } from './errors.js';

export interface Page {
  names: string[];
  nextToken?: string;
}

export function paginate(sortedNames: string[], query: URLSearchParams, members: Record<string, string> = {}): Page {
  const rawMax = query.get('maxResults');
  const max = rawMax === null ? 100 : Number(rawMax);
  if (!Number.isInteger(max) || max < 1 || max > 100) {
    throw invalidParameter('maxResults must be an integer between 1 and 100.', members);
  }
  const token = query.get('nextToken');
  let start = 0;
  if (token) {
    const after = Buffer.from(token, 'base64url').toString('utf8');
    if (!after.startsWith('skiff:')) throw invalidParameter('The nextToken provided is invalid.', members);
    start = sortedNames.findIndex((n) => n > after.slice('skiff:'.length));
    if (start < 0) start = sortedNames.length;
  }
  const names = sortedNames.slice(start, start + max);
  const more = start + max < sortedNames.length;
  return { names, nextToken: more ? Buffer.from(`skiff:${names[names.length - 1]}`).toString('base64url') : undefined };
}

/** One page of the names under a store prefix (each key's last path segment), as `{ [resultKey]: names, nextToken? }`. */
export async function listNamesPage(
  store: Backend,
  prefix: string,
  query: URLSearchParams,
  resultKey: string,
  members: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  const { items } = await store.list(prefix);
  const page = paginate(items.map((kv) => kv.key.slice(prefix.length)).sort(), query, members);
  return { [resultKey]: page.names, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}
