// The EKS-compatible API server (node:http): answers what AWS serves unsigned (cluster issuers' OIDC discovery, STS
// AssumeRoleWithWebIdentity: identity/unsigned.ts), verifies every other request's SigV4 signature, answers STS
// GetCallerIdentity/AssumeRole, the minimal IAM (iam/api.ts) and EC2's VPC reads (src/eks/ec2/), routes EKS REST-JSON
// operations to their handlers,
// and serialises every write.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { releaseWhenDurable } from '../store/durable-response.js';
import type { Backend } from '../store/types.js';
import { ensureCreatorEntry } from './access/system-entries.js';
import { type SignatureFault, verifySigV4 } from './auth/sigv4.js';
import { encryptionWork, type SecretsEncryption } from './clusters/encryption.js';
import { ensureCluster } from './clusters/ensure.js';
import { StoreClusterUpdates } from './clusters/updates-store.js';
import type { EksContext } from './context.js';
import type { AwsCredentials } from './credentials.js';
import { answerEc2 } from './ec2/describe.js';
import { EksError } from './errors.js';
import { answerIam } from './iam/api.js';
import { rootIdentity } from './iam/identity.js';
import { IamSessions } from './iam/sessions.js';
import { answerUnsigned } from './identity/unsigned.js';
import { eksRoutes } from './routes.js';
import { answerAssumeRole, getCallerIdentityXml, isStsRequest, stsAction, stsErrorXml, stsParams } from './sts.js';
import { Transitions } from './transitions.js';

export interface EksApiOptions {
  store: Backend;
  host: string;
  /** 0 picks a free port. */
  port: number;
  region: string;
  clusterName: string;
  /** e.g. "1.32" */
  kubernetesVersion: string;
  /** e.g. https://127.0.0.1:6443 */
  kubeEndpoint: string;
  /** The cluster CA (PEM); served base64-encoded as certificateAuthority.data. */
  caCertPem: string;
  credentials: AwsCredentials;
  /** Role sessions STS AssumeRole issues here (the kube API's IAM authenticator reads the same). */
  sessions?: IamSessions;
  /** CREATING→ACTIVE and DELETING→gone, default 2000. */
  profileTransitionDelayMs?: number;
  /** Default 172.20.0.0/16 (what EKS picks for a VPC inside 10.0.0.0/8). */
  serviceIpv4Cidr?: string;
  /** Secrets encryption at rest for AssociateEncryptionConfig; without it that operation is refused. */
  secretsEncryption?: SecretsEncryption;
}

export interface EksApi {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
const STS_CODES: Record<SignatureFault['type'], string> = {
  MissingAuthenticationTokenException: 'MissingAuthenticationToken',
  IncompleteSignatureException: 'IncompleteSignature',
  UnrecognizedClientException: 'InvalidClientTokenId',
  InvalidSignatureException: 'SignatureDoesNotMatch',
};

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) reject(new EksError('BadRequestException', 'Request body too large.'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...extra,
  });
  res.end(text);
}

function sendError(res: ServerResponse, error: EksError) {
  sendJson(res, error.status, error.body(), { 'x-amzn-errortype': error.type });
}

function sendXml(res: ServerResponse, status: number, xml: string) {
  res.writeHead(status, {
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(xml),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(xml);
}

export async function startEksApi(opts: EksApiOptions): Promise<EksApi> {
  const now = () => Date.now();
  const transitions = new Transitions(opts.store, now);
  const transitionDelayMs = opts.profileTransitionDelayMs ?? 2000;
  const clusterUpdates = new StoreClusterUpdates(opts.store, now, transitionDelayMs, {
    AssociateEncryptionConfig: encryptionWork(opts.secretsEncryption),
  });
  const ctx: EksContext = {
    store: opts.store,
    region: opts.region,
    credentials: opts.credentials,
    transitionDelayMs,
    transitions,
    now,
    clusterUpdates,
    secretsEncryption: opts.secretsEncryption,
  };
  await ensureCluster(
    opts.store,
    {
      region: opts.region,
      accountId: opts.credentials.accountId,
      clusterName: opts.clusterName,
      kubernetesVersion: opts.kubernetesVersion,
      kubeEndpoint: opts.kubeEndpoint,
      caCertPem: opts.caCertPem,
      serviceIpv4Cidr: opts.serviceIpv4Cidr ?? '172.20.0.0/16',
    },
    now(),
  );
  await ensureCreatorEntry(ctx, opts.clusterName);
  await transitions.resume();
  await clusterUpdates.resume();
  const router = eksRoutes();
  const sessions = opts.sessions ?? new IamSessions(opts.credentials);
  let writes: Promise<unknown> = Promise.resolve();
  const serialised = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = writes.then(fn, fn);
    writes = run.catch(() => undefined);
    return run;
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const method = req.method ?? 'GET';
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const rawQuery = q < 0 ? '' : rawUrl.slice(q + 1);
    const body = await readBody(req);
    const unsigned = await answerUnsigned(
      { store: opts.store, sessions, accountId: opts.credentials.accountId, now },
      { method, rawPath, rawQuery, body },
    );
    if (unsigned) {
      res.writeHead(unsigned.status, { 'content-type': unsigned.contentType, 'x-amzn-requestid': randomUUID() });
      res.end(unsigned.body);
      return;
    }
    const verified = await verifySigV4(
      { method, rawPath, rawQuery, headers: req.headers, body },
      {
        lookup: (id) => (id === opts.credentials.accessKeyId ? opts.credentials : sessions.lookup(id)),
        region: opts.region,
        services: ['eks', 'sts', 'ec2', 'iam'],
      },
    );
    const service = 'type' in verified ? '' : verified.service;
    const sts = isStsRequest(method, rawPath, rawQuery, body, service);
    if ('type' in verified) {
      if (sts) sendXml(res, 403, stsErrorXml(STS_CODES[verified.type], verified.message));
      else sendError(res, new EksError(verified.type, verified.message));
      return;
    }
    if (service === 'ec2') {
      const ec2 = { store: opts.store, region: opts.region, accountId: opts.credentials.accountId };
      const answer = await answerEc2(ec2, stsParams(method, rawQuery, body));
      sendXml(res, answer.status, answer.xml);
      return;
    }
    if (sts && service === 'iam') {
      const iam = await serialised(() =>
        answerIam(opts.store, opts.credentials.accountId, stsParams(method, rawQuery, body), now()),
      );
      sendXml(res, iam.status, iam.xml);
      return;
    }
    if (sts) {
      const action = stsAction(method, rawQuery, body);
      const caller = sessions.lookup(verified.credentials.accessKeyId)?.identity ?? rootIdentity(opts.credentials);
      if (action === 'GetCallerIdentity') sendXml(res, 200, getCallerIdentityXml(caller));
      else if (action === 'AssumeRole') answerAssumeRole(res, sessions, stsParams(method, rawQuery, body));
      else sendXml(res, 400, stsErrorXml('InvalidAction', `Could not find operation ${action} for version 2011-06-15`));
      return;
    }
    const match = router.match(method, rawPath);
    if (!match) throw new EksError('UnknownOperationException', `No operation matches ${method} ${rawPath}.`);
    let parsed: unknown = {};
    if (body.length > 0) {
      try {
        parsed = JSON.parse(body.toString('utf8')) ?? {};
      } catch {
        throw new EksError('SerializationException', 'The request body is not valid JSON.');
      }
    }
    if (typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new EksError('SerializationException', 'The request body must be a JSON object.');
    }
    const input = {
      params: match.params,
      query: new URLSearchParams(rawQuery),
      body: parsed as Record<string, unknown>,
    };
    const run = () => match.entry.handler(ctx, input);
    const result = method === 'GET' ? await run() : await serialised(run);
    sendJson(res, 200, result);
  }

  const server = createServer((req, res) => {
    releaseWhenDurable(res, opts.store);
    handle(req, res).catch((error) => {
      if (error instanceof EksError) return sendError(res, error);
      process.stderr.write(`eks api: ${error instanceof Error ? error.stack : String(error)}\n`);
      sendError(res, new EksError('ServerException', 'An internal error occurred.'));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${port}`,
    port,
    async close() {
      await transitions.close();
      await clusterUpdates.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
