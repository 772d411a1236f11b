// Server-side Table output for `kubectl get`: toTable converts objects, wantsTable negotiates the Accept header.
export { humanDuration } from './duration.js';
export { wantsTable } from './negotiate.js';
export { toTable } from './to-table.js';
export type {
  CrdPrinterColumn,
  IncludeObject,
  Table,
  TableColumnDefinition,
  TableRow,
  TableVersion,
  ToTableOptions,
} from './types.js';
