// Writes D/kubeconfig (cluster CA, server, admin token) and merges the same cluster, user and context into
// ~/.kube/config, replacing only Skiff's own entries and leaving everything else as it was.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';

export interface KubeconfigEntry {
  name: string;
  server: string;
  caCert: string;
  token: string;
}

interface Named {
  name: string;
  [key: string]: unknown;
}

function entries(e: KubeconfigEntry) {
  return {
    cluster: {
      name: e.name,
      cluster: { server: e.server, 'certificate-authority-data': Buffer.from(e.caCert).toString('base64') },
    },
    user: { name: `${e.name}-admin`, user: { token: e.token } },
    context: { name: e.name, context: { cluster: e.name, user: `${e.name}-admin`, namespace: 'default' } },
  };
}

export function kubeconfigYaml(e: KubeconfigEntry): string {
  const { cluster, user, context } = entries(e);
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [cluster],
    users: [user],
    contexts: [context],
    'current-context': e.name,
    preferences: {},
  });
}

function upsert(list: unknown, item: Named): Named[] {
  const items = Array.isArray(list) ? (list as Named[]).filter((x) => x?.name !== item.name) : [];
  return [...items, item];
}

export function writeKubeconfig(path: string, e: KubeconfigEntry): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, kubeconfigYaml(e), { mode: 0o600 });
}

export function defaultKubeconfigPath(): string {
  return process.env.KUBECONFIG?.split(':')[0] || join(homedir(), '.kube', 'config');
}

/** Merges into an existing kubeconfig (or creates it) and makes Skiff's context the current one. */
export function mergeKubeconfig(path: string, e: KubeconfigEntry): void {
  const existing = existsSync(path) ? (parse(readFileSync(path, 'utf8')) ?? {}) : {};
  const { cluster, user, context } = entries(e);
  const merged = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    ...existing,
    clusters: upsert(existing.clusters, cluster),
    users: upsert(existing.users, user),
    contexts: upsert(existing.contexts, context),
    'current-context': e.name,
  };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, stringify(merged), { mode: 0o600 });
}
