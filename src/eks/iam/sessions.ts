// STS AssumeRole sessions issued by the EKS endpoint: temporary keys (ASIA…, a secret and a session token) for a
// role of this account, valid for DurationSeconds (900-43200, default 3600). Kept in memory: a restart ends
// every session, as if each had expired. There is no IAM here, so any role ARN of the account may be assumed by
// the account's own key; another account's role is AccessDenied.
import { randomBytes, randomInt } from 'node:crypto';
import type { AwsCredentials } from '../credentials.js';
import { type CallerIdentity, parseRoleArn, type SigningKey } from './identity.js';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const random = (length: number, chars = alphabet) =>
  Array.from(randomBytes(length), (b) => chars[b % chars.length]).join('');

export class StsFault extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface AssumeRoleRequest {
  roleArn: string;
  roleSessionName: string;
  durationSeconds?: number;
}

interface Session {
  key: SigningKey;
  expiresAt: number;
}

export class IamSessions {
  private sessions = new Map<string, Session>();
  private roleIds = new Map<string, string>();

  constructor(
    private account: AwsCredentials,
    private now: () => number = Date.now,
  ) {}

  assumeRole(request: AssumeRoleRequest): { key: SigningKey; expiresAt: number; assumedRoleId: string } {
    const role = parseRoleArn(request.roleArn);
    if (!role) throw new StsFault('ValidationError', `${request.roleArn} is invalid`);
    if (!/^[\w+=,.@-]{2,64}$/.test(request.roleSessionName))
      throw new StsFault(
        'ValidationError',
        `1 validation error detected: Value '${request.roleSessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
      );
    const duration = request.durationSeconds ?? 3600;
    if (!Number.isInteger(duration) || duration < 900 || duration > 43200)
      throw new StsFault(
        'ValidationError',
        `The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`,
      );
    if (role.accountId !== this.account.accountId)
      throw new StsFault(
        'AccessDenied',
        `User: arn:aws:iam::${this.account.accountId}:root is not authorized to perform: sts:AssumeRole on resource: ${request.roleArn}`,
        403,
      );
    const roleId = this.roleIds.get(request.roleArn) ?? `AROA${random(17)}`;
    this.roleIds.set(request.roleArn, roleId);
    const accessKeyId = `ASIA${random(16)}`;
    const identity: CallerIdentity = {
      accountId: role.accountId,
      accessKeyId,
      arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.roleName}/${request.roleSessionName}`,
      canonicalArn: `arn:aws:iam::${role.accountId}:role/${role.roleName}`,
      userId: `${roleId}:${request.roleSessionName}`,
      sessionName: request.roleSessionName,
    };
    const key: SigningKey = {
      accessKeyId,
      secretAccessKey: random(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'),
      sessionToken: `IQoJ${randomBytes(96).toString('base64')}${randomInt(10)}`,
      accountId: role.accountId,
      identity,
    };
    const expiresAt = this.now() + duration * 1000;
    this.sessions.set(accessKeyId, { key, expiresAt });
    return { key, expiresAt, assumedRoleId: identity.userId };
  }

  /** A live session's key, by its access key id. */
  lookup(accessKeyId: string): SigningKey | undefined {
    const session = this.sessions.get(accessKeyId);
    if (!session) return undefined;
    if (session.expiresAt <= this.now()) {
      this.sessions.delete(accessKeyId);
      return undefined;
    }
    return session.key;
  }
}
