// Where EKS add-on records live (/eks/addons/<cluster>/<name>), their shape, reading one, and the not-found error
// EKS gives for a missing one.
import { type EksContext, readJson, requireCluster } from '../context.js';
import { EksError } from '../errors.js';

export const addonKeys = {
  addon: (cluster: string, name: string) => `/eks/addons/${cluster}/${name}`,
  addons: (cluster: string) => `/eks/addons/${cluster}/`,
  all: () => '/eks/addons/',
};

export type AddonStatus =
  | 'CREATING'
  | 'ACTIVE'
  | 'CREATE_FAILED'
  | 'UPDATING'
  | 'DELETING'
  | 'DELETE_FAILED'
  | 'DEGRADED'
  | 'UPDATE_FAILED';

export interface AddonIssue {
  code: string;
  message: string;
  resourceIds: string[];
}

/** The model's Addon shape. */
export interface Addon {
  addonName: string;
  clusterName: string;
  status: AddonStatus;
  addonVersion: string;
  health: { issues: AddonIssue[] };
  addonArn: string;
  createdAt: number;
  modifiedAt: number;
  serviceAccountRoleArn?: string;
  tags: Record<string, string>;
  configurationValues?: string;
  podIdentityAssociations?: string[];
}

/** What the add-on manager (src/controllers/addon/) is asked to do next, and with which conflict rule. */
export interface AddonIntent {
  action: 'apply' | 'remove';
  resolveConflicts: 'OVERWRITE' | 'NONE' | 'PRESERVE';
  /** DeleteAddon's `preserve`: leave the objects in the cluster. */
  preserve?: boolean;
  /** The AddonUpdate this apply settles, if any. */
  updateId?: string;
  /** What the add-on was before an update, put back if the update fails. */
  previous?: Pick<Addon, 'addonVersion' | 'configurationValues' | 'serviceAccountRoleArn'>;
  /** Bumped on every request, so the manager can tell a new intent from one it already carried out. */
  generation: number;
}

export interface StoredAddon {
  addon: Addon;
  /** The last intent's generation (kept once the intent is carried out). */
  generation: number;
  intent?: AddonIntent;
  clientRequestToken?: string;
}

export async function requireAddon(ctx: EksContext, clusterName: string, name: string) {
  await requireCluster(ctx, clusterName);
  const found = await readJson<StoredAddon>(ctx.store, addonKeys.addon(clusterName, name));
  if (!found) {
    throw new EksError('ResourceNotFoundException', `No addon: ${name} found in cluster: ${clusterName}`, {
      clusterName,
      addonName: name,
    });
  }
  return found;
}
