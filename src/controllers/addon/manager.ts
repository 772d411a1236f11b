// The EKS add-on manager (the control-plane side of CreateAddon/UpdateAddon/DeleteAddon): follows the cluster's
// add-ons through ClusterFacts and their workloads in kube-system through informers. An `apply` intent puts the
// add-on's objects (its version's images, its configuration values) into the cluster under resolveConflicts, then
// reports ACTIVE once the workload has its desired ready replicas, DEGRADED (InsufficientNumberOfReplicas) if it
// has not after a grace period, or CREATE_FAILED/UPDATE_FAILED with the conflicts; a `remove` intent deletes the
// objects (unless preserved) and reports DELETED. A settled add-on's health follows its workload.
import { parse as parseYaml } from 'yaml';
import { type AddonConfiguration, configuredAddonObjects } from '../../addons/configure.js';
import type { AddonName, AddonValues } from '../../addons/manifests.js';
import { Controller } from '../../client/controller.js';
import type { Informer } from '../../client/informer.js';
import type { AddonInfo, AddonIssueInfo, ClusterFacts, Subscription } from '../../cloud/facts.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { applyAddonObjects, describeConflict, removeAddonObjects } from './apply.js';

export interface AddonManagerOptions {
  client: KubeClient;
  facts: ClusterFacts;
  values: AddonValues;
  /** How long a workload may lack ready replicas before the add-on is DEGRADED; default 120 s. */
  graceMs?: number;
  onError?: (error: unknown) => void;
  now?: () => number;
}

const namespace = 'kube-system';
export const insufficientReplicas: AddonIssueInfo = {
  code: 'InsufficientNumberOfReplicas',
  message: "The add-on is unhealthy because it doesn't have the desired number of replicas.",
  resourceIds: [],
};

/** Whether a Deployment or DaemonSet has rolled out and has every desired replica ready. */
export function workloadReady(workload: KubeObject | undefined): boolean {
  if (!workload) return false;
  const status = workload.status ?? {};
  if ((status.observedGeneration ?? 0) < (workload.metadata.generation ?? 0)) return false;
  if (workload.kind === 'Deployment') {
    const want = workload.spec?.replicas ?? 1;
    return (status.readyReplicas ?? 0) >= want && (status.updatedReplicas ?? 0) >= want;
  }
  return (status.numberReady ?? 0) >= (status.desiredNumberScheduled ?? 0);
}

export class AddonManager extends Controller {
  private readonly deployments: Informer;
  private readonly daemonSets: Informer;
  private readonly addons = new Map<string, AddonInfo>();
  /** Add-on → the generation applied and when. */
  private readonly applied = new Map<string, { generation: number; at: number }>();
  private readonly unhealthySince = new Map<string, number>();
  private subscription?: Subscription;
  private readonly now: () => number;

  constructor(private readonly options: AddonManagerOptions) {
    super(options.client, 'add-on manager', { onError: options.onError, workers: 1 });
    this.now = options.now ?? Date.now;
    const byWorkload = (old: KubeObject | undefined, current: KubeObject | undefined) => {
      const name = (current ?? old)!.metadata.name;
      return [...this.addons.values()].filter((a) => a.workload?.name === name).map((a) => a.name);
    };
    this.deployments = this.watch({ apiVersion: 'apps/v1', kind: 'Deployment', namespace }, byWorkload);
    this.daemonSets = this.watch({ apiVersion: 'apps/v1', kind: 'DaemonSet', namespace }, byWorkload);
  }

  override async start(): Promise<void> {
    await super.start();
    this.subscription = await this.options.facts.watchAddons((list) => {
      this.addons.clear();
      for (const addon of list) {
        this.addons.set(addon.name, addon);
        this.queue.add(addon.name);
      }
    });
  }

  override stop(): void {
    this.subscription?.close();
    super.stop();
  }

  private objects(addon: AddonInfo): KubeObject[] {
    const config = (addon.configurationValues ? parseYaml(addon.configurationValues) : {}) as AddonConfiguration;
    return configuredAddonObjects(addon.manifest as AddonName, this.options.values, addon.images, config ?? {});
  }

  private workload(addon: AddonInfo): KubeObject | undefined {
    if (!addon.workload) return undefined;
    const informer = addon.workload.kind === 'Deployment' ? this.deployments : this.daemonSets;
    return informer.cache.get(`${namespace}/${addon.workload.name}`);
  }

  protected override async reconcile(name: string) {
    const addon = this.addons.get(name);
    if (!addon) {
      this.applied.delete(name);
      this.unhealthySince.delete(name);
      return {};
    }
    const { facts } = this.options;
    const intent = addon.intent;
    const now = this.now();
    if (intent?.action === 'remove') {
      if (!intent.preserve) await removeAddonObjects(this.client, this.objects(addon));
      this.applied.delete(name);
      await facts.reportAddon(name, { generation: intent.generation, status: 'DELETED', issues: [] });
      return {};
    }
    if (intent?.action === 'apply' && this.applied.get(name)?.generation !== intent.generation) {
      const conflicts = await applyAddonObjects(this.client, this.objects(addon), intent.resolveConflicts);
      if (conflicts.length > 0) {
        const message = `Conflicts found when trying to apply. Will not continue due to resolve conflicts mode. Conflicts:\n${conflicts.map(describeConflict).join('\n')}`;
        const status = addon.status === 'CREATING' ? 'CREATE_FAILED' : 'UPDATE_FAILED';
        await facts.reportAddon(name, {
          generation: intent.generation,
          status,
          issues: [{ code: 'ConfigurationConflict', message, resourceIds: [] }],
        });
        return {};
      }
      this.applied.set(name, { generation: intent.generation, at: now });
    }
    const ready = !addon.workload || workloadReady(this.workload(addon));
    const graceMs = this.options.graceMs ?? 120_000;
    if (intent?.action === 'apply') {
      const since = this.applied.get(name)?.at ?? now;
      if (ready) await facts.reportAddon(name, { generation: intent.generation, status: 'ACTIVE', issues: [] });
      else if (now - since >= graceMs) {
        await facts.reportAddon(name, {
          generation: intent.generation,
          status: 'DEGRADED',
          issues: [insufficientReplicas],
        });
      } else return { requeueAfterMs: Math.min(1000, graceMs) };
      return {};
    }
    if (ready) {
      this.unhealthySince.delete(name);
      if (addon.status === 'DEGRADED') await facts.reportAddon(name, { status: 'ACTIVE', issues: [] });
      return {};
    }
    const since = this.unhealthySince.get(name) ?? now;
    this.unhealthySince.set(name, since);
    if (now - since < graceMs) return { requeueAfterMs: graceMs - (now - since) };
    if (addon.status === 'ACTIVE')
      await facts.reportAddon(name, { status: 'DEGRADED', issues: [insufficientReplicas] });
    return {};
  }
}

/** Starts the add-on manager (src/cli wires it). */
export async function startAddonManager(options: AddonManagerOptions): Promise<AddonManager> {
  const manager = new AddonManager(options);
  await manager.start();
  return manager;
}
