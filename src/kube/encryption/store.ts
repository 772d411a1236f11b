// The store as the kube API sees it with encryption at rest: the values of the resources an EncryptionConfiguration
// covers are encrypted by its first provider on every write and decrypted by whichever provider's prefix they carry
// on every read, list and watch event; other keys pass through. The rules can be replaced while running (a cluster
// associated with `encryptionConfig`); `reencrypt` rewrites every value not written by the current first provider
// (kube's "rewrite all secrets" after a key rotation), so the old key can then be removed.
import type { Backend, KeyValue, WatchEvent } from '../../store/types.js';
import type { EncryptionRule } from './config.js';
import { covers } from './config.js';
import { identity } from './providers.js';

const encryptedPrefix = 'k8s:enc:';

export class EncryptedStore implements Backend {
  private rules: EncryptionRule[] = [];

  constructor(readonly raw: Backend) {}

  configure(rules: EncryptionRule[]): void {
    this.rules = rules;
  }

  /** The rule covering a `/registry/<group>/<resource>/…` key. */
  ruleFor(key: string): EncryptionRule | undefined {
    const match = /^\/registry\/([^/]+)\/([^/]+)\//.exec(key);
    if (!match) return undefined;
    const group = match[1] === 'core' ? '' : match[1];
    return this.rules.find((rule) => covers(rule.resources, group, match[2]!));
  }

  private seal(key: string, value: string): string {
    const writer = this.ruleFor(key)?.transformers[0];
    return writer ? writer.encrypt(value, key) : value;
  }

  private open(key: string, value: string): string {
    if (!value.startsWith(encryptedPrefix)) {
      const rule = this.ruleFor(key);
      if (!rule || rule.transformers.includes(identity)) return value;
      throw new Error(`no matching prefix found for ${key}: it is stored unencrypted and identity is not a provider`);
    }
    for (const rule of this.rules) {
      for (const t of rule.transformers) {
        if (t.prefix && value.startsWith(t.prefix)) return t.decrypt(value.slice(t.prefix.length), key);
      }
    }
    throw new Error(
      `no matching prefix found for ${key}: ${value.slice(0, value.indexOf(':', 16) + 1)} is no configured key`,
    );
  }

  private openKv = (kv: KeyValue): KeyValue => ({ ...kv, value: this.open(kv.key, kv.value) });

  /** Whether the stored value is as the current first provider would write it. */
  isCurrent(key: string, stored: string): boolean {
    const writer = this.ruleFor(key)?.transformers[0];
    if (!writer) return !stored.startsWith(encryptedPrefix);
    return writer === identity ? !stored.startsWith(encryptedPrefix) : stored.startsWith(writer.prefix);
  }

  currentRevision = () => this.raw.currentRevision();
  durable = () => this.raw.durable();
  compactedRevision = () => this.raw.compactedRevision();
  count: Backend['count'] = (prefix) => this.raw.count(prefix);
  compact: Backend['compact'] = (revision) => this.raw.compact(revision);
  close = () => this.raw.close();

  async get(key: string): Promise<KeyValue | undefined> {
    const kv = await this.raw.get(key);
    return kv && this.openKv(kv);
  }

  async list(...args: Parameters<Backend['list']>) {
    const result = await this.raw.list(...args);
    return { ...result, items: result.items.map(this.openKv) };
  }

  async create(key: string, value: string): Promise<KeyValue> {
    return { ...(await this.raw.create(key, this.seal(key, value))), value };
  }

  async update(key: string, value: string, expectedModRevision?: number): Promise<KeyValue> {
    return { ...(await this.raw.update(key, this.seal(key, value), expectedModRevision)), value };
  }

  async delete(key: string, expectedModRevision?: number): Promise<KeyValue> {
    return this.openKv(await this.raw.delete(key, expectedModRevision));
  }

  watch(...[prefix, options, onEvent]: Parameters<Backend['watch']>) {
    return this.raw.watch(prefix, options, (event: WatchEvent) => {
      let opened: WatchEvent;
      try {
        opened = {
          ...event,
          kv: this.openKv(event.kv),
          ...(event.prevKv ? { prevKv: this.openKv(event.prevKv) } : {}),
        };
      } catch {
        opened = event; // a value no configured key opens: its reader reports it, as a read would
      }
      onEvent(opened);
    });
  }

  /** The store prefixes the rules cover: one per named resource, the whole registry for a wildcard. */
  private coveredPrefixes(): string[] {
    const prefixes = new Set<string>();
    for (const rule of this.rules) {
      for (const name of rule.resources) {
        const [resource, ...group] = name.split('.');
        prefixes.add(resource === '*' ? '/registry/' : `/registry/${group.join('.') || 'core'}/${resource}/`);
      }
    }
    return prefixes.has('/registry/') ? ['/registry/'] : [...prefixes];
  }

  /**
   * Rewrites every covered value the current first provider did not write (stored in the clear, or under a key no
   * longer first); returns how many were rewritten. Only the covered resources are read.
   */
  async reencrypt(): Promise<number> {
    let rewritten = 0;
    for (const prefix of this.coveredPrefixes()) rewritten += await this.reencryptUnder(prefix);
    return rewritten;
  }

  private async reencryptUnder(prefix: string): Promise<number> {
    let rewritten = 0;
    let startAfter: string | undefined;
    for (;;) {
      const page = await this.raw.list(prefix, { limit: 500, startAfter });
      for (const kv of page.items) {
        if (!this.ruleFor(kv.key) && !kv.value.startsWith(encryptedPrefix)) continue;
        if (this.isCurrent(kv.key, kv.value)) continue;
        try {
          await this.raw.update(kv.key, this.seal(kv.key, this.open(kv.key, kv.value)), kv.modRevision);
          rewritten++;
        } catch {
          // changed meanwhile (written anew, hence by the current provider) or gone
        }
      }
      if (!page.more || page.items.length === 0) return rewritten;
      startAfter = page.items.at(-1)!.key;
    }
  }
}
