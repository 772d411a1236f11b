// Which node group or add-on a DescribeUpdate / ListUpdates names (query members), and the not-found answer when it
// does not exist. Capabilities are not modelled: none exists, so naming one is answered as for a missing one.
import { requireAddon } from '../addons/read.js';
import type { EksContext } from '../context.js';
import { EksError } from '../errors.js';
import { requireNodegroup } from '../nodegroups/read.js';
import type { UpdateScope } from './records.js';

export function scopeOf(query: URLSearchParams): UpdateScope & { capabilityName?: string } {
  const nodegroupName = query.get('nodegroupName') ?? undefined;
  const addonName = query.get('addonName') ?? undefined;
  const capabilityName = query.get('capabilityName') ?? undefined;
  return {
    ...(nodegroupName ? { nodegroupName } : {}),
    ...(addonName ? { addonName } : {}),
    ...(capabilityName ? { capabilityName } : {}),
  };
}

export async function requireScope(
  ctx: EksContext,
  clusterName: string,
  scope: UpdateScope & { capabilityName?: string },
): Promise<void> {
  if (scope.nodegroupName) await requireNodegroup(ctx, clusterName, scope.nodegroupName);
  if (scope.addonName) await requireAddon(ctx, clusterName, scope.addonName);
  if (scope.capabilityName) {
    throw new EksError('ResourceNotFoundException', `No capability found for name: ${scope.capabilityName}.`, {
      clusterName,
    });
  }
}
