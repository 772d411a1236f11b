// What the EKS endpoint answers without a signature, as AWS does: each cluster issuer's OIDC discovery document
// (`/id/<id>/.well-known/openid-configuration`, EKS's shape) and JWKS (`/id/<id>/keys`), and STS
// AssumeRoleWithWebIdentity (the token is the credential). Anything else goes on to SigV4 verification.
import type { Backend } from '../../store/types.js';
import type { IamSessions } from '../iam/sessions.js';
import { StsFault } from '../iam/sessions.js';
import { stsErrorXml, stsParams } from '../sts.js';
import { readIssuer } from './issuer.js';
import { assumeRoleWithWebIdentity } from './web-identity.js';

export interface UnsignedAnswer {
  status: number;
  contentType: string;
  body: string;
}

export interface UnsignedDeps {
  store: Backend;
  sessions: IamSessions;
  accountId: string;
  now: () => number;
}

const json = (body: unknown): UnsignedAnswer => ({
  status: 200,
  contentType: 'application/json',
  body: JSON.stringify(body),
});

async function discovery(store: Backend, rawPath: string): Promise<UnsignedAnswer | undefined> {
  const match = /^\/id\/([0-9A-F]{32})\/(\.well-known\/openid-configuration|keys)$/.exec(rawPath);
  if (!match) return undefined;
  const record = await readIssuer(store, match[1]);
  if (!record)
    return {
      status: 404,
      contentType: 'application/xml',
      body: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>',
    };
  if (match[2] === 'keys') return json(record.jwks);
  return json({
    issuer: record.issuer,
    jwks_uri: `${record.issuer}/keys`,
    authorization_endpoint: 'urn:kubernetes:programmatic_authorization',
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    claims_supported: ['sub', 'iss'],
    id_token_signing_alg_values_supported: ['ES256'],
  });
}

export async function answerUnsigned(
  deps: UnsignedDeps,
  request: { method: string; rawPath: string; rawQuery: string; body: Buffer },
): Promise<UnsignedAnswer | undefined> {
  const { method, rawPath, rawQuery, body } = request;
  if (method === 'GET' && rawPath.startsWith('/id/')) return discovery(deps.store, rawPath);
  if (rawPath !== '/' && rawPath !== '') return undefined;
  const params = stsParams(method, rawQuery, body);
  if (params.get('Action') !== 'AssumeRoleWithWebIdentity') return undefined;
  try {
    const xml = await assumeRoleWithWebIdentity(deps, params);
    return { status: 200, contentType: 'text/xml', body: xml };
  } catch (error) {
    if (!(error instanceof StsFault)) throw error;
    return { status: error.status, contentType: 'text/xml', body: stsErrorXml(error.code, error.message) };
  }
}
