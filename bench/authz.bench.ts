// The cost of authorization on a GET: p50/p99 of one pod's GET over HTTPS (keep-alive, sequential) with RBAC off
// (every authenticated caller allowed) and on (a non-admin user allowed through a RoleBinding to `view`, among
// 500 other bindings and the bootstrap policy), and the authorizer's own decision time in process.
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { resourceAttributes } from '../src/kube/authz/attributes.js';
import { createApiContext, inProcessClient, startKubeApi, staticTokenAuthenticator } from '../src/kube/index.js';
import { ensurePki } from '../src/kube/pki/pki.js';
import { openStore } from '../src/store/index.js';
import type { BenchResult } from './run.js';

const gets = 2000;
const otherBindings = 500;
const viewer = { username: 'bench-viewer', groups: ['system:authenticated'] };

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))];
const round = (x: number, digits = 3) => Number(x.toFixed(digits));

function get(url: URL, path: string, ca: string, token: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname: url.hostname, port: url.port, path, ca, agent, headers: { Authorization: `Bearer ${token}` } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function measure(authorization: boolean): Promise<{ p50: number; p99: number; decisionUs?: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-authz-'));
  const store = await openStore({ kind: 'memory', path: dir });
  const pki = await ensurePki(join(dir, 'pki'), 'bench');
  const ctx = await createApiContext(store, { authorization });
  const client = inProcessClient(ctx);
  await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bench', namespace: 'default' } });
  const binding = (name: string, user: string) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name, namespace: 'default' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects: [{ kind: 'User', name: user }],
  });
  for (let i = 0; i < otherBindings; i++) await client.create(binding(`other-${i}`, `user-${i}`));
  await client.create(binding('bench-viewer', viewer.username));
  const token = 'bench-token';
  const server = await startKubeApi({
    ctx,
    pki,
    host: '127.0.0.1',
    port: 0,
    authenticators: [staticTokenAuthenticator(token, viewer)],
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(server.url);
  const path = '/api/v1/namespaces/default/configmaps/bench';
  for (let tries = 0; (await get(url, path, pki.caCert, token, agent)) !== 200; tries++) {
    if (tries > 100) throw new Error('the bench user is never allowed');
    await new Promise((r) => setTimeout(r, 20));
  }
  const times: number[] = [];
  for (let i = 0; i < gets; i++) {
    const start = performance.now();
    await get(url, path, pki.caCert, token, agent);
    times.push(performance.now() - start);
  }
  let decisionUs: number | undefined;
  if (ctx.authorizer) {
    const attributes = resourceAttributes(viewer, 'get', {
      group: '',
      version: 'v1',
      resource: 'configmaps',
      namespace: 'default',
      name: 'bench',
    });
    const rounds = 20_000;
    const start = performance.now();
    for (let i = 0; i < rounds; i++) ctx.authorizer.authorize(attributes);
    decisionUs = ((performance.now() - start) * 1000) / rounds;
  }
  agent.destroy();
  await server.close();
  ctx.authorizer?.stop();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99), decisionUs };
}

export default async function (): Promise<BenchResult[]> {
  const off = await measure(false);
  const on = await measure(true);
  const note = `${gets} sequential HTTPS GETs of a ConfigMap, keep-alive`;
  return [
    { name: 'GET p50, RBAC off', value: round(off.p50), unit: 'ms', note },
    {
      name: 'GET p50, RBAC on',
      value: round(on.p50),
      unit: 'ms',
      note: `allowed by a RoleBinding among ${otherBindings + 1}`,
    },
    { name: 'GET p99, RBAC off', value: round(off.p99), unit: 'ms' },
    { name: 'GET p99, RBAC on', value: round(on.p99), unit: 'ms' },
    { name: 'RBAC decision', value: round(on.decisionUs ?? 0, 2), unit: 'µs', note: 'Authorizer.authorize in process' },
  ];
}
