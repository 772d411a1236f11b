// The admission chain other parts of Skiff plug into: mutating plugins run first, in order, and may change the
// object; validating plugins run after validation and may only refuse (by throwing an ApiError).
import type { KubeObject } from '../api/types.js';
import type { UserInfo } from '../auth/types.js';
import type { ResourceInfo } from '../resources/types.js';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface AdmissionRequest {
  operation: Operation;
  resource: ResourceInfo;
  subresource?: string;
  namespace?: string;
  name: string;
  /** The object being written (mutable for mutating plugins); absent on DELETE. */
  object?: KubeObject;
  oldObject?: KubeObject;
  user?: UserInfo;
  dryRun: boolean;
}

export interface MutatingPlugin {
  name: string;
  admit(request: AdmissionRequest): Promise<void>;
}

export interface ValidatingPlugin {
  name: string;
  validate(request: AdmissionRequest): Promise<void>;
}

export class AdmissionChain {
  readonly mutating: MutatingPlugin[] = [];
  readonly validating: ValidatingPlugin[] = [];

  addMutating(plugin: MutatingPlugin): void {
    this.mutating.push(plugin);
  }

  addValidating(plugin: ValidatingPlugin): void {
    this.validating.push(plugin);
  }

  async admit(request: AdmissionRequest): Promise<void> {
    for (const plugin of this.mutating) await plugin.admit(request);
  }

  async validate(request: AdmissionRequest): Promise<void> {
    for (const plugin of this.validating) await plugin.validate(request);
  }
}
