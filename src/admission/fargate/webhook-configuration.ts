// The MutatingWebhookConfiguration EKS shows for its Fargate mutation (reference §3.1): the listing object only —
// Skiff's API runs the mutation in process (plugin.ts) and never calls these webhooks' URLs.
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';

export const fargateWebhookName = '0500-amazon-eks-fargate-mutation.amazonaws.com';
const loggingWebhookName = '0500-amazon-eks-fargate-logging.amazonaws.com';
const ref = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration' };

function podCreateWebhook(name: string, path: string) {
  return {
    name,
    admissionReviewVersions: ['v1', 'v1beta1'],
    clientConfig: { url: `https://fargate.eks.amazonaws.com${path}` },
    failurePolicy: 'Fail',
    matchPolicy: 'Equivalent',
    namespaceSelector: {},
    objectSelector: {},
    reinvocationPolicy: 'Never',
    rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'], scope: '*' }],
    sideEffects: 'None',
    timeoutSeconds: 10,
  };
}

export function fargateWebhookConfiguration(): KubeObject {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name: fargateWebhookName },
    webhooks: [
      podCreateWebhook(fargateWebhookName, '/mutate/pods'),
      podCreateWebhook(loggingWebhookName, '/mutate/pods/logging'),
    ],
  };
}

/** Creates the configuration, or puts its webhooks back if someone changed them; no write when it is as wanted. */
export async function ensureFargateWebhookConfiguration(client: KubeClient): Promise<KubeObject> {
  const wanted = fargateWebhookConfiguration();
  let existing: KubeObject;
  try {
    existing = await client.get(ref, fargateWebhookName);
  } catch (error: any) {
    if (error?.code !== 404) throw error;
    try {
      return await client.create(wanted);
    } catch (createError: any) {
      if (createError?.code !== 409) throw createError;
      existing = await client.get(ref, fargateWebhookName);
    }
  }
  if (JSON.stringify(existing.webhooks) === JSON.stringify(wanted.webhooks)) return existing;
  return client.update({ ...existing, webhooks: wanted.webhooks });
}
