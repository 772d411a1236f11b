// A strategy holds one kind's rules for the REST engine, as kube-apiserver's registry strategies do: what the
// server fills in on create and update, and what makes an object invalid.
import type { FieldCause } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';

export interface Strategy {
  /** Server-set fields and defaults for a new object (status, phase, defaults). */
  prepareForCreate?(object: KubeObject): void;
  /** Adjusts an update of the main resource (old is the stored version). */
  prepareForUpdate?(object: KubeObject, old: KubeObject): void;
  /** Field errors of the object (422 Invalid when any). */
  validate?(object: KubeObject, old?: KubeObject): FieldCause[];
  /** Whether metadata.generation counts spec changes (default true for kinds with a status subresource). */
  tracksGeneration?: boolean;
  /** Namespaced or cluster names: "label" (DNS-1123 label) or "subdomain" (default). */
  nameFormat?: 'label' | 'subdomain' | 'path';
}
