// An ALB listener's rules as the AWS Load Balancer Controller writes them from an Ingress group, and how the ALB
// evaluates them. Members in group order (group.order, then namespace/name); in each rule's paths Exact first, then
// Prefix longest first, then ImplementationSpecific as written; a rule's priority is its place in that list, and the
// first rule whose conditions all match a request wins, else the listener's default action. Conditions are ELB's:
// host-header (case-insensitive) and path-pattern (case-sensitive, on the path without the query), each a list of
// values any of which may match, `*` any run of characters and `?` one. pathType Prefix `/foo` becomes `/foo` and
// `/foo/*` (`/` becomes `/*`), Exact the path as is, ImplementationSpecific the path as a pattern.

export type Action = { type: 'forward'; targetGroup: string } | { type: 'fixed-response'; statusCode: number };

export interface Rule {
  priority: number;
  hosts: string[];
  paths: string[];
  action: Action;
  /** The Ingress (`namespace/name`) the rule comes from. */
  ingress: string;
}

/** A rule with its conditions compiled once, for the data path. */
export interface CompiledRule extends Rule {
  hostPattern?: RegExp;
  pathPattern?: RegExp;
}

export class RuleError extends Error {}

/** The ELB path patterns of one Ingress path (the controller's buildPathPatterns). */
export function pathPatterns(path: string, pathType: string | undefined): string[] {
  const type = pathType ?? 'ImplementationSpecific';
  if (type === 'ImplementationSpecific') return [path];
  if (type === 'Exact') {
    if (/[*?]/.test(path)) throw new RuleError(`exact path shouldn't contain wildcards: ${path}`);
    return [path];
  }
  if (type === 'Prefix') {
    if (path === '/') return ['/*'];
    if (/[*?]/.test(path)) throw new RuleError(`prefix path shouldn't contain wildcards: ${path}`);
    const normalized = path.replace(/\/$/, '');
    return [normalized, `${normalized}/*`];
  }
  throw new RuleError(`unknown pathType for path ${path}`);
}

/** An Ingress rule's paths in the controller's order: Exact, Prefix (longest first), then the rest as written. */
export function sortPaths<P extends { path?: string; pathType?: string }>(paths: P[]): P[] {
  const exact = paths.filter((p) => p.pathType === 'Exact');
  const prefix = paths.filter((p) => p.pathType === 'Prefix');
  const rest = paths.filter((p) => p.pathType !== 'Exact' && p.pathType !== 'Prefix');
  for (const p of paths) {
    if (p.pathType && !['Exact', 'Prefix', 'ImplementationSpecific'].includes(p.pathType)) {
      throw new RuleError(`unknown pathType for path ${p.path}`);
    }
  }
  // Array.prototype.sort is stable: equal lengths keep their written order, as sort.SliceStable.
  prefix.sort((a, b) => (b.path ?? '').length - (a.path ?? '').length);
  return [...exact, ...prefix, ...rest];
}

function wildcard(values: string[], flags: string): RegExp {
  const alternatives = values.map((v) =>
    v
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.'),
  );
  return new RegExp(`^(?:${alternatives.join('|')})$`, flags);
}

export function compile(rule: Rule): CompiledRule {
  return {
    ...rule,
    ...(rule.hosts.length ? { hostPattern: wildcard(rule.hosts, 'i') } : {}),
    ...(rule.paths.length ? { pathPattern: wildcard(rule.paths, 's') } : {}),
  };
}

/** The request's host without a port, for host-header conditions. */
export function hostOf(header: string | undefined): string {
  if (!header) return '';
  if (header.startsWith('[')) return header.slice(0, header.indexOf(']') + 1);
  const colon = header.indexOf(':');
  return colon < 0 ? header : header.slice(0, colon);
}

/** The path part of a request target (no query), for path-pattern conditions. */
export function pathOf(url: string | undefined): string {
  if (!url) return '/';
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}

/** The first rule (by priority: the list is in order) whose conditions match, else undefined. */
export function matchRule(rules: CompiledRule[], host: string, path: string): CompiledRule | undefined {
  for (const rule of rules) {
    if (rule.hostPattern && !rule.hostPattern.test(host)) continue;
    if (rule.pathPattern && !rule.pathPattern.test(path)) continue;
    return rule;
  }
  return undefined;
}
