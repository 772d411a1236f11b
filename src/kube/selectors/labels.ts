// Label selectors: the query-string form (`app=web,tier!=db,env in (a,b),!legacy`) parsed into requirements, the
// LabelSelector object form (matchLabels / matchExpressions) converted to the same, and matching against labels.
import { badRequest } from '../api/errors.js';

export type Operator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

const term = /^\s*(!?)\s*([A-Za-z0-9_.\-/]+)\s*(?:(==|=|!=)\s*([A-Za-z0-9_.-]*)|\s+(in|notin)\s*\(([^)]*)\))?\s*$/;

/** Splits on commas that are not inside parentheses. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms.filter((t) => t.trim() !== '');
}

export function parseLabelSelector(selector: string | undefined): Requirement[] {
  if (!selector) return [];
  return splitTerms(selector).map((text) => {
    const m = term.exec(text);
    if (!m) throw badRequest(`unable to parse requirement: found '${text.trim()}', expected: identifier`);
    const [, bang, key, op, value, setOp, setValues] = m;
    if (bang) {
      if (op || setOp) throw badRequest(`unable to parse requirement: '${text.trim()}'`);
      return { key, operator: 'DoesNotExist', values: [] };
    }
    if (op) return { key, operator: op === '!=' ? 'NotIn' : 'In', values: [value] };
    if (setOp) {
      const values = setValues
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
      return { key, operator: setOp === 'in' ? 'In' : 'NotIn', values };
    }
    return { key, operator: 'Exists', values: [] };
  });
}

/**
 * An owner's pod selector as a LabelSelector: a ReplicationController's `spec.selector` is a plain label map
 * (core/v1), every other workload's a LabelSelector.
 */
export function labelSelectorOf(owner: {
  kind?: string;
  spec?: { selector?: unknown };
}): LabelSelectorObject | undefined {
  const selector = owner.spec?.selector as LabelSelectorObject | Record<string, string> | undefined;
  if (owner.kind === 'ReplicationController') {
    return selector ? { matchLabels: selector as Record<string, string> } : undefined;
  }
  return selector as LabelSelectorObject | undefined;
}

export function requirementsOf(selector: LabelSelectorObject | undefined): Requirement[] {
  if (!selector) return [];
  const reqs: Requirement[] = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => ({
    key,
    operator: 'In',
    values: [value],
  }));
  for (const e of selector.matchExpressions ?? []) {
    reqs.push({ key: e.key, operator: e.operator as Operator, values: e.values ?? [] });
  }
  return reqs;
}

export function matchesLabels(requirements: Requirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return requirements.every((r) => {
    const has = Object.hasOwn(l, r.key);
    switch (r.operator) {
      case 'In':
        return has && r.values.includes(l[r.key]);
      case 'NotIn':
        return !has || !r.values.includes(l[r.key]);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
}

/** `metav1.FormatLabelSelector`: "app=web,tier in (a,b)"; "<none>" for an empty selector. */
export function formatLabelSelector(selector: LabelSelectorObject | undefined): string {
  const parts = Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector?.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else parts.push(`!${e.key}`);
  }
  return parts.length ? parts.join(',') : '<none>';
}
