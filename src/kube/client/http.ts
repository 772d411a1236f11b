// The HTTPS KubeClient: a kubeconfig's server, CA and token; ResourceRefs mapped to URL paths through discovery
// (APIResourceList per group-version, cached); watches read as one JSON event per line. Errors are ApiError.
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { Agent, request } from 'node:https';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { ApiError, statusFailure } from '../api/errors.js';
import type { DeleteOptions, KubeList, KubeObject, KubeWatchEvent, Status } from '../api/types.js';
import type { KubeClient, ListParams, PatchType, ResourceRef, Watcher, WatchParams, WriteParams } from './types.js';

/** A kubeconfig that cannot be used; the message says what to fix. */
export class KubeconfigError extends Error {}

export interface HttpKubeClientOptions {
  server: string;
  /** PEM of the CA that signed the server's certificate; the system CAs when absent. */
  ca?: string;
  token?: string;
  clientCert?: string;
  clientKey?: string;
  insecureSkipTlsVerify?: boolean;
  /** Namespace for created objects that name none (the context's, else "default"). */
  namespace?: string;
}

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

export const patchContentType: Record<PatchType, string> = {
  strategic: 'application/strategic-merge-patch+json',
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

const reasonsByCode: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  410: 'Expired',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

type Named = { name?: string; [key: string]: any };
const byName = (list: unknown, name: string): Named | undefined =>
  Array.isArray(list) ? (list as Named[]).find((e) => e?.name === name) : undefined;
const decode64 = (data: string | undefined) => (data ? Buffer.from(data, 'base64').toString('utf8') : undefined);

function readOr(path: string | undefined, base: string): string | undefined {
  return path ? readFileSync(resolve(base, path), 'utf8') : undefined;
}

/** The error a non-2xx answer becomes: the server's Status when it sent one, else one built from the code. */
function apiErrorOf(code: number, body: string): ApiError {
  try {
    const parsed = JSON.parse(body) as Status;
    if (parsed?.kind === 'Status') return new ApiError({ ...parsed, code: parsed.code || code });
  } catch {
    // not JSON: fall through
  }
  const reason = reasonsByCode[code] ?? 'Unknown';
  return new ApiError(statusFailure(code, reason, body.trim() || `the server responded with HTTP ${code}`));
}

function query(params: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') q.set(key, String(value));
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** One line of a watch stream; a line that is not JSON becomes an ERROR event, as client-go reports decode failures. */
function parseEvent<T>(line: string): KubeWatchEvent<T> {
  try {
    return JSON.parse(line) as KubeWatchEvent<T>;
  } catch {
    return {
      type: 'ERROR',
      object: statusFailure(500, 'InternalError', `unable to decode watch event: ${line.slice(0, 200)}`),
    };
  }
}

const writeQuery = (params: WriteParams = {}) => ({
  dryRun: params.dryRun ? 'All' : undefined,
  fieldManager: params.fieldManager,
  force: params.force ? 'true' : undefined,
});

export class HttpKubeClient implements KubeClient {
  private readonly agent: Agent;
  private readonly base: URL;
  private readonly discovery = new Map<string, Promise<ApiResource[]>>();

  constructor(private readonly options: HttpKubeClientOptions) {
    this.base = new URL(options.server);
    this.agent = new Agent({
      keepAlive: true,
      ca: options.ca,
      cert: options.clientCert,
      key: options.clientKey,
      rejectUnauthorized: !options.insecureSkipTlsVerify,
    });
  }

  /** Reads a kubeconfig: the named context (or current-context), its cluster's server and CA, its user's token. */
  static fromKubeconfig(path: string, context?: string): HttpKubeClient {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      throw new KubeconfigError(
        `no kubeconfig at ${path}: start Skiff with "skiff up", or name a kubeconfig that exists`,
      );
    }
    let config: Named;
    try {
      config = (parse(text) ?? {}) as Named;
    } catch (error) {
      throw new KubeconfigError(`kubeconfig ${path} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
    }
    const contextName = context ?? config['current-context'];
    if (!contextName) throw new KubeconfigError(`kubeconfig ${path} has no current-context: pass a context name`);
    const ctx = byName(config.contexts, contextName)?.context as Named | undefined;
    if (!ctx) throw new KubeconfigError(`context "${contextName}" not found in kubeconfig ${path}`);
    const cluster = byName(config.clusters, ctx.cluster)?.cluster as Named | undefined;
    if (!cluster?.server) {
      throw new KubeconfigError(
        `cluster "${ctx.cluster}" of context "${contextName}" has no server in kubeconfig ${path}`,
      );
    }
    const user = (byName(config.users, ctx.user)?.user ?? {}) as Named;
    const base = dirname(resolve(path));
    return new HttpKubeClient({
      server: cluster.server,
      ca: decode64(cluster['certificate-authority-data']) ?? readOr(cluster['certificate-authority'], base),
      insecureSkipTlsVerify: cluster['insecure-skip-tls-verify'] === true,
      token: user.token ?? readOr(user.tokenFile, base)?.trim(),
      clientCert: decode64(user['client-certificate-data']) ?? readOr(user['client-certificate'], base),
      clientKey: decode64(user['client-key-data']) ?? readOr(user['client-key'], base),
      namespace: ctx.namespace,
    });
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }

  private send(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<IncomingMessage> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string | number> = { Accept: 'application/json', 'User-Agent': 'skiff' };
    if (this.options.token) headers.Authorization = `Bearer ${this.options.token}`;
    if (payload) Object.assign(headers, { 'Content-Type': contentType, 'Content-Length': payload.length });
    const prefix = this.base.pathname.replace(/\/+$/, '');
    return new Promise((resolveResponse, reject) => {
      const req = request(
        { agent: this.agent, method, hostname: this.base.hostname, port: this.base.port, path: prefix + path, headers },
        resolveResponse,
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  private async call<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const res = await this.send(method, path, body, contentType);
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const code = res.statusCode ?? 0;
    if (code < 200 || code > 299) throw apiErrorOf(code, text);
    return JSON.parse(text) as T;
  }

  private resources(groupVersion: string): Promise<ApiResource[]> {
    let cached = this.discovery.get(groupVersion);
    if (!cached) {
      const path = groupVersion.includes('/') ? `/apis/${groupVersion}` : `/api/${groupVersion}`;
      cached = this.call<{ resources: ApiResource[] }>('GET', path).then((list) => list.resources ?? []);
      cached.catch(() => this.discovery.delete(groupVersion));
      this.discovery.set(groupVersion, cached);
    }
    return cached;
  }

  private async lookup(ref: { apiVersion: string; kind: string }): Promise<ApiResource | undefined> {
    const resources = await this.resources(ref.apiVersion).catch((error: unknown) => {
      if (error instanceof ApiError && error.code === 404) return [];
      throw error;
    });
    const main = resources.filter((r) => !r.name.includes('/'));
    return main.find((r) => r.kind === ref.kind) ?? main.find((r) => r.name === ref.kind);
  }

  /** The resource a ref names; discovery is asked again once when the cache knows no such kind (a new CRD). */
  private async resolve(ref: { apiVersion: string; kind: string }): Promise<ApiResource> {
    let found = await this.lookup(ref);
    if (!found) {
      this.discovery.delete(ref.apiVersion);
      found = await this.lookup(ref);
    }
    if (found) return found;
    throw new ApiError(
      statusFailure(404, 'NotFound', `no matches for kind "${ref.kind}" in version "${ref.apiVersion}"`, {
        kind: ref.kind,
      }),
    );
  }

  private async path(ref: ResourceRef, name?: string, subresource?: string): Promise<string> {
    const resource = await this.resolve(ref);
    const prefix = ref.apiVersion.includes('/') ? `/apis/${ref.apiVersion}` : `/api/${ref.apiVersion}`;
    const namespace = resource.namespaced && ref.namespace ? `/namespaces/${encodeURIComponent(ref.namespace)}` : '';
    const named = name === undefined ? '' : `/${encodeURIComponent(name)}`;
    return `${prefix}${namespace}/${resource.name}${named}${subresource ? `/${subresource}` : ''}`;
  }

  private refOf(object: KubeObject): ResourceRef {
    return { apiVersion: object.apiVersion, kind: object.kind, namespace: object.metadata?.namespace };
  }

  async get<T extends KubeObject = KubeObject>(ref: ResourceRef, name: string, subresource?: string): Promise<T> {
    return this.call<T>('GET', await this.path(ref, name, subresource));
  }

  async list<T extends KubeObject = KubeObject>(ref: ResourceRef, params: ListParams = {}): Promise<KubeList<T>> {
    return this.call<KubeList<T>>('GET', (await this.path(ref)) + query({ ...params }));
  }

  async create<T extends KubeObject = KubeObject>(object: T, params?: WriteParams): Promise<T> {
    const ref = this.refOf(object);
    const resource = await this.resolve(ref);
    if (resource.namespaced && !ref.namespace) ref.namespace = this.options.namespace ?? 'default';
    return this.call<T>('POST', (await this.path(ref)) + query(writeQuery(params)), object);
  }

  async createSubresource<T extends KubeObject = KubeObject>(
    parent: ResourceRef,
    name: string,
    subresource: string,
    body: KubeObject,
  ): Promise<T> {
    return this.call<T>('POST', await this.path(parent, name, subresource), body);
  }

  async update<T extends KubeObject = KubeObject>(object: T, params?: WriteParams): Promise<T> {
    const path = await this.path(this.refOf(object), object.metadata.name, params?.subresource);
    return this.call<T>('PUT', path + query(writeQuery(params)), object);
  }

  async patch<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    name: string,
    patch: unknown,
    type: PatchType,
    params?: WriteParams,
  ): Promise<T> {
    const q = writeQuery(params);
    if (type === 'apply') q.fieldManager ??= 'skiff';
    const path = (await this.path(ref, name, params?.subresource)) + query(q);
    return this.call<T>('PATCH', path, patch, patchContentType[type]);
  }

  async delete(ref: ResourceRef, name: string, options: DeleteOptions = {}): Promise<KubeObject> {
    const body = { kind: 'DeleteOptions', apiVersion: 'v1', ...options };
    return this.call<KubeObject>('DELETE', await this.path(ref, name), body);
  }

  async watch<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    params: WatchParams,
    onEvent: (event: KubeWatchEvent<T>) => void,
  ): Promise<Watcher> {
    const path = (await this.path(ref)) + query({ watch: 'true', ...params });
    const res = await this.send('GET', path);
    const code = res.statusCode ?? 0;
    if (code < 200 || code > 299) {
      const chunks: Buffer[] = [];
      for await (const chunk of res) chunks.push(chunk as Buffer);
      throw apiErrorOf(code, Buffer.concat(chunks).toString('utf8'));
    }
    let pending = '';
    const done = new Promise<void>((resolveDone) => {
      res.setEncoding('utf8');
      const deliver = (line: string) => {
        if (line.trim()) onEvent(parseEvent<T>(line));
      };
      res.on('data', (chunk: string) => {
        pending += chunk;
        for (let newline = pending.indexOf('\n'); newline >= 0; newline = pending.indexOf('\n')) {
          deliver(pending.slice(0, newline));
          pending = pending.slice(newline + 1);
        }
      });
      res.on('end', () => deliver(pending));
      res.on('close', () => resolveDone());
      res.on('error', () => resolveDone());
    });
    return { close: () => res.destroy(), done };
  }
}
