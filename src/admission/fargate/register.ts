// Installs the Fargate admission into an API context: the in-process mutation plugin (reading the logging
// namespace and ConfigMap from the API's store) and the MutatingWebhookConfiguration that lists it.
import type { ClusterFacts } from '../../cloud/facts.js';
import { type ApiContext, inProcessClient } from '../../kube/index.js';
import { storeReaders } from './logging.js';
import { type FargateAdmission, fargateAdmission } from './plugin.js';
import { ensureFargateWebhookConfiguration } from './webhook-configuration.js';

export async function registerFargateAdmission(ctx: ApiContext, facts: ClusterFacts): Promise<FargateAdmission> {
  const client = inProcessClient(ctx);
  const plugin = await fargateAdmission({ facts, ...storeReaders(ctx) });
  ctx.admission.addMutating(plugin);
  await ensureFargateWebhookConfiguration(client);
  return plugin;
}
