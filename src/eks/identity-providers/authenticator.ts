// The kube API's authenticator for an associated OIDC identity provider, as kube-apiserver's --oidc-* flags (which
// EKS sets from the config) behave: a JWT whose `iss` is the issuerUrl of an ACTIVE config of this cluster, signed by
// a key of the issuer's JWKS (found through its /.well-known/openid-configuration, cached, fetched again for an
// unknown key at most every 10 s), unexpired, for the config's clientId, carrying every requiredClaims value. The
// user is the usernameClaim (default `sub`) with usernamePrefix — when no prefix is set, a claim other than `email`
// gets `<issuerUrl>#`, and "-" means none; `email` needs `email_verified` not false; groups are groupsClaim (a
// string or a list) each with groupsPrefix, plus system:authenticated.

import { audiencesOf, decodeJwt, type Jwks, verifyJwtSignature } from '../../kube/auth/jwt.js';
import type { Authenticator, UserInfo } from '../../kube/auth/types.js';
import type { Backend } from '../../store/types.js';
import { fetchIssuerJwks } from '../identity/remote-jwks.js';
import { type OidcConfig, readConfigs } from './records.js';

const refetchAfterMs = 10_000;

interface CachedKeys {
  jwks: Jwks;
  fetchedAt: number;
}

/** The user a verified token's claims name for this config, or undefined when the claims do not qualify. */
export function userOf(config: OidcConfig, claims: Record<string, any>): UserInfo | undefined {
  for (const [claim, value] of Object.entries(config.requiredClaims ?? {}))
    if (claims[claim] !== value) return undefined;
  const usernameClaim = config.usernameClaim || 'sub';
  const name = claims[usernameClaim];
  if (typeof name !== 'string' || !name) return undefined;
  if (usernameClaim === 'email' && claims.email_verified === false) return undefined;
  const prefix =
    config.usernamePrefix === '-'
      ? ''
      : (config.usernamePrefix ?? (usernameClaim === 'email' ? '' : `${config.issuerUrl}#`));
  const rawGroups = config.groupsClaim ? claims[config.groupsClaim] : undefined;
  const groups = (Array.isArray(rawGroups) ? rawGroups : typeof rawGroups === 'string' ? [rawGroups] : [])
    .filter((g): g is string => typeof g === 'string')
    .map((g) => `${config.groupsPrefix ?? ''}${g}`);
  return { username: `${prefix}${name}`, groups: [...groups, 'system:authenticated'] };
}

export function identityProviderAuthenticator(store: Backend, clusterName: string, now = Date.now): Authenticator {
  const cache = new Map<string, CachedKeys>();
  const keysFor = async (issuerUrl: string, kid: unknown): Promise<Jwks | undefined> => {
    const cached = cache.get(issuerUrl);
    const known = cached?.jwks.keys.some((k) => kid === undefined || k.kid === kid);
    if (cached && (known || now() - cached.fetchedAt < refetchAfterMs)) return cached.jwks;
    try {
      const jwks = await fetchIssuerJwks(issuerUrl);
      cache.set(issuerUrl, { jwks, fetchedAt: now() });
      return jwks;
    } catch {
      return cached?.jwks;
    }
  };
  return async (token) => {
    const jwt = decodeJwt(token);
    if (!jwt || typeof jwt.claims.iss !== 'string') return undefined;
    const configs = await readConfigs(store, clusterName, now());
    const config = configs.find((c) => c.status === 'ACTIVE' && c.stored.config.issuerUrl === jwt.claims.iss)?.stored
      .config;
    if (!config) return undefined;
    const jwks = await keysFor(config.issuerUrl, jwt.header.kid);
    if (!jwks || !verifyJwtSignature(jwt, jwks)) return undefined;
    const seconds = now() / 1000;
    if (typeof jwt.claims.exp !== 'number' || jwt.claims.exp <= seconds) return undefined;
    if (typeof jwt.claims.nbf === 'number' && jwt.claims.nbf > seconds + 60) return undefined;
    if (!audiencesOf(jwt.claims).includes(config.clientId)) return undefined;
    return userOf(config, jwt.claims);
  };
}
