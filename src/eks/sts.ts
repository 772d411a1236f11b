// STS GetCallerIdentity on the EKS endpoint (eksctl and `aws sts get-caller-identity --endpoint-url` call it):
// the query-protocol XML answer STS gives, for the key that signed the request.
import { randomUUID } from 'node:crypto';
import type { AwsCredentials } from './credentials.js';

export function isStsRequest(method: string, rawPath: string, rawQuery: string, body: Buffer, service: string) {
  if (service === 'sts') return true;
  const params = new URLSearchParams(method === 'POST' ? body.toString('utf8') : rawQuery);
  return (rawPath === '/' || rawPath === '') && params.has('Action');
}

export function stsAction(method: string, rawQuery: string, body: Buffer): string | null {
  return new URLSearchParams(method === 'POST' ? body.toString('utf8') : rawQuery).get('Action');
}

export function getCallerIdentityXml(creds: AwsCredentials): string {
  return [
    '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">',
    '  <GetCallerIdentityResult>',
    `    <Arn>arn:aws:iam::${creds.accountId}:root</Arn>`,
    `    <UserId>${creds.accountId}</UserId>`,
    `    <Account>${creds.accountId}</Account>`,
    '  </GetCallerIdentityResult>',
    '  <ResponseMetadata>',
    `    <RequestId>${randomUUID()}</RequestId>`,
    '  </ResponseMetadata>',
    '</GetCallerIdentityResponse>',
    '',
  ].join('\n');
}

export function stsErrorXml(code: string, message: string): string {
  const escaped = message.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <Error>\n    <Type>Sender</Type>\n    <Code>${code}</Code>\n    <Message>${escaped}</Message>\n  </Error>\n  <RequestId>${randomUUID()}</RequestId>\n</ErrorResponse>\n`;
}
