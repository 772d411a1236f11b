// Keeps one coordination.k8s.io Lease renewed: updates the last version it wrote (one write per renewal), reads
// again after a conflict, creates it when missing. The first renewal tries the create first: a new node's Lease does
// not exist yet (one call instead of a read that fails, then the create); one that already exists (a restarted
// agent) is then read and renewed.
// Host and node heartbeats both use it.
import type { KubeObject } from '../kube/api/types.js';
import type { KubeClient } from '../kube/client/types.js';
import { microTime } from './clock.js';

export const leaseDurationSeconds = 40;

export interface LeaseShape {
  namespace: string;
  name: string;
  holderIdentity: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: KubeObject['metadata']['ownerReferences'];
}

export class LeaseKeeper {
  private last?: KubeObject;
  private stopped = false;
  private renewed = false;

  constructor(
    private client: KubeClient,
    private shape: () => LeaseShape,
  ) {}

  /** No more writes; a renewal in flight does not create the Lease again. */
  stop(): void {
    this.stopped = true;
  }

  async renew(): Promise<KubeObject | undefined> {
    if (this.stopped) return undefined;
    const shape = this.shape();
    const ref = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: shape.namespace };
    if (!this.renewed) {
      this.renewed = true;
      try {
        this.last = await this.client.create(this.desired(shape));
        return this.last;
      } catch (error: any) {
        if (error?.code !== 409) throw error;
      }
    }
    for (let attempt = 0; ; attempt++) {
      let current = this.last;
      if (!current) {
        try {
          current = await this.client.get(ref, shape.name);
        } catch (error: any) {
          if (error?.code !== 404) throw error;
          if (this.stopped) return undefined;
          try {
            this.last = await this.client.create(this.desired(shape));
            return this.last;
          } catch (createError: any) {
            if (createError?.code !== 409 || attempt >= 2) throw createError;
            continue;
          }
        }
      }
      try {
        this.last = await this.client.update(this.desired(shape, current));
        return this.last;
      } catch (error: any) {
        this.last = undefined;
        if ((error?.code !== 409 && error?.code !== 404) || attempt >= 2) throw error;
      }
    }
  }

  private desired(shape: LeaseShape, current?: KubeObject): KubeObject {
    const now = microTime();
    const sameHolder = current?.spec?.holderIdentity === shape.holderIdentity;
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: shape.name,
        namespace: shape.namespace,
        ...(current ? { resourceVersion: current.metadata.resourceVersion } : {}),
        ...(shape.labels ? { labels: shape.labels } : {}),
        ...(shape.annotations ? { annotations: shape.annotations } : {}),
        ...(shape.ownerReferences ? { ownerReferences: shape.ownerReferences } : {}),
      },
      spec: {
        holderIdentity: shape.holderIdentity,
        leaseDurationSeconds,
        acquireTime: sameHolder && current?.spec?.acquireTime ? current.spec.acquireTime : now,
        renewTime: now,
        leaseTransitions: (current?.spec?.leaseTransitions ?? 0) + (current && !sameHolder ? 1 : 0),
      },
    };
  }
}
