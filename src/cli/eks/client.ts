// The AWS clients the CLI uses: @aws-sdk/client-eks against the target, and STS GetCallerIdentity (signed with
// @smithy/signature-v4) to learn the account, as eksctl does before it acts.
import { Sha256 } from '@aws-crypto/sha256-js';
import { EKSClient } from '@aws-sdk/client-eks';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { CliError } from '../errors.js';
import type { EksTarget } from './target.js';

export function eksClient(target: EksTarget): EKSClient {
  // Skiff supports Node 20; the SDK's notice about its future Node 22 requirement is not the user's to act on.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return new EKSClient({
    region: target.region,
    endpoint: target.endpoint,
    credentials: target.credentials,
    maxAttempts: 2,
  });
}

export async function callerAccount(target: EksTarget): Promise<string> {
  const url = new URL(target.endpoint);
  const body = 'Action=GetCallerIdentity&Version=2011-06-15';
  const signer = new SignatureV4({
    credentials: target.credentials,
    region: target.region,
    service: 'sts',
    sha256: Sha256,
  });
  const request = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: '/',
      headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body,
    }),
  );
  let res: Response;
  try {
    res = await fetch(new URL('/', url), { method: 'POST', headers: request.headers, body });
  } catch (error) {
    throw new CliError(
      `cannot reach the EKS endpoint ${target.endpoint}: ${(error as Error).cause ?? (error as Error).message}`,
    );
  }
  const text = await res.text();
  const account = /<Account>(\d+)<\/Account>/.exec(text)?.[1];
  if (!res.ok || !account) {
    const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? text;
    throw new CliError(`checking AWS STS access – cannot get role ARN for current session: ${message}`);
  }
  return account;
}
