// The EKS add-ons Skiff can install and their versions (data/eks/addons.json), with each one's configuration schema
// (data/eks/addon-schemas/): which versions fit a cluster version, the default one, and the checking of
// configurationValues against the schema in EKS's words.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';

const dataDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'data', 'eks');

export interface AddonVersion {
  addonVersion: string;
  clusterVersions: string[];
  defaultFor: string[];
  /** Image tag by repository (after the registry) for this version's containers. */
  images: Record<string, string>;
}

export interface CatalogueEntry {
  name: string;
  type: string;
  publisher: string;
  owner: string;
  defaultNamespace: string;
  /** The data/addons manifest of its objects. */
  manifest?: string;
  /** The workload whose readiness is the add-on's health. */
  workload?: { kind: 'Deployment' | 'DaemonSet'; name: string };
  schema: string;
  computeTypes: string[];
  requiresIamPermissions: boolean;
  podIdentityConfiguration?: { serviceAccount: string; recommendedManagedPolicies: string[] }[];
  /** Why Skiff cannot install it, when it cannot. */
  notInstallable?: string;
  versions: AddonVersion[];
}

const raw = JSON.parse(readFileSync(join(dataDir, 'addons.json'), 'utf8')) as Record<string, unknown>;
export const catalogue: CatalogueEntry[] = Object.entries(raw)
  .filter(([name]) => !name.startsWith('_'))
  .map(([name, entry]) => ({ name, ...(entry as Omit<CatalogueEntry, 'name'>) }))
  .sort((a, b) => a.name.localeCompare(b.name));

export const catalogueEntry = (name: string) => catalogue.find((e) => e.name === name);

export function versionsFor(entry: CatalogueEntry, clusterVersion: string): AddonVersion[] {
  return entry.versions.filter((v) => v.clusterVersions.includes(clusterVersion));
}

export function defaultVersion(entry: CatalogueEntry, clusterVersion: string): AddonVersion | undefined {
  const fitting = versionsFor(entry, clusterVersion);
  return fitting.find((v) => v.defaultFor.includes(clusterVersion)) ?? fitting[0];
}

/** The configuration schema as DescribeAddonConfiguration returns it (a JSON document in a string). */
export function schemaText(entry: CatalogueEntry): string {
  return JSON.stringify(JSON.parse(readFileSync(join(dataDir, 'addon-schemas', entry.schema), 'utf8')));
}

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const validators = new Map<string, ReturnType<typeof ajv.compile>>();

/** networknt's JSON-schema wording, which EKS's messages carry (`$.replicaCount: string found, integer expected`). */
function describeError(e: ErrorObject): string {
  const path = `$${e.instancePath.replace(/\/(\d+)(?=\/|$)/g, '[$1]').replaceAll('/', '.')}`;
  const params = e.params as Record<string, any>;
  switch (e.keyword) {
    case 'additionalProperties':
      return `${path}.${params.additionalProperty}: is not defined in the schema and the schema does not allow additional properties`;
    case 'type': {
      const found = (value: unknown) => (Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value);
      return `${path}: ${found(e.data)} found, ${[params.type].flat().join(', ')} expected`;
    }
    case 'enum':
      return `${path}: does not have a value in the enumeration [${(params.allowedValues as unknown[]).join(', ')}]`;
    case 'minimum':
      return `${path}: must have a minimum value of ${params.limit}`;
    default:
      return `${path}: ${e.message}`;
  }
}

/** Undefined when `text` is a JSON object the add-on's schema accepts; else EKS's refusal message. */
export function configurationFault(entry: CatalogueEntry, text: string): string | undefined {
  const prefix = 'ConfigurationValue provided in request is not supported: ';
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch {
    return `${prefix}Json schema validation failed with error: [$: is not valid JSON or YAML]`;
  }
  let validate = validators.get(entry.name);
  if (!validate) {
    const { $schema: _, ...schema } = JSON.parse(schemaText(entry));
    validate = ajv.compile({ ...schema, $schema: 'http://json-schema.org/draft-07/schema#' });
    validators.set(entry.name, validate);
  }
  if (validate(value)) return undefined;
  const errors = (validate.errors ?? []).map(describeError);
  return `${prefix}Json schema validation failed with error: [${[...new Set(errors)].join(', ')}]`;
}
