// The meta.k8s.io Table shapes the kube API answers `kubectl get` with, and the options toTable takes.
import type { KubeObject, ObjectMeta } from '../api/types.js';

export type ColumnType = 'string' | 'integer' | 'number' | 'boolean' | 'date';

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata';
  apiVersion: string;
  metadata: ObjectMeta;
}

export interface TableRow {
  cells: unknown[];
  conditions?: TableRowCondition[];
  object?: PartialObjectMetadata | KubeObject;
}

export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

/** One entry of a CRD version's `additionalPrinterColumns`. */
export interface CrdPrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  format?: string;
  priority?: number;
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** The meta.k8s.io version of Table the client asked for. */
export type TableVersion = 'v1' | 'v1beta1';

export interface ToTableOptions {
  includeObject?: IncludeObject;
  /** Set for custom resources (an empty array means the CRD declares none). */
  printerColumns?: CrdPrinterColumn[];
  now?: Date;
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
  /** The Table version negotiated by wantsTable; v1 by default. */
  version?: TableVersion;
  /** Leave out columnDefinitions (TableOptions.noHeaders, sent on watches by some clients). */
  noHeaders?: boolean;
}

/** How one kind turns into rows: its columns and the cells of one object. */
export interface Printer {
  columns: TableColumnDefinition[];
  cells(obj: KubeObject, now: Date): unknown[];
  conditions?(obj: KubeObject): TableRowCondition[] | undefined;
}
