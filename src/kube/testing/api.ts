// Starts the kube API in-process for tests and benchmarks: a store (memory unless given), the PKI in a temp dir,
// HTTPS on 127.0.0.1 with one static token. `close` stops the server, closes the store and removes the dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../store/index.js';
import type { Backend } from '../../store/types.js';
import {
  type ApiContext,
  createApiContext,
  type KubeApiServer,
  serviceAccountTokenAuthenticator,
  startKubeApi,
  staticTokenAuthenticator,
  TokenSigner,
} from '../index.js';
import { type AgentTls, ensureAgentClientCert, issueAgentServingCert } from '../pki/agent-certs.js';
import { ensurePki } from '../pki/pki.js';
import type { WriteGuardOptions } from '../storage/write-guard.js';

export interface TestApi {
  dir: string;
  store: Backend;
  ctx: ApiContext;
  server: KubeApiServer;
  caCert: string;
  token: string;
  /** A serving certificate for an agent on `hostName`, from this API's CA (the API holds the client side). */
  agentTls(hostName: string): Promise<AgentTls>;
  close(): Promise<void>;
}

export async function startTestApi(
  options: {
    store?: 'memory' | 'sqlite';
    minRequestTimeoutSeconds?: number;
    /** ServiceAccount tokens: TokenRequest, their authenticator, the token volume admission, kube-root-ca.crt. */
    serviceAccounts?: boolean;
    /** The runaway guard's limits (default: the API's). */
    writeGuard?: WriteGuardOptions | false;
  } = {},
): Promise<TestApi> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-api-'));
  const store = await openStore({ kind: options.store ?? 'memory', path: dir });
  const pki = await ensurePki(join(dir, 'pki'), 'test');
  const signer = options.serviceAccounts ? TokenSigner.generate() : undefined;
  const ctx = await createApiContext(store, {
    ...(signer ? { serviceAccounts: { signer, caCert: pki.caCert } } : {}),
    writeGuard: options.writeGuard,
  });
  ctx.agentClient = await ensureAgentClientCert(join(dir, 'pki'));
  const token = 't0ken';
  const server = await startKubeApi({
    ctx,
    pki,
    host: '127.0.0.1',
    port: 0,
    authenticators: [
      staticTokenAuthenticator(token, { username: 'admin', groups: ['system:masters'] }),
      ...(signer ? [serviceAccountTokenAuthenticator(ctx)] : []),
    ],
    minRequestTimeoutSeconds: options.minRequestTimeoutSeconds,
  });
  return {
    dir,
    store,
    ctx,
    server,
    caCert: pki.caCert,
    token,
    agentTls: (hostName) => issueAgentServingCert(join(dir, 'pki'), hostName),
    async close() {
      await server.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
