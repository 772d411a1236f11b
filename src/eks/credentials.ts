// The AWS credentials Skiff's EKS API accepts: generated once into D/aws/credentials and D/aws/config (the files
// the aws CLI and SDKs read), and read back from there on every later start.
import { randomBytes, randomInt } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function randomString(alphabet: string, length: number): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

export function generateAwsCredentials(): AwsCredentials {
  return {
    accessKeyId: `AKIA${randomString(KEY_ALPHABET, 16)}`,
    secretAccessKey: randomString(SECRET_ALPHABET, 40),
    accountId: String(randomInt(100_000_000_000, 999_999_999_999)),
  };
}

/** Reads `[section]` key = value files (the aws shared config format). */
export function parseIni(text: string): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = sections[header[1].trim()] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    if (current && eq > 0) current[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return sections;
}

export function readCredentialsFile(text: string, profile = 'default'): AwsCredentials | undefined {
  const section = parseIni(text)[profile];
  if (!section?.aws_access_key_id || !section.aws_secret_access_key) return undefined;
  return {
    accessKeyId: section.aws_access_key_id,
    secretAccessKey: section.aws_secret_access_key,
    accountId: section.aws_account_id ?? '',
  };
}

/** Loads D/aws/credentials, or generates and writes it (and D/aws/config) the first time. */
export async function ensureAwsCredentials(dir: string, region: string): Promise<AwsCredentials> {
  const credentialsPath = join(dir, 'credentials');
  const existing = await readFile(credentialsPath, 'utf8').then(readCredentialsFile, () => undefined);
  if (existing?.accountId) return existing;
  const creds = generateAwsCredentials();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const credentialsText = [
    '[default]',
    `aws_access_key_id = ${creds.accessKeyId}`,
    `aws_secret_access_key = ${creds.secretAccessKey}`,
    `aws_account_id = ${creds.accountId}`,
    '',
  ].join('\n');
  await writeFile(credentialsPath, credentialsText, { mode: 0o600 });
  await writeFile(join(dir, 'config'), `[default]\nregion = ${region}\noutput = json\n`, { mode: 0o600 });
  return creds;
}
