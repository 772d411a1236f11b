// What the API knows about one resource: names, scope, verbs and subresources as discovery lists them, plus the
// storage facts the REST engine needs (status and scale subresources, a CRD's printer columns and schema).

export interface SubresourceInfo {
  name: string;
  group: string;
  version: string;
  kind: string;
  verbs: string[];
}

export interface ScaleInfo {
  /** Dotted paths into the object, as in a CRD's `subresources.scale`. */
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

export type { CrdPrinterColumn as PrinterColumn } from '../table/types.js';

import type { CrdPrinterColumn as PrinterColumn } from '../table/types.js';

export interface ResourceInfo {
  group: string;
  version: string;
  /** Plural, lower-case: "deployments". */
  resource: string;
  kind: string;
  listKind: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: SubresourceInfo[];
  /** The resource keeps its `status` apart from its spec (written through /status). */
  hasStatus: boolean;
  scale?: ScaleInfo;
  /** Set for custom resources. */
  custom?: { printerColumns: PrinterColumn[]; schema?: unknown; preserveUnknownFields: boolean };
}

export const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export function apiVersionOf(info: { group: string; version: string }): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}

/** "deployments.apps" or "pods": how the real server names a resource in messages. */
export function qualifiedName(info: ResourceInfo): string {
  return info.group ? `${info.resource}.${info.group}` : info.resource;
}
