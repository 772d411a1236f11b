// AWS Signature Version 4 verification: re-signs the request as received with @smithy/signature-v4 and the
// caller's secret, and answers with AWS's own error types and messages when the signature does not hold.
import { createHash, timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentials } from '../credentials.js';

export interface SignedRequest {
  method: string;
  /** The path exactly as received (still percent-encoded). */
  rawPath: string;
  /** The query string as received, without `?`. */
  rawQuery: string;
  /** Header names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface SignatureFault {
  type:
    | 'MissingAuthenticationTokenException'
    | 'IncompleteSignatureException'
    | 'UnrecognizedClientException'
    | 'InvalidSignatureException';
  message: string;
}

export interface VerifiedCaller {
  credentials: AwsCredentials;
  service: string;
  region: string;
}

export interface VerifyOptions {
  lookup: (accessKeyId: string) => AwsCredentials | undefined;
  region: string;
  services: string[];
  now?: Date;
  /** Allowed clock skew in ms (AWS: 5 minutes). */
  skewMs?: number;
}

export const MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
export const UNRECOGNIZED_MESSAGE = 'The security token included in the request is invalid.';
const FIVE_MINUTES = 5 * 60 * 1000;

/** `20240101T000000Z` → Date, or undefined. */
export function parseAmzDate(text: string | undefined): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text ?? '');
  if (!m) return undefined;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

export function formatAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** The "Signature expired" / "not yet current" fault when `signed` is further than the skew from `now`. */
export function checkSkew(signed: Date, now: Date, skewMs = FIVE_MINUTES): SignatureFault | undefined {
  const minutes = Math.round(skewMs / 60000);
  if (signed.getTime() < now.getTime() - skewMs) {
    const message = `Signature expired: ${formatAmzDate(signed)} is now earlier than ${formatAmzDate(new Date(now.getTime() - skewMs))} (${formatAmzDate(now)} - ${minutes} min.)`;
    return { type: 'InvalidSignatureException', message };
  }
  if (signed.getTime() > now.getTime() + skewMs) {
    const message = `Signature not yet current: ${formatAmzDate(signed)} is still later than ${formatAmzDate(new Date(now.getTime() + skewMs))} (${formatAmzDate(now)} + ${minutes} min.)`;
    return { type: 'InvalidSignatureException', message };
  }
  return undefined;
}

/** Decoded query parameters as the signer wants them (repeated keys become arrays). */
export function parseQuery(rawQuery: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(rawQuery)) {
    const prior = query[key];
    query[key] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [prior, value];
  }
  return query;
}

const header = (h: SignedRequest['headers'], name: string) => {
  const v = h[name];
  return Array.isArray(v) ? v.join(',') : v;
};

interface AuthorizationParts {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

function parseAuthorization(value: string): AuthorizationParts | SignatureFault {
  const incomplete = (why: string): SignatureFault => ({
    type: 'IncompleteSignatureException',
    message: `${why} Authorization=${value}`,
  });
  if (!value.startsWith('AWS4-HMAC-SHA256 ')) return incomplete('Unsupported Authorization Type.');
  const fields = new Map<string, string>();
  for (const part of value.slice('AWS4-HMAC-SHA256 '.length).split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0)
      return incomplete(`'${part.trim()}' not a valid key=value pair (missing equal-sign) in Authorization header.`);
    fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((k) => !fields.get(k));
  if (missing.length > 0) {
    return incomplete(missing.map((k) => `Authorization header requires '${k}' parameter.`).join(' '));
  }
  const [accessKeyId, date, region, service, terminator] = (fields.get('Credential') ?? '').split('/');
  if (!accessKeyId || !date || !region || !service || terminator !== 'aws4_request') {
    return incomplete(
      `Credential '${fields.get('Credential')}' is malformed; expected "<key>/<date>/<region>/<service>/aws4_request".`,
    );
  }
  return {
    accessKeyId,
    date,
    region,
    service,
    signedHeaders: (fields.get('SignedHeaders') ?? '').split(';'),
    signature: fields.get('Signature') ?? '',
  };
}

function sameHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** Checks one request's Authorization header. */
export async function verifySigV4(req: SignedRequest, opts: VerifyOptions): Promise<VerifiedCaller | SignatureFault> {
  const authorization = header(req.headers, 'authorization');
  if (!authorization) return { type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' };
  const parts = parseAuthorization(authorization);
  if ('type' in parts) return parts;
  const amzDate = header(req.headers, 'x-amz-date');
  const signedAt = parseAmzDate(amzDate);
  if (!signedAt || !parts.signedHeaders.includes('x-amz-date') || !parts.signedHeaders.includes('host')) {
    const message = `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header, signed together with 'Host'. Authorization=${authorization}`;
    return { type: 'IncompleteSignatureException', message };
  }
  const credentials = opts.lookup(parts.accessKeyId);
  if (!credentials) return { type: 'UnrecognizedClientException', message: UNRECOGNIZED_MESSAGE };
  if (!opts.services.includes(parts.service)) {
    return {
      type: 'InvalidSignatureException',
      message: `Credential should be scoped to correct service: '${opts.services[0]}'. `,
    };
  }
  if (parts.region !== opts.region) {
    return {
      type: 'InvalidSignatureException',
      message: `Credential should be scoped to a valid region, not '${parts.region}'. `,
    };
  }
  if (parts.date !== amzDate?.slice(0, 8)) {
    return {
      type: 'InvalidSignatureException',
      message: `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${parts.date}' != '${amzDate?.slice(0, 8)}', from '${amzDate}'.`,
    };
  }
  const skew = checkSkew(signedAt, opts.now ?? new Date(), opts.skewMs);
  if (skew) return skew;
  const bodyHash = createHash('sha256').update(req.body).digest('hex');
  const claimedHash = header(req.headers, 'x-amz-content-sha256');
  if (claimedHash !== undefined && claimedHash !== bodyHash)
    return { type: 'InvalidSignatureException', message: MISMATCH_MESSAGE };
  const expected = await signatureFor(req, parts, credentials, signedAt);
  if (!sameHex(expected, parts.signature)) return { type: 'InvalidSignatureException', message: MISMATCH_MESSAGE };
  return { credentials, service: parts.service, region: parts.region };
}

async function signatureFor(req: SignedRequest, parts: AuthorizationParts, creds: AwsCredentials, signedAt: Date) {
  const headers: Record<string, string> = {};
  for (const name of parts.signedHeaders) headers[name] = header(req.headers, name) ?? '';
  const host = headers.host ?? '';
  const signer = new SignatureV4({
    credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey },
    region: parts.region,
    service: parts.service,
    sha256: Sha256,
    applyChecksum: false,
  });
  const request = new HttpRequest({
    method: req.method,
    protocol: 'http:',
    hostname: host.replace(/:\d+$/, ''),
    path: req.rawPath,
    query: parseQuery(req.rawQuery),
    headers,
    body: req.body.length > 0 ? req.body : undefined,
  });
  const signed = await signer.sign(request, { signingDate: signedAt, signableHeaders: new Set(parts.signedHeaders) });
  return /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization))?.[1] ?? '';
}
