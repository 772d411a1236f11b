// Image references normalised by docker's rules (github.com/distribution/reference, as the kubelet and containerd
// apply them): the default registry docker.io, `library/` for single-name Docker Hub repositories, `:latest` when
// neither tag nor digest is given, lower-case repository names; `host:port/` registries and digests are kept as
// written. Every presence check, pull, import, removal and container status goes through here.

export interface ImageReference {
  /** Registry host, with its port when it has one: docker.io, localhost:5000, quay.io. */
  domain: string;
  /** Repository path inside the registry: library/busybox, org/app. */
  path: string;
  tag?: string;
  digest?: string;
}

export class InvalidImageReference extends Error {}

const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_PREFIX = 'library/';
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const HEX_ID = /^[a-f0-9]{64}$/;
const MAX_NAME_LENGTH = 255;

const invalid = (why = 'invalid reference format') => new InvalidImageReference(why);

/** Splits `name` into registry and path as docker does: the first part is a registry when it looks like a host. */
function splitDomain(name: string): { domain: string; path: string } {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const isHost = slash >= 0 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first);
  let domain = isHost ? first : DEFAULT_DOMAIN;
  let path = isHost ? name.slice(slash + 1) : name;
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = OFFICIAL_PREFIX + path;
  return { domain, path };
}

function validDomain(domain: string): boolean {
  const bracket = domain.match(/^\[[0-9a-fA-F:]+\](?::\d+)?$/);
  if (bracket) return true;
  const [host, port, extra] = domain.split(':');
  if (extra !== undefined || (port !== undefined && !/^\d+$/.test(port))) return false;
  return host!.split('.').every((c) => DOMAIN_COMPONENT.test(c));
}

/** Parses a reference as docker's ParseNormalizedNamed; throws InvalidImageReference with its message. */
export function parseImageReference(reference: string): ImageReference {
  if (HEX_ID.test(reference)) {
    throw invalid(`invalid repository name (${reference}), cannot specify 64-byte hexadecimal strings`);
  }
  if (reference === '' || /\s/.test(reference)) throw invalid();
  let rest = reference;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw invalid();
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw invalid();
  }
  if (!rest) throw invalid();
  const { domain, path } = splitDomain(rest);
  if (path.toLowerCase() !== path) {
    throw invalid(`invalid reference format: repository name (${path}) must be lowercase`);
  }
  if (!validDomain(domain) || !path.split('/').every((c) => COMPONENT.test(c))) throw invalid();
  if (domain.length + 1 + path.length > MAX_NAME_LENGTH)
    throw invalid('repository name must not be more than 255 characters');
  return { domain, path, ...(tag !== undefined ? { tag } : {}), ...(digest ? { digest } : {}) };
}

const suffixOf = (ref: ImageReference) =>
  `${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;

export function formatImageReference(ref: ImageReference): string {
  return `${ref.domain}/${ref.path}${suffixOf(ref)}`;
}

/** busybox:bars → docker.io/library/busybox:bars, nginx → docker.io/library/nginx:latest; digests kept. */
export function normalizeImageReference(reference: string): string {
  const ref = parseImageReference(reference);
  return formatImageReference(ref.tag === undefined && !ref.digest ? { ...ref, tag: 'latest' } : ref);
}

/** The repository of a reference, normalised: busybox:bars → docker.io/library/busybox. */
export function repositoryOf(reference: string): string {
  const { domain, path } = parseImageReference(reference);
  return `${domain}/${path}`;
}

/** A repository name alone (no tag, no digest), normalised: busybox → docker.io/library/busybox. */
export function normalizeRepository(name: string): string {
  const ref = parseImageReference(name);
  if (ref.tag !== undefined || ref.digest) {
    throw invalid(`${name} is a reference, not a repository: leave out the tag and digest`);
  }
  return `${ref.domain}/${ref.path}`;
}

/** The short form docker prints: docker.io/library/busybox:bars → busybox:bars, quay.io/x/y:1 unchanged. */
export function familiarImageReference(reference: string): string {
  const ref = parseImageReference(reference);
  const official = ref.path.startsWith(OFFICIAL_PREFIX) && ref.path.indexOf('/', OFFICIAL_PREFIX.length) < 0;
  const name =
    ref.domain !== DEFAULT_DOMAIN
      ? `${ref.domain}/${ref.path}`
      : official
        ? ref.path.slice(OFFICIAL_PREFIX.length)
        : ref.path;
  return name + suffixOf(ref);
}

/** True for a bare OCI tag (`bars`, `1.36`), as `org.opencontainers.image.ref.name` often holds. */
export function isBareTag(name: string): boolean {
  return TAG.test(name);
}
