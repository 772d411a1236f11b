// imagePullSecrets of type kubernetes.io/dockerconfigjson (and legacy .dockercfg) turned into CRI AuthConfigs: the
// credentials whose registry key matches the image's registry host (docker.io aliases included), best match first.
import type { AuthConfig } from '../cri/types.js';

export interface PullSecret {
  type?: string;
  /** Secret data, base64 as stored in the kube API. */
  data?: Record<string, string>;
}

interface DockerAuth {
  username?: string;
  password?: string;
  auth?: string;
  identitytoken?: string;
  registrytoken?: string;
}

const DOCKER_HUB = ['docker.io', 'index.docker.io', 'registry-1.docker.io'];

/** The registry host of an image reference (docker.io when it names none). */
export function registryOf(image: string): string {
  const first = image.split('/')[0]!;
  if (!image.includes('/') || !(first.includes('.') || first.includes(':') || first === 'localhost'))
    return 'docker.io';
  return first;
}

function keyHost(key: string): { host: string; path: string } {
  const stripped = key.replace(/^https?:\/\//, '').replace(/\/v[12]\/?$/, '');
  const slash = stripped.indexOf('/');
  return slash < 0 ? { host: stripped, path: '' } : { host: stripped.slice(0, slash), path: stripped.slice(slash + 1) };
}

function sameRegistry(a: string, b: string): boolean {
  return a === b || (DOCKER_HUB.includes(a) && DOCKER_HUB.includes(b));
}

function entriesOf(secret: PullSecret): Record<string, DockerAuth> {
  const decode = (v: string) => JSON.parse(Buffer.from(v, 'base64').toString('utf8'));
  if (secret.data?.['.dockerconfigjson']) return decode(secret.data['.dockerconfigjson']).auths ?? {};
  if (secret.data?.['.dockercfg']) return decode(secret.data['.dockercfg']);
  return {};
}

export function authsForImage(image: string, secrets: PullSecret[]): AuthConfig[] {
  const registry = registryOf(image);
  const repo = image.slice(image.indexOf('/') + 1);
  const matches: { score: number; auth: AuthConfig }[] = [];
  for (const secret of secrets) {
    for (const [key, entry] of Object.entries(entriesOf(secret))) {
      const { host, path } = keyHost(key);
      if (!sameRegistry(host, registry) || (path && !repo.startsWith(path))) continue;
      let { username, password } = entry;
      if (!username && entry.auth) {
        const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        username = decoded.slice(0, colon);
        password = decoded.slice(colon + 1);
      }
      matches.push({
        score: path.length,
        auth: {
          username,
          password,
          identityToken: entry.identitytoken,
          registryToken: entry.registrytoken,
        },
      });
    }
  }
  return matches.sort((a, b) => b.score - a.score).map((m) => m.auth);
}
