// The EKS add-ons' manifests, kept as data in data/addons/*.yaml (coredns, kube-proxy, aws-node): read, with the
// cluster's own values (region, cluster DNS address, API server URL) put in for their ${…} placeholders.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../kube/api/types.js';

/** data/addons, from src/addons/ or dist/addons/ alike. */
export const addonsDataDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'addons');

export const addonNames = ['coredns', 'kube-proxy', 'aws-node'] as const;
export type AddonName = (typeof addonNames)[number];

export interface AddonValues {
  region: string;
  /** The kube-dns Service's clusterIP (10.100.0.10 in EKS' default Service range). */
  clusterDns: string;
  /** The API server endpoint kube-proxy's kubeconfig names. */
  apiServer: string;
}

/** Fills `${name}` placeholders; a placeholder with no value is an error, not an empty string. */
export function fillPlaceholders(text: string, values: Record<string, string>, source: string): string {
  return text.replace(/\$\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${source}: no value for \${${name}}`);
    return value;
  });
}

/** The objects of one add-on, in the order its file lists them. */
export function addonObjects(name: AddonName, values: AddonValues, dir = addonsDataDir): KubeObject[] {
  const path = join(dir, `${name}.yaml`);
  const text = fillPlaceholders(readFileSync(path, 'utf8'), { ...values }, path);
  return parseAllDocuments(text).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors[0]!.message}`);
    return doc.toJS() as KubeObject;
  });
}

/** The images the add-ons' pods run, each once, from every container and init container of their workloads. */
export function addonImages(values: AddonValues, dir = addonsDataDir): string[] {
  const images = addonNames.flatMap((name) =>
    addonObjects(name, values, dir).flatMap((object: any) => {
      const spec = object.spec?.template?.spec;
      return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])].map((c: { image: string }) => c.image);
    }),
  );
  return [...new Set(images)];
}
