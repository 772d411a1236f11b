// DescribeFargateProfile: GET /clusters/{name}/fargate-profiles/{fargateProfileName}.
import type { Route } from '../router.js';
import { requireProfile } from './read.js';

export const describeFargateProfile: Route = async (ctx, { params }) => {
  const found = await requireProfile(ctx, params.name, params.fargateProfileName);
  return { fargateProfile: found.value.profile };
};
