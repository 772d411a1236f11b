// Custom resources: Name, then the CRD's additionalPrinterColumns evaluated by JSONPath (or Age when it declares
// none), as apiextensions-apiserver's tableconvertor builds them; and the default Name / Created At convertor.
import type { KubeObject } from '../api/types.js';
import { column, nameColumn } from './columns.js';
import { since } from './duration.js';
import { evaluate, parseJsonPath } from './jsonpath.js';
import type { CrdPrinterColumn, Printer } from './types.js';

const defaultCrdColumns: CrdPrinterColumn[] = [
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: '' },
];

/** cellForJSONValue, plus the jsonpath printer's text form for string columns. */
function cell(type: string, value: unknown, now: Date): unknown {
  if (value === undefined || value === null) return null;
  switch (type) {
    case 'string':
      return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      if (typeof value !== 'string') return null;
      if (value === '') return '<unknown>';
      return Number.isNaN(Date.parse(value)) ? '<invalid>' : since(value, now);
  }
  return null;
}

export function customResourcePrinter(printerColumns: CrdPrinterColumn[]): Printer {
  const declared = printerColumns.length > 0 ? printerColumns : defaultCrdColumns;
  const paths = declared.map((c) => parseJsonPath(c.jsonPath));
  return {
    columns: [
      nameColumn(),
      ...declared.map((c) => {
        const fallback = `Custom resource definition column (in JSONPath format): ${c.jsonPath}`;
        const description =
          c.description || (c === defaultCrdColumns[0] ? 'meta.v1.ObjectMeta#creationTimestamp' : fallback);
        return column(c.name, c.type, description, c.priority ?? 0, c.format ?? '');
      }),
    ],
    cells: (obj, now) => [obj.metadata.name, ...declared.map((c, i) => cell(c.type, evaluate(paths[i], obj)[0], now))],
  };
}

/** rest.defaultTableConvertor: kinds without a printer get Name and Created At (RFC 3339, UTC). */
export const defaultPrinter: Printer = {
  columns: [nameColumn(), column('Created At', 'date', 'meta.v1.ObjectMeta#creationTimestamp')],
  cells: (obj: KubeObject) => [obj.metadata.name, createdAt(obj.metadata.creationTimestamp)],
};

function createdAt(timestamp: string | undefined): string {
  const at = timestamp ? Date.parse(timestamp) : Number.NaN;
  // A zero metav1.Time formats as Go's zero time.
  return Number.isNaN(at) ? '0001-01-01T00:00:00Z' : new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
