// STS AssumeRoleWithWebIdentity (unsigned, as on AWS): the token must be a JWT whose issuer the account registered
// as an IAM OIDC provider (else "No OpenIDConnect provider found in your account for <iss>"), signed by a key of the
// issuer's JWKS (a Skiff cluster's from the store, any other fetched from the issuer), not expired
// (ExpiredTokenException), for one of the provider's client ids ("Incorrect token audience"); the role must exist and
// its trust policy must allow `sts:AssumeRoleWithWebIdentity` for the provider's ARN as `Principal.Federated` with
// the `<issuer host/path>:sub` / `:aud` condition keys (else AccessDenied "Not authorized to perform
// sts:AssumeRoleWithWebIdentity"). The answer is a role session of
// IamSessions, so Skiff's endpoints accept its key with the session token.
import { randomUUID } from 'node:crypto';
import { audiencesOf, decodeJwt, verifyJwtSignature } from '../../kube/auth/jwt.js';
import type { Backend } from '../../store/types.js';
import { parseRoleArn } from '../iam/identity.js';
import { providerForIssuer } from '../iam/oidc-providers.js';
import { readRole } from '../iam/roles.js';
import { checkSessionName, type IamSessions, StsFault } from '../iam/sessions.js';
import { trustAllows } from '../iam/trust.js';
import { xmlText } from '../xml-text.js';
import { findIssuer } from './issuer.js';
import { fetchIssuerJwks } from './remote-jwks.js';

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const invalidToken = (message: string) => new StsFault('InvalidIdentityToken', message);
const notAuthorized = () =>
  new StsFault('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 403);

export interface WebIdentityDeps {
  store: Backend;
  sessions: IamSessions;
  accountId: string;
  now: () => number;
}

/** The AssumeRoleWithWebIdentityResponse XML, or throws StsFault. */
export async function assumeRoleWithWebIdentity(deps: WebIdentityDeps, params: URLSearchParams): Promise<string> {
  for (const [name, member] of [
    ['RoleArn', 'roleArn'],
    ['RoleSessionName', 'roleSessionName'],
    ['WebIdentityToken', 'webIdentityToken'],
  ])
    if (!params.get(name))
      throw new StsFault(
        'ValidationError',
        `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
      );
  const roleArn = params.get('RoleArn')!;
  const sessionName = params.get('RoleSessionName')!;
  checkSessionName(sessionName);
  const jwt = decodeJwt(params.get('WebIdentityToken')!);
  if (!jwt)
    throw invalidToken(
      'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)',
    );
  const iss = String(jwt.claims.iss ?? '');
  const provider = await providerForIssuer(deps.store, iss);
  if (!provider) throw invalidToken(`No OpenIDConnect provider found in your account for ${iss}`);
  const jwks = (await findIssuer(deps.store, iss))?.jwks ?? (await fetchIssuerJwks(iss).catch(() => undefined));
  if (!jwks || !verifyJwtSignature(jwt, jwks))
    throw invalidToken(
      "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
    );
  const nowSeconds = Math.floor(deps.now() / 1000);
  if (typeof jwt.claims.exp !== 'number' || jwt.claims.exp <= nowSeconds)
    throw new StsFault(
      'ExpiredTokenException',
      `Token expired: current date/time ${nowSeconds} must be before the expiration date/time${jwt.claims.exp}`,
    );
  const audience = audiencesOf(jwt.claims).find((a) => provider.clientIds.includes(a));
  if (!audience) throw invalidToken('Incorrect token audience');
  const parsed = parseRoleArn(roleArn);
  if (!parsed) throw new StsFault('ValidationError', `${roleArn} is invalid`);
  const role = parsed.accountId === deps.accountId ? await readRole(deps.store, parsed.roleName) : undefined;
  if (!role || role.arn !== roleArn) throw notAuthorized();
  const hostPath = provider.url;
  const subject = String(jwt.claims.sub ?? '');
  const allowed = trustAllows(role.assumeRolePolicyDocument, {
    action: 'sts:AssumeRoleWithWebIdentity',
    federatedPrincipal: provider.arn,
    context: { [`${hostPath}:sub`]: [subject], [`${hostPath}:aud`]: [audience], [`${hostPath}:amr`]: [] },
  });
  if (!allowed) throw notAuthorized();
  const requested = params.get('DurationSeconds');
  const duration = requested === null ? 3600 : Number(requested);
  if (!Number.isInteger(duration) || duration < 900 || duration > role.maxSessionDuration)
    throw new StsFault(
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
  const { key, expiresAt, assumedRoleId } = deps.sessions.startSession(roleArn, sessionName, duration);
  return [
    '<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">',
    '  <AssumeRoleWithWebIdentityResult>',
    `    <SubjectFromWebIdentityToken>${xmlText(subject)}</SubjectFromWebIdentityToken>`,
    `    <Audience>${xmlText(audience)}</Audience>`,
    '    <AssumedRoleUser>',
    `      <Arn>${xmlText(key.identity.arn)}</Arn>`,
    `      <AssumedRoleId>${xmlText(assumedRoleId)}</AssumedRoleId>`,
    '    </AssumedRoleUser>',
    '    <Credentials>',
    `      <SessionToken>${key.sessionToken}</SessionToken>`,
    `      <SecretAccessKey>${key.secretAccessKey}</SecretAccessKey>`,
    `      <Expiration>${iso(expiresAt)}</Expiration>`,
    `      <AccessKeyId>${key.accessKeyId}</AccessKeyId>`,
    '    </Credentials>',
    `    <Provider>${xmlText(provider.arn)}</Provider>`,
    '  </AssumeRoleWithWebIdentityResult>',
    `  <ResponseMetadata>\n    <RequestId>${randomUUID()}</RequestId>\n  </ResponseMetadata>`,
    '</AssumeRoleWithWebIdentityResponse>',
    '',
  ].join('\n');
}
