// The kube API's HTTPS server: bearer-token authentication (401 for anything else but health and version),
// impersonation and authorization (src/kube/authz/: 403 in kube-apiserver's words), then discovery, OpenAPI, and resource requests. Every error is written as a Status.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { releaseWhenDurable } from '../../store/durable-response.js';
import { UpgradedSockets } from '../../streams/upgrade.js';
import { serverNotFound, unauthorized } from '../api/errors.js';
import type { Authenticator, UserInfo } from '../auth/types.js';
import { impersonate } from '../authz/impersonation.js';
import { authorizePath, authorizeResource, authorizeUpgrade } from '../authz/request.js';
import type { Pki } from '../pki/pki.js';
import type { ApiContext } from '../rest/context.js';
import { refuseWithStatus, servePodStream, streamSubresources } from '../rest/pod-streams.js';
import { serveIssuerDiscovery } from '../serviceaccount/discovery.js';
import {
  aggregatedContentType,
  aggregatedList,
  apiGroupList,
  apiGroupOf,
  apiResourceList,
  apiVersions,
  negotiateAggregated,
} from './discovery.js';
import { OpenApiServer } from './openapi.js';
import { parseResourcePath, rawPathOf } from './request-info.js';
import { serveResource } from './resources.js';
import { writeError, writeJson } from './respond.js';
import { serverVersion, serverVersionFor } from './version.js';

export interface KubeApiOptions {
  ctx: ApiContext;
  pki: Pki;
  host: string;
  port: number;
  /** Authenticators tried in order; the first that knows the token wins. */
  authenticators: Authenticator[];
  /** Watches without timeoutSeconds end after a random time between this and twice this (default 1800). */
  minRequestTimeoutSeconds?: number;
  /** The Kubernetes minor version /version reports (read per request: a cluster upgrade moves it); default 1.32. */
  minorVersion?: () => string;
}

export interface KubeApiServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

export function staticTokenAuthenticator(token: string, user: UserInfo): Authenticator {
  const expected = Buffer.from(token);
  return async (candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected) ? user : undefined;
  };
}

const publicPaths = new Set(['/healthz', '/livez', '/readyz', '/version']);

async function authenticate(req: IncomingMessage, authenticators: Authenticator[]): Promise<UserInfo | undefined> {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) return undefined;
  for (const authenticator of authenticators) {
    const found = await authenticator(match[1]);
    if (!found) continue;
    const { audiences: _matched, ...user } = found;
    return user;
  }
  return undefined;
}

function serveDiscovery(opts: KubeApiOptions, req: IncomingMessage, res: ServerResponse, path: string): boolean {
  const { registry } = opts.ctx;
  const parts = path.split('/').filter(Boolean);
  if (path === '/api' || path === '/apis') {
    const version = negotiateAggregated(req.headers.accept);
    if (version)
      writeJson(res, 200, aggregatedList(registry, path === '/api', version), aggregatedContentType(version));
    else if (path === '/api') writeJson(res, 200, apiVersions(`${opts.host}:${opts.port}`));
    else writeJson(res, 200, apiGroupList(registry));
    return true;
  }
  if (parts[0] === 'apis' && parts.length === 2) {
    const group = apiGroupOf(registry, parts[1]);
    if (!group) throw serverNotFound();
    writeJson(res, 200, group);
    return true;
  }
  const isGroupVersion = (parts[0] === 'api' && parts.length === 2) || (parts[0] === 'apis' && parts.length === 3);
  if (isGroupVersion) {
    const list =
      parts[0] === 'api' ? apiResourceList(registry, '', parts[1]) : apiResourceList(registry, parts[1], parts[2]);
    if (!list) throw serverNotFound();
    writeJson(res, 200, list);
    return true;
  }
  return false;
}

/** Runs an authorization step; a refusal drains the request body first (the answer is written at once). */
function withAuthorization<T>(req: IncomingMessage, step: () => T): T {
  try {
    return step();
  } catch (error) {
    req.resume();
    throw error;
  }
}

async function handle(opts: KubeApiOptions, openapi: OpenApiServer, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'https://localhost');
  const path = rawPathOf(req.url ?? '/');
  if (['/healthz', '/livez', '/readyz'].includes(path)) {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('ok');
    return;
  }
  if (path === '/version')
    return writeJson(res, 200, opts.minorVersion ? serverVersionFor(opts.minorVersion()) : serverVersion);
  const authenticated = publicPaths.has(path) ? undefined : await authenticate(req, opts.authenticators);
  if (!authenticated) {
    req.resume();
    throw unauthorized();
  }
  const { authorizer } = opts.ctx;
  const user = withAuthorization(req, () => impersonate(authorizer, req, authenticated));
  const method = req.method ?? 'GET';
  const resourcePath = parseResourcePath(path);
  if (resourcePath)
    withAuthorization(req, () => authorizeResource(authorizer, user, method, resourcePath, url.searchParams));
  else withAuthorization(req, () => authorizePath(authorizer, user, method, path));
  if (path === '/metrics' && opts.ctx.metrics) {
    const text = await opts.ctx.metrics.metrics();
    res.writeHead(200, { 'Content-Type': opts.ctx.metrics.contentType });
    return void res.end(text);
  }
  if (path === '/openapi/v2') return openapi.serveV2(req, res);
  if (path === '/openapi/v3' || path.startsWith('/openapi/v3/'))
    return openapi.serve(res, path.slice('/openapi/v3'.length));
  if (serveDiscovery(opts, req, res, path)) return;
  if (serveIssuerDiscovery(opts.ctx, req, res, path)) return;
  const info =
    resourcePath && opts.ctx.registry.lookup(resourcePath.group, resourcePath.version, resourcePath.resource);
  if (!resourcePath || !info) {
    req.resume();
    throw serverNotFound();
  }
  const timeout = opts.minRequestTimeoutSeconds ?? 1800;
  await serveResource(opts.ctx, req, res, url, resourcePath, info, user, timeout, opts.authenticators);
}

/** Upgrade requests (SPDY, WebSocket): pods/exec, pods/attach and pods/portforward. */
async function handleUpgrade(opts: KubeApiOptions, req: IncomingMessage, socket: Duplex, head: Buffer) {
  const url = new URL(req.url ?? '/', 'https://localhost');
  const authenticated = await authenticate(req, opts.authenticators);
  if (!authenticated) throw unauthorized();
  const user = impersonate(opts.ctx.authorizer, req, authenticated);
  const path = parseResourcePath(rawPathOf(req.url ?? '/'));
  if (path) authorizeUpgrade(opts.ctx.authorizer, user, req.method ?? 'GET', path);
  const isPod = path && path.group === '' && path.resource === 'pods' && path.namespace && path.name;
  if (!isPod || !streamSubresources.has(path.subresource ?? '')) throw serverNotFound();
  await servePodStream(opts.ctx, req, socket, head, url, path.namespace!, path.name!, path.subresource!);
}

export async function startKubeApi(opts: KubeApiOptions): Promise<KubeApiServer> {
  const openapi = new OpenApiServer(opts.ctx.registry);
  const server = createServer({ cert: opts.pki.serverCert, key: opts.pki.serverKey }, (req, res) => {
    releaseWhenDurable(res, opts.ctx.store);
    handle(opts, openapi, req, res).catch((error) => writeError(res, error));
  });
  const upgraded = new UpgradedSockets();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    upgraded.add(socket);
    handleUpgrade(opts, req, socket, head).catch((error) => refuseWithStatus(socket, error));
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `https://${host}:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        upgraded.destroyAll();
      }),
  };
}
