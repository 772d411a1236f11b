// TokenReview (authentication.k8s.io/v1), as kube-apiserver's tokenreview REST answers it: the token is run through
// the API's own authenticators with the audiences asked for (default: the API's). Authenticated: the user (name, uid,
// groups, extra) and the audiences the token matched — an audience-agnostic authenticator (the admin token, EKS and
// OIDC tokens) matches the API's audiences among those asked for, and none of them means not authenticated. Not
// authenticated: `authenticated` absent and an empty `user`, as Go's omitempty writes it.
import { badRequest } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import { apiAudiences } from '../serviceaccount/signer.js';
import type { AuthenticatedUser, Authenticator } from './types.js';

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/** The user the first authenticator that knows the token gives, with the audiences it matched. */
async function firstUser(authenticators: Authenticator[], token: string, requested: string[]) {
  for (const authenticate of authenticators) {
    const user: AuthenticatedUser | undefined = await authenticate(token, requested.length ? requested : undefined);
    if (!user) continue;
    if (user.audiences) return { user, audiences: user.audiences };
    const audiences = requested.length ? requested.filter((a) => apiAudiences.includes(a)) : [...apiAudiences];
    return audiences.length ? { user, audiences } : undefined;
  }
  return undefined;
}

export async function reviewToken(review: KubeObject, authenticators: Authenticator[]): Promise<KubeObject> {
  const spec = review.spec ?? {};
  if (typeof spec.token !== 'string' || spec.token.length === 0) {
    throw badRequest('token is required for TokenReview in authentication');
  }
  const requested = strings(spec.audiences);
  const found = await firstUser(authenticators, spec.token, requested);
  const status: Record<string, unknown> = { user: {} };
  if (found) {
    const { username, uid, groups, extra } = found.user;
    status.authenticated = true;
    status.user = {
      username,
      ...(uid ? { uid } : {}),
      groups,
      ...(extra && Object.keys(extra).length ? { extra } : {}),
    };
    status.audiences = found.audiences;
  }
  return {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenReview',
    metadata: { creationTimestamp: null as unknown as string },
    spec: { token: spec.token, ...(requested.length ? { audiences: requested } : {}) },
    status,
  };
}
