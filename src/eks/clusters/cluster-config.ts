// The configurable members of a cluster as CreateCluster and UpdateClusterConfig take them: type checks of the
// nested request objects, EKS' defaults (public endpoint open to 0.0.0.0/0, every log type off, STANDARD support),
// and the checks EKS makes on them, with its messages.
import { EksError, invalidParameter } from '../errors.js';
import { checkMemberTypes } from '../member-types.js';
import type {
  AuthenticationMode,
  ClusterRecord,
  EncryptionConfig,
  EndpointAccess,
  LogSetup,
  LogType,
} from '../records.js';

export const logTypes: LogType[] = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];
export const authenticationModes: AuthenticationMode[] = ['CONFIG_MAP', 'API_AND_CONFIG_MAP', 'API'];

export const defaultEndpointAccess: EndpointAccess = {
  endpointPublicAccess: true,
  endpointPrivateAccess: false,
  publicAccessCidrs: ['0.0.0.0/0'],
};

export const endpointAccessOf = (cluster: ClusterRecord): EndpointAccess =>
  cluster.endpointAccess ?? defaultEndpointAccess;

/** EKS reports one entry for the enabled types and one for the disabled ones (an empty group is left out). */
export function loggingOf(cluster: ClusterRecord): LogSetup[] {
  const enabled = new Set((cluster.logging ?? []).filter((s) => s.enabled).flatMap((s) => s.types));
  const on = logTypes.filter((t) => enabled.has(t));
  const off = logTypes.filter((t) => !enabled.has(t));
  return [
    ...(on.length ? [{ types: on, enabled: true }] : []),
    ...(off.length ? [{ types: off, enabled: false }] : []),
  ];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A structure member: absent, or an object whose own members have the given types. */
export function objectMember(
  body: Record<string, unknown>,
  name: string,
  members: Parameters<typeof checkMemberTypes>[1],
): Record<string, unknown> | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value))
    throw new EksError('SerializationException', `Expected an object for ${name} but found ${typeof value}.`);
  checkMemberTypes(value, members, `${name}.`);
  return value;
}

export function booleanMember(body: Record<string, unknown>, name: string, path = name): boolean | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') {
    throw new EksError('SerializationException', `Expected a boolean for ${path} but found ${typeof value}.`);
  }
  return value;
}

/** `logging.clusterLogging` of a request, with EKS' enum check on each type. */
export function readLogging(body: Record<string, unknown>, clusterName: string): LogSetup[] | undefined {
  const logging = objectMember(body, 'logging', {});
  if (!logging) return undefined;
  const setups = logging.clusterLogging;
  if (setups === undefined) return undefined;
  if (!Array.isArray(setups))
    throw new EksError('SerializationException', 'Expected a list for logging.clusterLogging.');
  return setups.map((setup, i) => {
    if (!isObject(setup))
      throw new EksError('SerializationException', `Expected an object for logging.clusterLogging[${i}].`);
    checkMemberTypes(setup, { types: 'list<string>' }, `logging.clusterLogging[${i}].`);
    const types = (setup.types as string[] | undefined) ?? [];
    for (const type of types) {
      if (!(logTypes as string[]).includes(type)) {
        throw invalidParameter(
          `1 validation error detected: Value '${type}' at 'logging.clusterLogging.${i + 1}.member.types' failed to satisfy constraint: Member must satisfy enum value set: [${logTypes.join(', ')}]`,
          { clusterName },
        );
      }
    }
    return {
      types: types as LogType[],
      enabled: booleanMember(setup, 'enabled', `logging.clusterLogging[${i}].enabled`) ?? false,
    };
  });
}

/** The requested log setups applied over the current ones (a type named in the request takes the request's state). */
export function mergeLogging(current: LogSetup[], requested: LogSetup[]): LogSetup[] {
  const enabled = new Set(current.filter((s) => s.enabled).flatMap((s) => s.types));
  for (const setup of requested) {
    for (const type of setup.types) {
      if (setup.enabled) enabled.add(type);
      else enabled.delete(type);
    }
  }
  return [{ types: logTypes.filter((t) => enabled.has(t)), enabled: true }];
}

export function readAuthenticationMode(value: unknown, clusterName: string): AuthenticationMode | undefined {
  if (value === undefined || value === null) return undefined;
  if (!(authenticationModes as unknown[]).includes(value)) {
    throw invalidParameter(
      `1 validation error detected: Value '${String(value)}' at 'accessConfig.authenticationMode' failed to satisfy constraint: Member must satisfy enum value set: [${authenticationModes.join(', ')}]`,
      { clusterName },
    );
  }
  return value as AuthenticationMode;
}

/** `encryptionConfig` of a request: exactly one entry, for `secrets`, with a KMS key ARN. */
export function readEncryptionConfig(value: unknown, clusterName: string): EncryptionConfig[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new EksError('SerializationException', 'Expected a list for encryptionConfig.');
  const configs = value.map((entry, i) => {
    if (!isObject(entry))
      throw new EksError('SerializationException', `Expected an object for encryptionConfig[${i}].`);
    checkMemberTypes(entry, { resources: 'list<string>' }, `encryptionConfig[${i}].`);
    const provider = objectMember(entry, 'provider', { keyArn: 'string' });
    return {
      resources: (entry.resources as string[] | undefined) ?? [],
      provider: { keyArn: String(provider?.keyArn ?? '') },
    };
  });
  if (configs.length !== 1) throw invalidParameter('Only one encryption config is allowed.', { clusterName });
  const [config] = configs;
  if (config.resources.length !== 1 || config.resources[0] !== 'secrets') {
    throw invalidParameter('Encryption is only supported for secrets.', { clusterName });
  }
  if (!/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+/.test(config.provider.keyArn)) {
    throw invalidParameter(`Invalid KMS key ARN: ${config.provider.keyArn}`, { clusterName });
  }
  return configs;
}
