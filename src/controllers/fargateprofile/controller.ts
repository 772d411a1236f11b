// The Fargate profile controller: follows the profiles (ClusterFacts) and a Pod informer; whenever a pod captured
// by a profile that is not ACTIVE shows up (the profile left ACTIVE, or went away, even while Skiff was down),
// the profile's name is queued and reconcileProfilePods stops its pods.
import type { ClusterFacts, ProfileInfo, Subscription } from '../../cloud/facts.js';
import { profileLabel } from '../../fargate/matching.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { Informer } from '../runtime/informer.js';
import { WorkQueue } from '../runtime/queue.js';
import { component, isStoppable, reconcileProfilePods } from './reconcile.js';

export interface FargateProfileControllerOptions {
  workers?: number;
  onError?: (error: unknown) => void;
}

export class FargateProfileController {
  readonly queue: WorkQueue;
  private pods: Informer;
  private active = new Set<string>();
  /** False until the first profile list arrives: no pod is stopped on a guess. */
  private profilesKnown = false;
  private subscription?: Subscription;

  constructor(
    client: KubeClient,
    private facts: ClusterFacts,
    options: FargateProfileControllerOptions = {},
  ) {
    const onError = options.onError ?? ((error) => console.error(`${component}:`, error));
    this.queue = new WorkQueue(
      (profile) => reconcileProfilePods(client, profile, (name) => this.active.has(name)).then(() => undefined),
      (_key, error) => onError(error),
      options.workers ?? 2,
    );
    this.pods = new Informer(client, { apiVersion: 'v1', kind: 'Pod' }, (_old, pod) => this.podChanged(pod), onError);
  }

  async start(): Promise<void> {
    await this.pods.start();
    this.subscription = await this.facts.watchProfiles((profiles) => this.profilesChanged(profiles));
  }

  stop(): void {
    this.subscription?.close();
    this.pods.stop();
    this.queue.stop();
  }

  private profilesChanged(profiles: ProfileInfo[]): void {
    this.active = new Set(profiles.filter((p) => p.status === 'ACTIVE').map((p) => p.name));
    this.profilesKnown = true;
    for (const pod of this.pods.cache.values()) this.podChanged(pod);
  }

  private podChanged(pod: KubeObject | undefined): void {
    if (!pod || !this.profilesKnown) return;
    const profile = pod.metadata.labels?.[profileLabel];
    if (profile !== undefined && !this.active.has(profile) && isStoppable(pod, profile)) this.queue.add(profile);
  }
}
