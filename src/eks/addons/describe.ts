// DescribeAddon: GET /clusters/{name}/addons/{addonName} → {"addon": Addon}.
import type { Route } from '../router.js';
import { requireAddon } from './read.js';

export const describeAddon: Route = async (ctx, { params }) => ({
  addon: (await requireAddon(ctx, params.name, params.addonName)).value.addon,
});
