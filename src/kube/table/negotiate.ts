// Accept-header negotiation for server-side tables: `application/json;as=Table;v=v1;g=meta.k8s.io` (v1 or v1beta1).
import type { TableVersion } from './types.js';

interface MediaRange {
  type: string;
  params: Record<string, string>;
  q: number;
}

function parseAccept(header: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const clause of header.split(',')) {
    const [type, ...rest] = clause.split(';').map((s) => s.trim());
    if (!type) continue;
    const params: Record<string, string> = {};
    for (const p of rest) {
      const eq = p.indexOf('=');
      if (eq > 0)
        params[p.slice(0, eq).trim().toLowerCase()] = p
          .slice(eq + 1)
          .trim()
          .replace(/^"|"$/g, '');
    }
    const q = params.q === undefined ? 1 : Number(params.q);
    ranges.push({ type: type.toLowerCase(), params, q: Number.isNaN(q) ? 0 : q });
  }
  // Stable sort: equal q keeps the client's order, as kube-apiserver's negotiation does.
  return ranges.filter((r) => r.q > 0).sort((a, b) => b.q - a.q);
}

/**
 * The Table version to answer with, or undefined when the client prefers a plain object (or list) before any Table
 * it can be served. Unsupported Table versions (v2, other groups) are skipped, as the real server does.
 */
export function wantsTable(acceptHeader: string | undefined): TableVersion | undefined {
  if (!acceptHeader) return undefined;
  for (const range of parseAccept(acceptHeader)) {
    const json = range.type === 'application/json' || range.type === 'application/*' || range.type === '*/*';
    const { as, g, v } = range.params;
    if (as === undefined) {
      if (json || range.type === 'application/yaml' || range.type === 'application/vnd.kubernetes.protobuf') return;
      continue;
    }
    if (range.type === 'application/json' && as === 'Table' && g === 'meta.k8s.io' && (v === 'v1' || v === 'v1beta1'))
      return v;
  }
  return undefined;
}
