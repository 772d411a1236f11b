// The JSONPath subset CRD printer columns use: `.a.b`, `['a.b']`, `[0]`, `[*]` and `[?(@.x=="v")]` filters.
// Missing keys yield no result (the apiextensions convertor allows missing keys), never an error.

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'filter'; path: string[]; op: '==' | '!=' | 'exists'; value?: unknown };

function parseFilter(body: string): Step {
  const m = /^@((?:\.[\w-]+)+)\s*(?:(==|!=)\s*(.+))?$/.exec(body.trim());
  if (!m) throw new Error(`unsupported JSONPath filter: ${body}`);
  const path = m[1].slice(1).split('.');
  if (!m[2]) return { kind: 'filter', path, op: 'exists' };
  const raw = m[3].trim();
  const quoted = /^(["'])(.*)\1$/.exec(raw);
  const value = quoted ? quoted[2] : raw === 'true' ? true : raw === 'false' ? false : Number(raw);
  return { kind: 'filter', path, op: m[2] as '==' | '!=', value };
}

/** Parses `.spec.replicas` or `{.spec.replicas}` into steps; throws on syntax it does not support. */
export function parseJsonPath(expr: string): Step[] {
  let s = expr.trim();
  if (s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1);
  if (s.startsWith('$')) s = s.slice(1);
  const steps: Step[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] === '.') {
      const m = /^\.([^.[\]]+)/.exec(s.slice(i));
      if (!m) throw new Error(`bad JSONPath ${expr} at ${i}`);
      steps.push(m[1] === '*' ? { kind: 'all' } : { kind: 'field', name: m[1] });
      i += m[0].length;
    } else if (s[i] === '[') {
      const close = s[i + 1] === '?' ? s.indexOf(')]', i) + 1 : s.indexOf(']', i);
      if (close <= i) throw new Error(`bad JSONPath ${expr} at ${i}`);
      const body = s.slice(i + 1, close).trim();
      if (body === '*') steps.push({ kind: 'all' });
      else if (/^-?\d+$/.test(body)) steps.push({ kind: 'index', index: Number(body) });
      else if (/^(["']).*\1$/.test(body)) steps.push({ kind: 'field', name: body.slice(1, -1) });
      else if (body.startsWith('?(') && body.endsWith(')')) steps.push(parseFilter(body.slice(2, -1)));
      else throw new Error(`unsupported JSONPath segment [${body}] in ${expr}`);
      i = close + 1;
    } else throw new Error(`bad JSONPath ${expr} at ${i}`);
  }
  return steps;
}

function dig(value: any, path: string[]): unknown {
  for (const key of path) value = value !== null && typeof value === 'object' ? value[key] : undefined;
  return value;
}

function apply(step: Step, value: any): unknown[] {
  if (value === null || typeof value !== 'object') return [];
  switch (step.kind) {
    case 'field':
      return Array.isArray(value) || !(step.name in value) ? [] : [value[step.name]];
    case 'index': {
      if (!Array.isArray(value)) return [];
      const i = step.index < 0 ? value.length + step.index : step.index;
      return i >= 0 && i < value.length ? [value[i]] : [];
    }
    case 'all':
      return Array.isArray(value) ? value : Object.values(value);
    case 'filter': {
      const items = Array.isArray(value) ? value : [value];
      return items.filter((item) => {
        const got = dig(item, step.path);
        if (step.op === 'exists') return got !== undefined;
        return step.op === '==' ? got === step.value : got !== undefined && got !== step.value;
      });
    }
  }
}

/** Every value the path selects in `root`, in document order. */
export function evaluate(steps: Step[], root: unknown): unknown[] {
  let current: unknown[] = [root];
  for (const step of steps) current = current.flatMap((v) => apply(step, v));
  return current;
}
