// Starts the EKS API in-process for tests on a memory store, and signs requests to it as an SDK would (the query
// signed as parameters), with the path put on the request line exactly as written (no client-side normalising),
// so hostile paths reach the server.
import { request } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { openStore } from '../../store/index.js';
import type { Backend } from '../../store/types.js';
import { generateAwsCredentials } from '../credentials.js';
import { startEksApi } from '../server.js';

export interface EksReply {
  status: number;
  errorType?: string;
  body: any;
}

export interface TestEksApi {
  region: string;
  /** The store behind it (what src/cli's cluster runner writes to, in tests done by hand). */
  store: Backend;
  call(method: string, path: string, body?: string): Promise<EksReply>;
  close(): Promise<void>;
}

export async function startTestEksApi(region = 'ap-northeast-2'): Promise<TestEksApi> {
  const creds = generateAwsCredentials();
  const store = await openStore({ kind: 'memory' });
  const api = await startEksApi({
    store,
    host: '127.0.0.1',
    port: 0,
    region,
    clusterName: 'skiff',
    kubernetesVersion: '1.32',
    kubeEndpoint: 'https://127.0.0.1:6443',
    caCertPem: '-----BEGIN CERTIFICATE-----\nMIIBskiffTestCA\n-----END CERTIFICATE-----\n',
    credentials: creds,
    profileTransitionDelayMs: 50,
  });
  const { hostname, port } = new URL(api.url);
  const signer = new SignatureV4({ credentials: creds, region, service: 'eks', sha256: Sha256 });

  async function call(method: string, path: string, body?: string): Promise<EksReply> {
    const [pathOnly, queryText] = path.split('?', 2);
    const query: Record<string, string> = {};
    for (const [key, value] of new URLSearchParams(queryText ?? '')) query[key] = value;
    const signed = await signer.sign(
      new HttpRequest({
        method,
        protocol: 'http:',
        hostname,
        port: Number(port),
        path: pathOnly,
        query,
        headers: { host: `${hostname}:${port}`, 'content-type': 'application/json' },
        body,
      }),
    );
    const headers = { ...signed.headers, ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}) };
    return new Promise((resolve, reject) => {
      const req = request({ host: hostname, port, path, method, headers }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => {
          const errorType = res.headers['x-amzn-errortype'] as string | undefined;
          let parsed: any = text || undefined;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {}
          resolve({ status: res.statusCode!, errorType, body: parsed });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  return {
    region,
    store,
    call,
    async close() {
      await api.close();
      await store.close();
    },
  };
}
