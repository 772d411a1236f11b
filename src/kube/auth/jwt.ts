// Compact JWS (JWT) verification against a JSON Web Key Set: the key by `kid` (or the only key of a matching type),
// RS256/RS384/RS512, PS256 and ES256/ES384/ES512 with node:crypto. Used by STS AssumeRoleWithWebIdentity (a
// cluster's issuer) and the kube API's OIDC authenticator (an associated identity provider).
import { createPublicKey, type JsonWebKey, verify } from 'node:crypto';

export interface Jwks {
  keys: Record<string, unknown>[];
}

export interface DecodedJwt {
  header: Record<string, any>;
  claims: Record<string, any>;
  signingInput: string;
  signature: Buffer;
}

const algorithms: Record<string, { hash: string; kty: string; padding?: 'pss' }> = {
  RS256: { hash: 'sha256', kty: 'RSA' },
  RS384: { hash: 'sha384', kty: 'RSA' },
  RS512: { hash: 'sha512', kty: 'RSA' },
  PS256: { hash: 'sha256', kty: 'RSA', padding: 'pss' },
  ES256: { hash: 'sha256', kty: 'EC' },
  ES384: { hash: 'sha384', kty: 'EC' },
  ES512: { hash: 'sha512', kty: 'EC' },
};

/** The header and claims of a compact JWS, unverified; undefined when it is not one. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (!header || typeof header !== 'object' || !claims || typeof claims !== 'object' || Array.isArray(claims))
      return undefined;
    return { header, claims, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2], 'base64url') };
  } catch {
    return undefined;
  }
}

/** Whether the token's signature holds for a key of the set. */
export function verifyJwtSignature(jwt: DecodedJwt, jwks: Jwks): boolean {
  const alg = algorithms[jwt.header.alg];
  if (!alg) return false;
  const candidates = jwks.keys.filter(
    (k) => k.kty === alg.kty && (jwt.header.kid === undefined || k.kid === jwt.header.kid) && k.use !== 'enc',
  );
  return candidates.some((jwk) => {
    try {
      const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
      const options =
        alg.kty === 'EC'
          ? { key, dsaEncoding: 'ieee-p1363' as const }
          : alg.padding === 'pss'
            ? { key, padding: 6, saltLength: 32 }
            : { key };
      return verify(alg.hash, Buffer.from(jwt.signingInput), options, jwt.signature);
    } catch {
      return false;
    }
  });
}

/** The `aud` claim as a list. */
export const audiencesOf = (claims: Record<string, any>): string[] =>
  Array.isArray(claims.aud) ? claims.aud : typeof claims.aud === 'string' ? [claims.aud] : [];
