// STS AssumeRole sessions issued by the EKS endpoint: temporary keys (ASIA…, a secret and a session token) for a
// role of this account, valid for DurationSeconds (900-43200, default 3600). Kept in memory: a restart ends
// every session, as if each had expired. AssumeRole lets the account's own key assume any role ARN of the account
// (another account's role is AccessDenied); AssumeRoleWithWebIdentity (identity/) checks the role's trust first and
// starts its session here too.
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

/** STS's check of RoleSessionName. */
export function checkSessionName(name: string): void {
  if (!/^[\w+=,.@-]{2,64}$/.test(name))
    throw new StsFault(
      'ValidationError',
      `1 validation error detected: Value '${name}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
    );
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
    checkSessionName(request.roleSessionName);
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
    return this.startSession(request.roleArn, request.roleSessionName, duration);
  }

  /** A new session of `roleArn` (already allowed by the caller) for `durationSeconds`. */
  startSession(
    roleArn: string,
    roleSessionName: string,
    durationSeconds: number,
  ): { key: SigningKey; expiresAt: number; assumedRoleId: string } {
    const role = parseRoleArn(roleArn);
    if (!role) throw new StsFault('ValidationError', `${roleArn} is invalid`);
    const roleId = this.roleIds.get(roleArn) ?? `AROA${random(17)}`;
    this.roleIds.set(roleArn, roleId);
    const accessKeyId = `ASIA${random(16)}`;
    const identity: CallerIdentity = {
      accountId: role.accountId,
      accessKeyId,
      arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.roleName}/${roleSessionName}`,
      canonicalArn: `arn:aws:iam::${role.accountId}:role/${role.roleName}`,
      userId: `${roleId}:${roleSessionName}`,
      sessionName: roleSessionName,
    };
    const key: SigningKey = {
      accessKeyId,
      secretAccessKey: random(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'),
      sessionToken: `IQoJ${randomBytes(96).toString('base64')}${randomInt(10)}`,
      accountId: role.accountId,
      identity,
    };
    const expiresAt = this.now() + durationSeconds * 1000;
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
