// The add-on manager's reports reaching the add-on records: the outcome of an intent (ACTIVE, DEGRADED, a failure
// with its ConfigurationConflict issue, or DELETED: the record and its updates go) settles it and its AddonUpdate;
// a health report without an intent moves a settled add-on between ACTIVE and DEGRADED. Also what the manager
// reads of each add-on (ClusterFacts' AddonInfo).
import type { AddonInfo, AddonReport } from '../../cloud/facts.js';
import { ConflictError } from '../../store/errors.js';
import type { Backend } from '../../store/types.js';
import { readJson } from '../context.js';
import { finishUpdate, forgetUpdates } from '../updates/records.js';
import { catalogueEntry } from './catalogue.js';
import { addonKeys, type StoredAddon } from './read.js';

export async function reportAddon(
  store: Backend,
  cluster: string,
  name: string,
  report: AddonReport,
  now: number,
): Promise<void> {
  const key = addonKeys.addon(cluster, name);
  for (;;) {
    const found = await readJson<StoredAddon>(store, key);
    if (!found) return;
    const stored = found.value;
    const issues = report.issues;
    let next: StoredAddon;
    if (report.generation !== undefined) {
      const intent = stored.intent;
      if (intent?.generation !== report.generation) return;
      if (report.status === 'DELETED') {
        await store.delete(key, found.modRevision).catch((error) => {
          if (!(error instanceof ConflictError)) throw error;
        });
        await forgetUpdates(store, cluster, { addonName: name });
        return;
      }
      const failed = report.status.endsWith('_FAILED');
      if (intent.updateId) {
        const errors = issues.map((i) => ({ errorCode: i.code, errorMessage: i.message, resourceIds: i.resourceIds }));
        await finishUpdate(store, cluster, intent.updateId, failed ? 'Failed' : 'Successful', failed ? errors : []);
      }
      // A failed update leaves the objects as they were: the add-on is what it was, still running.
      const revert = failed && intent.updateId ? intent.previous : undefined;
      const addon = { ...stored.addon, ...(revert ?? {}) };
      if (revert && revert.configurationValues === undefined) delete addon.configurationValues;
      if (revert && revert.serviceAccountRoleArn === undefined) delete addon.serviceAccountRoleArn;
      const status = revert ? 'ACTIVE' : report.status;
      next = { ...stored, addon: { ...addon, status, health: { issues }, modifiedAt: now / 1000 }, intent: undefined };
    } else {
      if (stored.intent || !['ACTIVE', 'DEGRADED'].includes(stored.addon.status)) return;
      if (report.status !== 'ACTIVE' && report.status !== 'DEGRADED') return;
      const same =
        stored.addon.status === report.status && JSON.stringify(stored.addon.health.issues) === JSON.stringify(issues);
      if (same) return;
      next = {
        ...stored,
        addon: { ...stored.addon, status: report.status, health: { issues }, modifiedAt: now / 1000 },
      };
    }
    try {
      await store.update(key, JSON.stringify(next), found.modRevision);
      return;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
}

/** The add-ons of a cluster as the manager sees them. */
export async function addonInfos(store: Backend, cluster: string): Promise<AddonInfo[]> {
  const { items } = await store.list(addonKeys.addons(cluster));
  const infos: AddonInfo[] = [];
  for (const kv of items) {
    const { addon, intent } = JSON.parse(kv.value) as StoredAddon;
    const entry = catalogueEntry(addon.addonName);
    const version = entry?.versions.find((v) => v.addonVersion === addon.addonVersion);
    if (!entry?.manifest || !version) continue;
    infos.push({
      name: addon.addonName,
      status: addon.status,
      version: addon.addonVersion,
      manifest: entry.manifest,
      workload: entry.workload,
      images: version.images,
      configurationValues: addon.configurationValues,
      intent: intent && {
        action: intent.action,
        resolveConflicts: intent.resolveConflicts,
        preserve: intent.preserve,
        generation: intent.generation,
      },
    });
  }
  return infos;
}
