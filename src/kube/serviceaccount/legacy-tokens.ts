// kube-controller-manager's tokens controller, kept by the kube API as it keeps kube-root-ca.crt: a Secret of type
// kubernetes.io/service-account-token naming an existing ServiceAccount (annotation
// kubernetes.io/service-account.name) gets a long-lived token, the cluster CA and the namespace, and the
// ServiceAccount's UID as an annotation.
import type { KubeObject } from '../api/types.js';
import type { ApiContext } from '../rest/context.js';
import { updateObject } from '../rest/update.js';
import { getObject } from '../storage/objects.js';

export const serviceAccountTokenType = 'kubernetes.io/service-account-token';
export const serviceAccountNameAnnotation = 'kubernetes.io/service-account.name';
export const serviceAccountUidAnnotation = 'kubernetes.io/service-account.uid';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

async function fill(ctx: ApiContext, secret: KubeObject, caCert: string): Promise<void> {
  const signer = ctx.tokenSigner;
  const namespace = secret.metadata.namespace!;
  const accountName = secret.metadata.annotations?.[serviceAccountNameAnnotation];
  if (!signer || !accountName || secret.data?.token) return;
  const account = await getObject(ctx.store, ctx.registry.lookup('', 'v1', 'serviceaccounts')!, namespace, accountName);
  if (!account) return;
  const uid = account.metadata.uid!;
  const token = signer.issueLegacy(namespace, { name: accountName, uid }, secret.metadata.name!);
  const updated: KubeObject = {
    ...secret,
    metadata: {
      ...secret.metadata,
      annotations: { ...secret.metadata.annotations, [serviceAccountUidAnnotation]: uid },
    },
    data: { ...secret.data, token: b64(token), 'ca.crt': b64(caCert), namespace: b64(namespace) },
  };
  try {
    await updateObject(ctx, ctx.registry.lookup('', 'v1', 'secrets')!, namespace, secret.metadata.name!, updated);
  } catch (error: any) {
    // Changed or deleted meanwhile: the next write of the Secret brings it here again.
    if (![404, 409].includes(error?.code)) throw error;
  }
}

export function installLegacyTokens(ctx: ApiContext, caCert: string): void {
  ctx.afterWrite.push(async (info, object, deleted) => {
    if (deleted || info.group !== '' || info.resource !== 'secrets' || object.type !== serviceAccountTokenType) return;
    if (object.metadata.deletionTimestamp) return;
    await fill(ctx, object, caCert);
  });
}
