// What the OpenAPI v3 builders take: a structural description of each served resource (as discovery knows it),
// plus a custom resource's openAPIV3Schema.
import type { Schema } from '../schema/index.js';

export interface GroupVersion {
  /** "" for the core group. */
  group: string;
  version: string;
}

export interface ResourceDescription extends GroupVersion {
  /** Plural: "deployments". */
  resource: string;
  kind: string;
  namespaced: boolean;
  /** Discovery verbs: get, list, create, update, patch, delete, deletecollection, watch. */
  verbs: string[];
  /** "status", "scale", "log", "binding", "eviction", "finalize", … */
  subresources: string[];
  /** For custom resources: the CRD version's openAPIV3Schema (undefined keeps every field). */
  customSchema?: Schema;
  /** True for custom resources even without a schema. */
  custom?: boolean;
}

export interface GroupVersionHash extends GroupVersion {
  hash: string;
}

export type OpenApiDocument = Record<string, unknown>;
