// kube-apiserver's ServiceAccount issuer discovery: GET /.well-known/openid-configuration (the issuer, the JWKS URI
// on this server, the algorithms) and GET /openid/v1/jwks (the signer's public keys), for callers the
// system:service-account-issuer-discovery role lets in, with kube-apiserver's content types and caching.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiContext } from '../rest/context.js';

export const openIdConfigurationPath = '/.well-known/openid-configuration';
export const jwksPath = '/openid/v1/jwks';

function send(res: ServerResponse, contentType: string, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(200, {
    'Content-Type': contentType,
    'Cache-Control': 'public, max-age=3600',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Answers the two discovery paths; false for any other path (or when no signer is installed). */
export function serveIssuerDiscovery(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, path: string) {
  const signer = ctx.tokenSigner;
  if (!signer || (req.method ?? 'GET') !== 'GET') return false;
  if (path === openIdConfigurationPath) {
    send(res, 'application/json', {
      issuer: signer.issuer,
      jwks_uri: `https://${req.headers.host ?? 'localhost'}${jwksPath}`,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['ES256'],
    });
    return true;
  }
  if (path === jwksPath) {
    send(res, 'application/jwk-set+json', signer.jwks());
    return true;
  }
  return false;
}
