// ServiceAccount tokens in the kube API: the signer on the context, the TokenRequest subresource's handler, the
// authenticator, the ServiceAccount admission (the default token volume), the kube-root-ca.crt ConfigMaps and the
// tokens of kubernetes.io/service-account-token Secrets.
import { serviceAccountAdmission } from '../admission/serviceaccount.js';
import type { ApiContext } from '../rest/context.js';
import { installLegacyTokens } from './legacy-tokens.js';
import { installRootCaPublisher } from './root-ca.js';
import type { TokenSigner } from './signer.js';

export { serviceAccountTokenAuthenticator } from './authenticator.js';
export { TokenSigner } from './signer.js';
export { requestToken } from './token-request.js';

export interface ServiceAccountOptions {
  signer: TokenSigner;
  caCert: string;
}

export async function installServiceAccounts(ctx: ApiContext, options: ServiceAccountOptions): Promise<void> {
  ctx.tokenSigner = options.signer;
  ctx.admission.addMutating(serviceAccountAdmission(ctx));
  await installRootCaPublisher(ctx, options.caCert);
  installLegacyTokens(ctx, options.caCert);
}
