// STS GetCallerIdentity and AssumeRole on the EKS endpoint (eksctl, `aws sts get-caller-identity` and `aws sts
// assume-role --endpoint-url` call them): the query-protocol XML answers STS gives, for the key that signed.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { CallerIdentity } from './iam/identity.js';
import { type IamSessions, StsFault } from './iam/sessions.js';

export function isStsRequest(method: string, rawPath: string, rawQuery: string, body: Buffer, service: string) {
  if (service === 'sts') return true;
  const params = new URLSearchParams(method === 'POST' ? body.toString('utf8') : rawQuery);
  return (rawPath === '/' || rawPath === '') && params.has('Action');
}

export function stsParams(method: string, rawQuery: string, body: Buffer): URLSearchParams {
  return new URLSearchParams(method === 'POST' ? body.toString('utf8') : rawQuery);
}

export function stsAction(method: string, rawQuery: string, body: Buffer): string | null {
  return stsParams(method, rawQuery, body).get('Action');
}

export function getCallerIdentityXml(caller: CallerIdentity): string {
  return [
    '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">',
    '  <GetCallerIdentityResult>',
    `    <Arn>${caller.arn}</Arn>`,
    `    <UserId>${caller.userId}</UserId>`,
    `    <Account>${caller.accountId}</Account>`,
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

/** AssumeRole: a role session's temporary key, or STS's error. */
export function answerAssumeRole(res: ServerResponse, sessions: IamSessions, params: URLSearchParams): void {
  const send = (status: number, xml: string) => {
    res.writeHead(status, { 'Content-Type': 'text/xml' });
    res.end(xml);
  };
  const duration = params.get('DurationSeconds');
  try {
    const { key, expiresAt, assumedRoleId } = sessions.assumeRole({
      roleArn: params.get('RoleArn') ?? '',
      roleSessionName: params.get('RoleSessionName') ?? '',
      durationSeconds: duration === null ? undefined : Number(duration),
    });
    send(
      200,
      [
        '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">',
        '  <AssumeRoleResult>',
        '    <AssumedRoleUser>',
        `      <AssumedRoleId>${assumedRoleId}</AssumedRoleId>`,
        `      <Arn>${key.identity.arn}</Arn>`,
        '    </AssumedRoleUser>',
        '    <Credentials>',
        `      <AccessKeyId>${key.accessKeyId}</AccessKeyId>`,
        `      <SecretAccessKey>${key.secretAccessKey}</SecretAccessKey>`,
        `      <SessionToken>${key.sessionToken}</SessionToken>`,
        `      <Expiration>${new Date(expiresAt).toISOString().replace(/\.\d+Z$/, 'Z')}</Expiration>`,
        '    </Credentials>',
        '  </AssumeRoleResult>',
        `  <ResponseMetadata>\n    <RequestId>${randomUUID()}</RequestId>\n  </ResponseMetadata>`,
        '</AssumeRoleResponse>',
        '',
      ].join('\n'),
    );
  } catch (error) {
    if (!(error instanceof StsFault)) throw error;
    send(error.status, stsErrorXml(error.code, error.message));
  }
}
