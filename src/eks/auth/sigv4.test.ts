import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { generateAwsCredentials } from '../credentials.js';
import { checkSkew, MISMATCH_MESSAGE, type SignedRequest, verifySigV4 } from './sigv4.js';

const creds = generateAwsCredentials();
const opts = {
  lookup: (id: string) => (id === creds.accessKeyId ? creds : undefined),
  region: 'ap-northeast-2',
  services: ['eks'],
};

async function signed(body = '{"a":1}', region = 'ap-northeast-2', date = new Date()): Promise<SignedRequest> {
  const signer = new SignatureV4({ credentials: creds, region, service: 'eks', sha256: Sha256 });
  const req = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 4566,
      path: '/tags/arn%3Aaws%3Aeks%3Ax',
      query: { tagKeys: ['a', 'b'] },
      headers: { host: '127.0.0.1:4566', 'content-type': 'application/json' },
      body,
    }),
    { signingDate: date },
  );
  return {
    method: 'POST',
    rawPath: req.path,
    rawQuery: 'tagKeys=a&tagKeys=b',
    headers: req.headers,
    body: Buffer.from(body),
  };
}

test('a request the SDK signed verifies (encoded path, repeated query keys)', async () => {
  const result = await verifySigV4(await signed(), opts);
  assert.ok(!('type' in result), JSON.stringify(result));
});

const faults: [string, (r: SignedRequest) => SignedRequest, string, string?][] = [
  ['tampered body', (r) => ({ ...r, body: Buffer.from('{"a":2}') }), 'InvalidSignatureException', MISMATCH_MESSAGE],
  ['tampered query', (r) => ({ ...r, rawQuery: 'tagKeys=a' }), 'InvalidSignatureException', MISMATCH_MESSAGE],
  [
    'tampered signed header',
    (r) => ({ ...r, headers: { ...r.headers, 'content-type': 'text/plain' } }),
    'InvalidSignatureException',
    MISMATCH_MESSAGE,
  ],
  [
    'no authorization',
    (r) => ({ ...r, headers: { ...r.headers, authorization: undefined } }),
    'MissingAuthenticationTokenException',
    'Missing Authentication Token',
  ],
  [
    'unknown key',
    (r) => ({
      ...r,
      headers: {
        ...r.headers,
        authorization: String(r.headers.authorization).replace(creds.accessKeyId, 'AKIAIOSFODNN7EXAMPLE'),
      },
    }),
    'UnrecognizedClientException',
    'The security token included in the request is invalid.',
  ],
  [
    'no signature',
    (r) => ({
      ...r,
      headers: { ...r.headers, authorization: String(r.headers.authorization).replace(/, Signature=\w+/, '') },
    }),
    'IncompleteSignatureException',
  ],
];
for (const [name, mutate, type, message] of faults) {
  test(`refuses: ${name}`, async () => {
    const result = await verifySigV4(mutate(await signed()), opts);
    assert.ok('type' in result);
    assert.equal(result.type, type);
    if (message) assert.equal(result.message, message);
  });
}

test('refuses another region and an old signature', async () => {
  const other = await verifySigV4(await signed(undefined, 'us-east-1'), opts);
  assert.equal('type' in other && other.type, 'InvalidSignatureException');
  const old = await verifySigV4(await signed(undefined, undefined, new Date(Date.now() - 6 * 60_000)), opts);
  assert.match('message' in old ? old.message : '', /^Signature expired: .* is now earlier than .* - 5 min\.\)$/);
});

test('skew messages have AWS wording', () => {
  const now = new Date('2024-01-01T00:10:00Z');
  assert.equal(
    checkSkew(new Date('2024-01-01T00:00:00Z'), now)?.message,
    'Signature expired: 20240101T000000Z is now earlier than 20240101T000500Z (20240101T001000Z - 5 min.)',
  );
  assert.equal(
    checkSkew(new Date('2024-01-01T00:20:00Z'), now)?.message,
    'Signature not yet current: 20240101T002000Z is still later than 20240101T001500Z (20240101T001000Z + 5 min.)',
  );
  assert.equal(checkSkew(new Date('2024-01-01T00:08:00Z'), now), undefined);
});
