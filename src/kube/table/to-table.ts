// toTable: objects → a meta.k8s.io Table, as kube-apiserver's TableConvertor (always wide; kubectl hides priority-1
// columns itself) plus the handler's includeObject step (PartialObjectMetadata rows by default).
import type { KubeObject } from '../api/types.js';
import { customResourcePrinter, defaultPrinter } from './custom.js';
import { builtinPrinter } from './printers/index.js';
import type { Printer, Table, TableRow, ToTableOptions } from './types.js';

function printerFor(kind: string, group: string, opts: ToTableOptions): Printer {
  if (opts.printerColumns) return customResourcePrinter(opts.printerColumns);
  return builtinPrinter(group, kind) ?? defaultPrinter;
}

export function toTable(kind: string, group: string, objects: KubeObject[], opts: ToTableOptions = {}): Table {
  const printer = printerFor(kind, group, opts);
  const now = opts.now ?? new Date();
  const apiVersion = `meta.k8s.io/${opts.version ?? 'v1'}`;
  const include = opts.includeObject ?? 'Metadata';
  const rows = objects.map((obj): TableRow => {
    const row: TableRow = { cells: printer.cells(obj, now) };
    const conditions = printer.conditions?.(obj);
    if (conditions) row.conditions = conditions;
    if (include === 'Object') row.object = obj;
    else if (include === 'Metadata') row.object = { kind: 'PartialObjectMetadata', apiVersion, metadata: obj.metadata };
    return row;
  });
  const metadata: Table['metadata'] = {};
  if (opts.resourceVersion) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continue) metadata.continue = opts.continue;
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion,
    metadata,
    columnDefinitions: opts.noHeaders ? [] : printer.columns,
    rows,
  };
}
