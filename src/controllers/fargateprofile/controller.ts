// The Fargate profile controller: follows the profiles (ClusterFacts) and watches Pods; whenever a pod captured
// by a profile that is not ACTIVE shows up (the profile left ACTIVE, or went away, even while Skiff was down),
// the profile's name is queued and reconcileProfilePods stops its pods.

import { Controller, type ControllerOptions } from '../../client/controller.js';
import type { Informer } from '../../client/informer.js';
import type { ClusterFacts, ProfileInfo, Subscription } from '../../cloud/facts.js';
import { profileLabel } from '../../fargate/matching.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { component, isStoppable, reconcileProfilePods } from './reconcile.js';

export type FargateProfileControllerOptions = ControllerOptions;

export class FargateProfileController extends Controller {
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
    super(client, component, options, 2);
    this.pods = this.watch({ apiVersion: 'v1', kind: 'Pod' }, (_old, pod) => this.profileToStop(pod));
  }

  override async start(): Promise<void> {
    await super.start();
    this.subscription = await this.facts.watchProfiles((profiles) => this.profilesChanged(profiles));
  }

  override stop(): void {
    this.subscription?.close();
    super.stop();
  }

  protected override async reconcile(profile: string) {
    await reconcileProfilePods(this.client, this.pods.lister, profile, (name) => this.active.has(name));
    return undefined;
  }

  private profilesChanged(profiles: ProfileInfo[]): void {
    this.active = new Set(profiles.filter((p) => p.status === 'ACTIVE').map((p) => p.name));
    this.profilesKnown = true;
    for (const pod of this.pods.cache.values()) for (const key of this.profileToStop(pod)) this.queue.add(key);
  }

  private profileToStop(pod: KubeObject | undefined): string[] {
    if (!pod || !this.profilesKnown) return [];
    const profile = pod.metadata.labels?.[profileLabel];
    return profile !== undefined && !this.active.has(profile) && isStoppable(pod, profile) ? [profile] : [];
  }
}
