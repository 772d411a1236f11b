// An OIDC issuer's public keys fetched as relying parties do: `<issuer>/.well-known/openid-configuration`, whose
// `issuer` must be the issuer itself, then its `jwks_uri` (5 s timeout each). Used for issuers Skiff does not hold
// the keys of: an associated identity provider, or an IAM OIDC provider that is not one of Skiff's clusters.
import type { Jwks } from '../../kube/auth/jwt.js';

export async function fetchIssuerJwks(issuerUrl: string): Promise<Jwks> {
  const discovery = await fetch(`${issuerUrl.replace(/\/$/, '')}/.well-known/openid-configuration`, {
    signal: AbortSignal.timeout(5000),
  });
  if (!discovery.ok) throw new Error(`${issuerUrl}: discovery answered ${discovery.status}`);
  const document = (await discovery.json()) as { issuer?: string; jwks_uri?: string };
  if (document.issuer !== issuerUrl) throw new Error(`${issuerUrl}: discovery names issuer ${document.issuer}`);
  const keys = await fetch(String(document.jwks_uri), { signal: AbortSignal.timeout(5000) });
  if (!keys.ok) throw new Error(`${issuerUrl}: jwks answered ${keys.status}`);
  const jwks = (await keys.json()) as Jwks;
  if (!Array.isArray(jwks?.keys)) throw new Error(`${issuerUrl}: jwks has no keys`);
  return jwks;
}
