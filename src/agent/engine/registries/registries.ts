// D/registries.yaml in k3s's format (mirrors with endpoints; configs with auth and TLS per registry host), parsed and
// rendered into containerd's hosts dir: one `<registry>/hosts.toml` per registry, so that e.g. docker.io images can
// come from a local (even plain-HTTP) registry. Basic credentials become an Authorization header on that host.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface RegistryConfig {
  auth?: { username?: string; password?: string; auth?: string; identity_token?: string };
  tls?: { cert_file?: string; key_file?: string; ca_file?: string; insecure_skip_verify?: boolean };
}

export interface RegistriesFile {
  mirrors?: Record<string, { endpoint?: string[] }>;
  configs?: Record<string, RegistryConfig>;
}

export function parseRegistries(text: string, source = 'registries.yaml'): RegistriesFile {
  const doc = (parse(text) ?? {}) as RegistriesFile;
  if (typeof doc !== 'object' || Array.isArray(doc))
    throw new Error(`${source}: expected a mapping with mirrors/configs`);
  for (const [name, mirror] of Object.entries(doc.mirrors ?? {})) {
    for (const endpoint of mirror?.endpoint ?? []) {
      if (!/^https?:\/\//.test(endpoint))
        throw new Error(`${source}: mirror ${name}: endpoint ${endpoint} needs http:// or https://`);
    }
  }
  return doc;
}

/** The registry's default upstream, as containerd names it. */
function upstreamOf(registry: string): string {
  return registry === 'docker.io' ? 'https://registry-1.docker.io' : `https://${registry}`;
}

const q = (value: string) => JSON.stringify(value);

function hostBlock(url: string, config: RegistryConfig | undefined, capabilities: string[]): string {
  const lines = [`[host.${q(url)}]`, `  capabilities = [${capabilities.map(q).join(', ')}]`];
  const tls = config?.tls;
  if (tls?.insecure_skip_verify) lines.push('  skip_verify = true');
  if (tls?.ca_file) lines.push(`  ca = ${q(tls.ca_file)}`);
  if (tls?.cert_file && tls.key_file) lines.push(`  client = [[${q(tls.cert_file)}, ${q(tls.key_file)}]]`);
  const auth = config?.auth;
  const basic =
    auth?.auth ?? (auth?.username ? Buffer.from(`${auth.username}:${auth.password ?? ''}`).toString('base64') : '');
  if (basic) lines.push(`  [host.${q(url)}.header]`, `    Authorization = ${q(`Basic ${basic}`)}`);
  return lines.join('\n');
}

/** hosts.toml text per registry directory name ("_default" for the "*" mirror). */
export function renderHostsToml(file: RegistriesFile): Map<string, string> {
  const out = new Map<string, string>();
  const configs = file.configs ?? {};
  const configFor = (url: string) => configs[new URL(url).host];
  for (const [registry, mirror] of Object.entries(file.mirrors ?? {})) {
    const dir = registry === '*' ? '_default' : registry;
    const blocks = (mirror?.endpoint ?? []).map((url) => hostBlock(url, configFor(url), ['pull', 'resolve']));
    const server = registry === '*' ? '' : `server = ${q(upstreamOf(registry))}\n`;
    out.set(dir, `# Written by Skiff from registries.yaml.\n${server}\n${blocks.join('\n\n')}\n`);
  }
  for (const [registry, config] of Object.entries(configs)) {
    if (out.has(registry)) continue;
    const url = upstreamOf(registry);
    const block = hostBlock(url, config, ['pull', 'resolve', 'push']);
    out.set(registry, `# Written by Skiff from registries.yaml.\nserver = ${q(url)}\n\n${block}\n`);
  }
  return out;
}

/** Rewrites `certsDir` from the registries file (an absent file means no mirrors: the dir is emptied). */
export function writeRegistryHosts(registriesPath: string, certsDir: string): string[] {
  rmSync(certsDir, { recursive: true, force: true });
  mkdirSync(certsDir, { recursive: true });
  if (!existsSync(registriesPath)) return [];
  const hosts = renderHostsToml(parseRegistries(readFileSync(registriesPath, 'utf8'), registriesPath));
  for (const [dir, toml] of hosts) {
    mkdirSync(join(certsDir, dir), { recursive: true });
    writeFileSync(join(certsDir, dir, 'hosts.toml'), toml);
  }
  return [...hosts.keys()];
}
