// Reads a Corefile (CoreDNS' Caddyfile syntax: server blocks `zone:port { … }`, one directive a line, nested
// blocks, `#` comments, quoted tokens) into the configuration of the plugins this server carries: errors, log,
// health, ready, prometheus, cache, loadbalance, hosts, kubernetes, forward, loop and reload. A directive CoreDNS
// does not know, or one this server does not carry, is refused with CoreDNS' parse error, never skipped.
import type { KubernetesPluginConfig } from './records.js';

export interface Directive {
  name: string;
  args: string[];
  block: Directive[];
  line: number;
}

export interface HostsConfig {
  /** Inline entries: name → addresses. */
  entries: Map<string, string[]>;
  ttl: number;
  fallthrough?: string[];
}

export interface ServerBlock {
  /** Zones this block answers for, without the trailing dot ('' is the root, "."). */
  zones: string[];
  port: number;
  errors: boolean;
  log: boolean;
  health?: { address: string; lameduckMs: number };
  ready?: { address: string };
  prometheus?: { address: string };
  cache?: { ttl: number };
  loadbalance: boolean;
  hosts?: HostsConfig;
  kubernetes?: KubernetesPluginConfig;
  forward?: { from: string; to: string[] };
  loop: boolean;
  reload?: { intervalMs: number };
}

export class CorefileError extends Error {}

const parseError = (file: string, line: number, message: string) =>
  new CorefileError(`${file}:${line} - Error during parsing: ${message}`);

interface Token {
  text: string;
  line: number;
}

function tokenize(text: string): Token[][] {
  const lines: Token[][] = [];
  text.split('\n').forEach((raw, i) => {
    const tokens: Token[] = [];
    const re = /"((?:[^"\\]|\\.)*)"|(\{|\})|([^\s{}"#]+)|(#.*$)/g;
    for (const m of raw.matchAll(re)) {
      if (m[4] !== undefined) break;
      tokens.push({ text: m[1] ?? m[2] ?? m[3]!, line: i + 1 });
    }
    if (tokens.length) lines.push(tokens);
  });
  return lines;
}

/** Parses directives until the matching `}` (or the end); `lines` is consumed from the front. */
function parseDirectives(lines: Token[][], file: string, nested: boolean): Directive[] {
  const out: Directive[] = [];
  while (lines.length) {
    const tokens = lines.shift()!;
    if (tokens[0]!.text === '}') {
      if (!nested) throw parseError(file, tokens[0]!.line, "Unexpected '}' because no matching opening brace");
      return out;
    }
    const opens = tokens.at(-1)!.text === '{';
    const words = (opens ? tokens.slice(0, -1) : tokens).map((t) => t.text);
    const directive: Directive = { name: words[0]!, args: words.slice(1), block: [], line: tokens[0]!.line };
    if (opens) directive.block = parseDirectives(lines, file, true);
    out.push(directive);
  }
  if (nested) throw parseError(file, 0, 'Unexpected EOF');
  return out;
}

function parseDuration(value: string, file: string, line: number): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value);
  if (!m) throw parseError(file, line, `time: invalid duration "${value}"`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}

const normalizeZone = (zone: string) =>
  zone
    .toLowerCase()
    .replace(/^dns:\/\//, '')
    .replace(/\.$/, '');

function serverKey(key: string): { zone: string; port: number } {
  const k = key.replace(/^dns:\/\//, '');
  const colon = k.lastIndexOf(':');
  const zone = colon >= 0 ? k.slice(0, colon) : k;
  const port = colon >= 0 ? Number(k.slice(colon + 1)) : 53;
  return { zone: normalizeZone(zone === '.' ? '' : zone), port };
}

function zonesOrBlock(args: string[], block: string[]): string[] {
  return args.length ? args.map(normalizeZone) : block;
}

function kubernetes(d: Directive, blockZones: string[], file: string): KubernetesPluginConfig {
  const config: KubernetesPluginConfig = {
    zones: zonesOrBlock(d.args, blockZones),
    fallthrough: [],
    ttl: 5,
    pods: 'disabled',
  };
  for (const option of d.block) {
    if (option.name === 'pods') {
      const mode = option.args[0];
      if (mode !== 'disabled' && mode !== 'insecure' && mode !== 'verified') {
        throw parseError(
          file,
          option.line,
          `wrong value for pods: ${mode}, must be one of: disabled, verified, insecure`,
        );
      }
      config.pods = mode;
    } else if (option.name === 'fallthrough')
      config.fallthrough = option.args.length ? option.args.map(normalizeZone) : [...config.zones];
    else if (option.name === 'ttl') {
      const ttl = Number(option.args[0]);
      if (!Number.isInteger(ttl) || ttl < 0 || ttl > 3600)
        throw parseError(file, option.line, `ttl must be in range [0, 3600]: ${ttl}`);
      config.ttl = ttl;
    } else throw parseError(file, option.line, `unknown property '${option.name}'`);
  }
  return config;
}

function hosts(d: Directive, file: string): HostsConfig {
  if (d.args.length > 0 && !/^\d/.test(d.args[0]!) && d.args[0] !== '/etc/hosts') {
    throw parseError(
      file,
      d.line,
      `hosts: reading a hosts file (${d.args[0]}) is not supported by this server; list the entries inline`,
    );
  }
  const config: HostsConfig = { entries: new Map(), ttl: 3600 };
  for (const line of d.block) {
    if (line.name === 'fallthrough') config.fallthrough = line.args.map(normalizeZone);
    else if (line.name === 'ttl') config.ttl = Number(line.args[0]);
    else if (/^[\d.:a-fA-F]+$/.test(line.name) && line.args.length) {
      for (const name of line.args) {
        const key = normalizeZone(name);
        config.entries.set(key, [...(config.entries.get(key) ?? []), line.name]);
      }
    } else if (line.name === 'reload' || line.name === 'no_reverse') continue;
    else throw parseError(file, line.line, `unknown property '${line.name}'`);
  }
  return config;
}

const listenAddress = (value: string | undefined, fallback: string) => {
  const address = value ?? fallback;
  return address.startsWith(':') ? `0.0.0.0${address}` : address;
};

function serverBlock(keys: string[], directives: Directive[], file: string): ServerBlock {
  const parsed = keys.map(serverKey);
  const block: ServerBlock = {
    zones: parsed.map((p) => p.zone),
    port: parsed[0]!.port,
    errors: false,
    log: false,
    loadbalance: false,
    loop: false,
  };
  for (const d of directives) {
    switch (d.name) {
      case 'errors':
        block.errors = true;
        break;
      case 'log':
        block.log = true;
        break;
      case 'health': {
        const lameduck = d.block.find((o) => o.name === 'lameduck');
        block.health = {
          address: listenAddress(d.args[0], ':8080'),
          lameduckMs: lameduck ? parseDuration(lameduck.args[0] ?? '', file, lameduck.line) : 0,
        };
        break;
      }
      case 'ready':
        block.ready = { address: listenAddress(d.args[0], ':8181') };
        break;
      case 'prometheus':
        block.prometheus = { address: listenAddress(d.args[0], 'localhost:9153') };
        break;
      case 'cache':
        block.cache = { ttl: d.args[0] ? Number(d.args[0]) : 3600 };
        break;
      case 'loadbalance':
        block.loadbalance = true;
        break;
      case 'hosts':
        block.hosts = hosts(d, file);
        break;
      case 'kubernetes':
        block.kubernetes = kubernetes(d, block.zones, file);
        break;
      case 'forward': {
        if (d.args.length < 2) throw parseError(file, d.line, 'Wrong argument count or unexpected line ending after');
        block.forward = { from: normalizeZone(d.args[0] === '.' ? '' : d.args[0]!), to: d.args.slice(1) };
        break;
      }
      case 'loop':
        block.loop = true;
        break;
      case 'reload':
        block.reload = { intervalMs: d.args[0] ? parseDuration(d.args[0], file, d.line) : 30_000 };
        break;
      default:
        throw parseError(file, d.line, `Unknown directive '${d.name}'`);
    }
  }
  return block;
}

export function parseCorefile(text: string, file = 'Corefile'): ServerBlock[] {
  const lines = tokenize(text);
  const blocks: ServerBlock[] = [];
  while (lines.length) {
    const tokens = lines.shift()!;
    if (tokens.at(-1)!.text !== '{')
      throw parseError(file, tokens[0]!.line, `Unexpected token '${tokens.at(-1)!.text}', expecting '{'`);
    const keys = tokens.slice(0, -1).map((t) => t.text.replace(/,$/, ''));
    blocks.push(serverBlock(keys, parseDirectives(lines, file, true), file));
  }
  return blocks;
}
