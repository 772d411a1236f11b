// Regenerates testdata/: runs the real kubectl against a tiny recording HTTP server on 127.0.0.1 and saves each
// protobuf POST body (`<name>.pb`) beside kubectl's own `--dry-run=client -o json` rendering (`<name>.json`).
// Usage: node --import tsx src/kube/protobuf/testing/capture.ts
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const resources: Record<string, [string, string, boolean][]> = {
  v1: [
    ['namespaces', 'Namespace', false],
    ['configmaps', 'ConfigMap', true],
    ['secrets', 'Secret', true],
    ['services', 'Service', true],
    ['serviceaccounts', 'ServiceAccount', true],
    ['resourcequotas', 'ResourceQuota', true],
    ['pods', 'Pod', true],
  ],
  'apps/v1': [['deployments', 'Deployment', true]],
  'batch/v1': [
    ['jobs', 'Job', true],
    ['cronjobs', 'CronJob', true],
  ],
  'scheduling.k8s.io/v1': [['priorityclasses', 'PriorityClass', false]],
};

/** Each case: fixture name and the kubectl arguments that create it. */
export const captureCases: [string, string[]][] = [
  ['namespace', ['create', 'namespace', 'foo']],
  ['configmap', ['create', 'configmap', 'x', '--from-literal=a=b', '--from-literal=multi=line1\nline2']],
  ['secret', ['create', 'secret', 'generic', 's', '--from-literal=a=b', '--from-literal=utf=\u00ffé']],
  [
    'secret-docker',
    [
      'create',
      'secret',
      'docker-registry',
      'reg',
      '--docker-server=r.io',
      '--docker-username=u',
      '--docker-password=p',
    ],
  ],
  ['deployment', ['create', 'deployment', 'web', '--image=nginx', '--replicas=2', '--port=80']],
  ['service', ['create', 'service', 'clusterip', 'svc', '--tcp=80:8080']],
  ['service-nodeport', ['create', 'service', 'nodeport', 'np', '--tcp=443:8443', '--node-port=30443']],
  ['serviceaccount', ['create', 'serviceaccount', 'robot']],
  ['job', ['create', 'job', 'pi', '--image=perl', '--', 'perl', '-e', 'print 1']],
  ['cronjob', ['create', 'cronjob', 'nightly', '--image=busybox', '--schedule=0 1 * * *', '--', 'date']],
  [
    'priorityclass',
    ['create', 'priorityclass', 'high', '--value=1000', '--description=important', '--preemption-policy=Never'],
  ],
  ['quota', ['create', 'quota', 'q', '--hard=cpu=1,memory=1Gi,pods=10', '--scopes=BestEffort']],
];

function discovery(path: string): unknown {
  if (path === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
  if (path === '/apis') {
    const groups = Object.keys(resources)
      .filter((gv) => gv.includes('/'))
      .map((gv) => {
        const [group, version] = gv.split('/');
        const v = { groupVersion: gv, version };
        return { name: group, versions: [v], preferredVersion: v };
      });
    return { kind: 'APIGroupList', apiVersion: 'v1', groups };
  }
  const gv = path === '/api/v1' ? 'v1' : path.replace(/^\/apis\//, '');
  const list = resources[gv];
  if (!list) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: gv,
    resources: list.map(([name, kind, namespaced]) => ({
      name,
      singularName: kind.toLowerCase(),
      namespaced,
      kind,
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    })),
  };
}

async function main() {
  const outDir = new URL('../testdata/', import.meta.url).pathname;
  const bodies: { body: Buffer; contentType: string }[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0];
      const send = (code: number, body: unknown) => {
        res.writeHead(code, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (path === '/version') return send(200, { major: '1', minor: '32', gitVersion: 'v1.32.0' });
      if (req.method === 'POST') {
        bodies.push({ body: Buffer.concat(chunks), contentType: String(req.headers['content-type']) });
        const kind = Object.values(resources)
          .flat()
          .find(([name]) => path.endsWith(`/${name}`));
        const apiVersion = path.startsWith('/apis/') ? path.split('/').slice(2, 4).join('/') : 'v1';
        return send(201, { apiVersion, kind: kind?.[1] ?? 'Unknown', metadata: { name: 'captured' } });
      }
      const doc = discovery(path);
      if (doc) return send(200, doc);
      send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const dir = mkdtempSync(join(tmpdir(), 'skiff-capture-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}\ncontexts:\n- name: c\n  context: {cluster: c, user: u, namespace: default}\ncurrent-context: c\nusers:\n- name: u\n  user: {token: t}\n`,
  );
  // Asynchronous on purpose: the recording server shares this process's event loop.
  const kubectl = async (args: string[]) =>
    (await run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args])).stdout;
  try {
    for (const [name, args] of captureCases) {
      const json = await kubectl(withFlags(args, ['--dry-run=client', '-o', 'json']));
      const before = bodies.length;
      await kubectl(withFlags(args, ['--validate=false']));
      const got = bodies[before];
      if (!got) throw new Error(`kubectl ${args.join(' ')} sent no POST`);
      if (!got.contentType.startsWith('application/vnd.kubernetes.protobuf'))
        throw new Error(`${name}: ${got.contentType}`);
      writeFileSync(join(outDir, `${name}.pb`), got.body);
      writeFileSync(join(outDir, `${name}.json`), json);
      console.log(`${name}: ${got.body.length} bytes`);
    }
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Flags go before a `--` command. The capture server serves no OpenAPI, so the real run passes --validate=false
 * (it changes only the query string, not the body).
 */
function withFlags(args: string[], flags: string[]): string[] {
  const dash = args.indexOf('--');
  return dash < 0 ? [...args, ...flags] : [...args.slice(0, dash), ...flags, ...args.slice(dash)];
}

await main();
