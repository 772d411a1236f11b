// eksctl's ClusterConfig (apiVersion eksctl.io/v1alpha5) as `skiff … -f` reads it: strict, so an unknown key is
// an error that names it; only the parts Skiff acts on (metadata, iam, fargateProfiles, managedNodeGroups) are kept.
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { CliError } from '../errors.js';

export interface ConfigSelector {
  namespace: string;
  labels?: Record<string, string>;
}

export interface ConfigFargateProfile {
  name: string;
  podExecutionRoleARN?: string;
  selectors: ConfigSelector[];
  subnets?: string[];
  tags?: Record<string, string>;
}

export interface ConfigNodeGroup {
  name: string;
  instanceType?: string;
  instanceTypes?: string[];
  desiredCapacity?: number;
  minSize?: number;
  maxSize?: number;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  tags?: Record<string, string>;
  subnets?: string[];
  volumeSize?: number;
  amiFamily?: string;
  iam?: { instanceRoleARN?: string };
  privateNetworking?: boolean;
}

export interface ClusterConfig {
  metadata: { name: string; region?: string; version?: string; tags?: Record<string, string> };
  iam?: { fargatePodExecutionRoleARN?: string };
  fargateProfiles: ConfigFargateProfile[];
  managedNodeGroups: ConfigNodeGroup[];
  /** Notes about accepted spellings that eksctl would not take as they are. */
  warnings: string[];
}

type Obj = Record<string, unknown>;

/** Top-level ClusterConfig fields of eksctl's schema; Skiff reads some and accepts the rest unread. */
const TOP_LEVEL = [
  'apiVersion',
  'kind',
  'metadata',
  'iam',
  'fargateProfiles',
  'managedNodeGroups',
  'nodeGroups',
  'vpc',
  'availabilityZones',
  'kubernetesNetworkConfig',
  'addons',
  'addonsConfig',
  'cloudWatch',
  'secretsEncryption',
  'privateCluster',
  'identityProviders',
  'accessConfig',
  'iamIdentityMappings',
  'gitops',
  'karpenter',
  'outpost',
  'zonalShiftConfig',
  'autoModeConfig',
  'remoteNetworkConfig',
  'localZones',
];

class Reader {
  constructor(private readonly file: string) {}

  fail(path: string, message: string): never {
    throw new CliError(`error parsing ${this.file}: ${path ? `${path}: ` : ''}${message}`);
  }

  object(value: unknown, path: string, allowed: string[]): Obj {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(path, 'expected a mapping');
    for (const key of Object.keys(value as Obj)) {
      if (!allowed.includes(key)) this.fail('', `unknown field "${path ? `${path}.` : ''}${key}"`);
    }
    return value as Obj;
  }

  string(value: unknown, path: string): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') this.fail(path, 'expected a string');
    return value;
  }

  number(value: unknown, path: string): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) this.fail(path, 'expected an integer');
    return value;
  }

  strings(value: unknown, path: string): string[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) this.fail(path, 'expected a list of strings');
    return value.map((v, i) => this.string(v, `${path}[${i}]`) as string);
  }

  map(value: unknown, path: string): Record<string, string> | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) this.fail(path, 'expected a mapping of strings');
    return Object.fromEntries(Object.entries(value as Obj).map(([k, v]) => [k, String(v)]));
  }

  list(value: unknown, path: string): unknown[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) this.fail(path, 'expected a list');
    return value;
  }
}

function readProfile(r: Reader, raw: unknown, path: string, warnings: string[]): ConfigFargateProfile {
  const allowed = [
    'name',
    'podExecutionRoleARN',
    'podExecutionRoleArn',
    'selectors',
    'subnets',
    'tags',
    'status',
    'iam',
  ];
  const p = r.object(raw, path, allowed);
  let role =
    r.string(p.podExecutionRoleARN, `${path}.podExecutionRoleARN`) ??
    r.string(p.podExecutionRoleArn, `${path}.podExecutionRoleArn`);
  if (p.podExecutionRoleArn !== undefined)
    warnings.push(`${path}.podExecutionRoleArn read as podExecutionRoleARN (eksctl's spelling)`);
  if (p.iam !== undefined) {
    const iam = r.object(p.iam, `${path}.iam`, ['roleArn']);
    role ??= r.string(iam.roleArn, `${path}.iam.roleArn`);
    warnings.push(`${path}.iam.roleArn is not an eksctl field; Skiff reads it as podExecutionRoleARN`);
  }
  const selectors = r.list(p.selectors, `${path}.selectors`).map((s, i) => {
    const sp = `${path}.selectors[${i}]`;
    const sel = r.object(s, sp, ['namespace', 'labels']);
    const labels = r.map(sel.labels, `${sp}.labels`);
    return { namespace: r.string(sel.namespace, `${sp}.namespace`) ?? '', ...(labels ? { labels } : {}) };
  });
  return {
    name: r.string(p.name, `${path}.name`) ?? '',
    podExecutionRoleARN: role,
    selectors,
    subnets: r.strings(p.subnets, `${path}.subnets`),
    tags: r.map(p.tags, `${path}.tags`),
  };
}

function readNodeGroup(r: Reader, raw: unknown, path: string): ConfigNodeGroup {
  const allowed = [
    'name',
    'instanceType',
    'instanceTypes',
    'desiredCapacity',
    'minSize',
    'maxSize',
    'labels',
    'taints',
    'tags',
    'subnets',
    'volumeSize',
    'amiFamily',
    'iam',
    'privateNetworking',
    'spot',
    'ssh',
    'availabilityZones',
  ];
  const n = r.object(raw, path, allowed);
  const taints = r.list(n.taints, `${path}.taints`).map((t, i) => {
    const tp = `${path}.taints[${i}]`;
    const o = r.object(t, tp, ['key', 'value', 'effect']);
    return {
      key: r.string(o.key, `${tp}.key`) ?? '',
      value: r.string(o.value, `${tp}.value`),
      effect: r.string(o.effect, `${tp}.effect`) ?? '',
    };
  });
  const iam =
    n.iam === undefined
      ? undefined
      : r.object(n.iam, `${path}.iam`, ['instanceRoleARN', 'attachPolicyARNs', 'withAddonPolicies']);
  return {
    name: r.string(n.name, `${path}.name`) ?? '',
    instanceType: r.string(n.instanceType, `${path}.instanceType`),
    instanceTypes: r.strings(n.instanceTypes, `${path}.instanceTypes`),
    desiredCapacity: r.number(n.desiredCapacity, `${path}.desiredCapacity`),
    minSize: r.number(n.minSize, `${path}.minSize`),
    maxSize: r.number(n.maxSize, `${path}.maxSize`),
    labels: r.map(n.labels, `${path}.labels`),
    taints,
    tags: r.map(n.tags, `${path}.tags`),
    subnets: r.strings(n.subnets, `${path}.subnets`),
    volumeSize: r.number(n.volumeSize, `${path}.volumeSize`),
    amiFamily: r.string(n.amiFamily, `${path}.amiFamily`),
    iam: iam ? { instanceRoleARN: r.string(iam.instanceRoleARN, `${path}.iam.instanceRoleARN`) } : undefined,
    privateNetworking: n.privateNetworking === undefined ? undefined : Boolean(n.privateNetworking),
  };
}

export function parseClusterConfig(text: string, file: string): ClusterConfig {
  const r = new Reader(file);
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (error) {
    r.fail('', (error as Error).message.split('\n')[0]);
  }
  const top = r.object(doc, '', TOP_LEVEL);
  if (top.apiVersion !== 'eksctl.io/v1alpha5')
    r.fail('apiVersion', `expected "eksctl.io/v1alpha5", got "${String(top.apiVersion)}"`);
  if (top.kind !== 'ClusterConfig') r.fail('kind', `expected "ClusterConfig", got "${String(top.kind)}"`);
  const meta = r.object(top.metadata, 'metadata', ['name', 'region', 'version', 'tags', 'annotations']);
  const name = r.string(meta.name, 'metadata.name') ?? r.fail('metadata.name', 'required');
  const iam =
    top.iam === undefined
      ? undefined
      : r.object(top.iam, 'iam', [
          'fargatePodExecutionRoleARN',
          'fargatePodExecutionRolePermissionsBoundary',
          'withOIDC',
          'serviceRoleARN',
          'serviceAccounts',
          'podIdentityAssociations',
          'vpcResourceControllerPolicy',
          'serviceRolePermissionsBoundary',
        ]);
  const warnings: string[] = [];
  return {
    metadata: {
      name,
      region: r.string(meta.region, 'metadata.region'),
      version: r.string(meta.version, 'metadata.version'),
      tags: r.map(meta.tags, 'metadata.tags'),
    },
    iam: iam
      ? { fargatePodExecutionRoleARN: r.string(iam.fargatePodExecutionRoleARN, 'iam.fargatePodExecutionRoleARN') }
      : undefined,
    fargateProfiles: r
      .list(top.fargateProfiles, 'fargateProfiles')
      .map((p, i) => readProfile(r, p, `fargateProfiles[${i}]`, warnings)),
    managedNodeGroups: r
      .list(top.managedNodeGroups, 'managedNodeGroups')
      .map((n, i) => readNodeGroup(r, n, `managedNodeGroups[${i}]`)),
    warnings,
  };
}

/** Reads `-f FILE` (`-` is stdin). */
export function loadClusterConfig(file: string): ClusterConfig {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new CliError(
      `reading ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    );
  }
  return parseClusterConfig(text, file === '-' ? 'stdin' : file);
}
