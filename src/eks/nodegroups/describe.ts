// DescribeNodegroup: GET /clusters/{name}/node-groups/{nodegroupName}.
import type { Route } from '../router.js';
import { requireNodegroup } from './read.js';

export const describeNodegroup: Route = async (ctx, { params }) => {
  const found = await requireNodegroup(ctx, params.name, params.nodegroupName);
  return { nodegroup: found.value.nodegroup };
};
