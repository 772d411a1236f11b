// Where the `skiff … fargateprofile|nodegroup` commands send their calls: the endpoint (flag, AWS_ENDPOINT_URL_EKS,
// AWS_ENDPOINT_URL, else the running Skiff's D/skiff.json), the region and the credentials (env, else the file).
import { existsSync, readFileSync } from 'node:fs';
import { parseIni, readCredentialsFile } from '../../eks/credentials.js';
import { dataPaths, defaultDataDir, defaults } from '../config.js';
import { CliError } from '../errors.js';

export interface EksTarget {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

export interface TargetFlags {
  endpointUrl?: string;
  region?: string;
  profile?: string;
}

function runtimeEndpoint(): string | undefined {
  const file = dataPaths(defaultDataDir()).runtimeInfo;
  if (!existsSync(file)) return undefined;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { eksEndpoint?: string }).eksEndpoint;
  } catch {
    return undefined;
  }
}

export function resolveTarget(flags: TargetFlags, env: NodeJS.ProcessEnv = process.env): EksTarget {
  const paths = dataPaths(defaultDataDir());
  const endpoint = flags.endpointUrl || env.AWS_ENDPOINT_URL_EKS || env.AWS_ENDPOINT_URL || runtimeEndpoint();
  if (!endpoint) {
    throw new CliError(
      'no EKS endpoint: start Skiff with `skiff up`, or pass --endpoint-url or set AWS_ENDPOINT_URL_EKS',
    );
  }
  const profile = flags.profile || env.AWS_PROFILE || 'default';
  const configFile = env.AWS_CONFIG_FILE || paths.awsConfig;
  const configSection = existsSync(configFile)
    ? parseIni(readFileSync(configFile, 'utf8'))[profile === 'default' ? 'default' : `profile ${profile}`]
    : undefined;
  const region = flags.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || configSection?.region || defaults.region;
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    const credentials = {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      sessionToken: env.AWS_SESSION_TOKEN,
    };
    return { endpoint, region, credentials };
  }
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE || paths.awsCredentials;
  const creds = existsSync(credentialsFile)
    ? readCredentialsFile(readFileSync(credentialsFile, 'utf8'), profile)
    : undefined;
  if (!creds) {
    throw new CliError(
      `no AWS credentials for profile "${profile}" in ${credentialsFile}: run \`skiff up\` or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`,
    );
  }
  return { endpoint, region, credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey } };
}
