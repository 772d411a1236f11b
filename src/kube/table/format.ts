// Cell formatting shared by the printers: label maps and selectors as apimachinery prints them, container lists.
import type { KubeObject } from '../api/types.js';

/** labels.FormatLabels: sorted `k=v` joined by commas, `<none>` when empty. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length === 0 ? '<none>' : keys.map((k) => `${k}=${labels![k]}`).join(',');
}

interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** LabelSelectorAsSelector(...).String(): requirements sorted by key; "" for a nil or empty selector. */
export function selectorString(selector: LabelSelector | undefined): string {
  if (!selector) return '';
  const parts: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) parts.push({ key, text: `${key}=${value}` });
  for (const req of selector.matchExpressions ?? []) {
    const values = [...(req.values ?? [])].sort().join(',');
    const text =
      req.operator === 'In'
        ? `${req.key} in (${values})`
        : req.operator === 'NotIn'
          ? `${req.key} notin (${values})`
          : req.operator === 'Exists'
            ? req.key
            : req.operator === 'DoesNotExist'
              ? `!${req.key}`
              : `${req.key} ${req.operator} (${values})`;
    parts.push({ key: req.key, text });
  }
  return parts
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((p) => p.text)
    .join(',');
}

/** metav1.FormatLabelSelector: like selectorString, `<none>` when it selects by nothing. */
export function formatLabelSelector(selector: LabelSelector | undefined): string {
  return selectorString(selector) || '<none>';
}

/** layoutContainerCells: container names and images, each joined by commas. */
export function containerCells(podSpec: { containers?: { name?: string; image?: string }[] } | undefined): string[] {
  const containers = podSpec?.containers ?? [];
  return [containers.map((c) => c.name ?? '').join(','), containers.map((c) => c.image ?? '').join(',')];
}

/** The pod spec inside a workload's template (`spec.template.spec`). */
export function templateSpec(obj: KubeObject): any {
  return obj.spec?.template?.spec;
}

export const orNone = (s: unknown): string => (typeof s === 'string' && s !== '' ? s : '<none>');
export const int = (n: unknown): number => (typeof n === 'number' ? Math.trunc(n) : 0);
export const boolText = (b: unknown): string => (b === undefined || b === null ? '<unset>' : b ? 'True' : 'False');

/** True when `conditions` holds one of `type` whose status is "True" (the first of that type decides). */
export function conditionTrue(conditions: unknown, type: string): boolean {
  const found = Array.isArray(conditions) ? conditions.find((c) => c?.type === type) : undefined;
  return found?.status === 'True';
}
