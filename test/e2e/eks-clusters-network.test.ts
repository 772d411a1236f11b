// A second EKS cluster's Services and DNS on `skiff up --runtime process`: created with the aws CLI, its coredns moved
// to Fargate the way EKS' docs say (a kube-system profile, the compute-type annotation removed), then a pod of it
// finds a Service of it by name through its own coredns (172.20.0.10) and reaches it through its ClusterIP in
// 172.20.0.0/16, and `kubernetes.default` is its own kube API, served inside the VPC — while the built-in cluster
// keeps its own Services.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeBusyboxImage } from '../../src/agent/engine/testing/busybox-image.js';
import { coreDnsToFargate, skiffEnv, type Walkthrough, walkthrough } from './harness/cluster.js';
import { run, type SkiffProcess, startSkiff } from './harness/skiff.js';

const canRun =
  process.getuid?.() === 0 && existsSync('/usr/bin/containerd') && existsSync('/usr/sbin/iptables-restore');
const image = 'import.skiff.local/e2e/busybox:second';
let skiff: SkiffProcess;
let w: Walkthrough;
let env: Record<string, string>;
const work = mkdtempSync(join(tmpdir(), 'skiff-clusters-net-e2e-'));
const kubeconfig = join(work, 'kubeconfig');

async function aws(...args: string[]) {
  const out = await w.aws(...args);
  assert.equal(out.code, 0, `aws ${args.join(' ')}: ${out.stderr}`);
  return out.stdout.trim() ? JSON.parse(out.stdout) : {};
}

/** kubectl on the second cluster, through the kubeconfig `aws eks update-kubeconfig` wrote. */
async function kubectl(...args: string[]) {
  const out = await run('kubectl', ['--kubeconfig', kubeconfig, ...args], { env: { ...env, KUBECONFIG: kubeconfig } });
  assert.equal(out.code, 0, `kubectl ${args.join(' ')}: ${out.stderr}`);
  return out.stdout;
}

async function poll<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const value = await check().catch((error) => {
      last = error;
      return undefined;
    });
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const pod = (name: string, command: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels },
  spec: {
    terminationGracePeriodSeconds: 0,
    containers: [{ name: 'main', image, imagePullPolicy: 'Never', command: ['sh', '-c', command] }],
  },
});

describe('a second cluster on the process runtime', { skip: !canRun && 'needs root, containerd and iptables' }, () => {
  before(
    async () => {
      skiff = await startSkiff(['--runtime', 'process']);
      const layout = join(skiff.dataDir, 'busybox-layout');
      writeBusyboxImage(layout, image);
      await skiff.importImage(layout);
      w = await walkthrough(skiff);
      env = await skiffEnv(skiff.dataDir);
      const { Subnets } = await aws('ec2', 'describe-subnets');
      await aws(
        'eks',
        'create-cluster',
        '--name',
        'second',
        '--role-arn',
        'arn:aws:iam::111122223333:role/eks-cluster',
        '--resources-vpc-config',
        JSON.stringify({ subnetIds: Subnets.map((s: { SubnetId: string }) => s.SubnetId).slice(0, 2) }),
      );
      await aws('eks', 'wait', 'cluster-active', '--name', 'second');
      const kc = await w.aws('eks', 'update-kubeconfig', '--name', 'second', '--kubeconfig', kubeconfig);
      assert.equal(kc.code, 0, kc.stderr);
      await aws(
        'eks',
        'create-fargate-profile',
        '--cluster-name',
        'second',
        '--fargate-profile-name',
        'everything',
        '--pod-execution-role-arn',
        'arn:aws:iam::111122223333:role/fargate-pod',
        '--selectors',
        JSON.stringify([{ namespace: 'default' }, { namespace: 'kube-system' }]),
      );
      await aws(
        'eks',
        'wait',
        'fargate-profile-active',
        '--cluster-name',
        'second',
        '--fargate-profile-name',
        'everything',
      );
      // EKS' "Update CoreDNS" step for Fargate: without the annotation coredns may go to the profile.
      await kubectl(...coreDnsToFargate);
      await kubectl('rollout', 'status', 'deployment/coredns', '-n', 'kube-system', '--timeout=240s');
      const objects = [
        pod('web', 'mkdir -p /www; echo hello-from-second > /www/index.html; httpd -f -p 8080 -h /www', { app: 'web' }),
        pod('client', 'sleep 100000'),
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'web', namespace: 'default' },
          spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
        },
      ];
      for (const object of objects) {
        const out = await run('kubectl', ['--kubeconfig', kubeconfig, 'apply', '-f', '-'], {
          env: { ...env, KUBECONFIG: kubeconfig },
          input: JSON.stringify(object),
        });
        assert.equal(out.code, 0, out.stderr);
      }
      await kubectl('wait', '--for=condition=Ready', 'pod/web', 'pod/client', '--timeout=180s');
    },
    { timeout: 600_000 },
  );
  after(async () => {
    await skiff?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('finds its Service by name through its own coredns and reaches it through its ClusterIP', async () => {
    const clusterIP = (await kubectl('get', 'service', 'web', '-o', 'jsonpath={.spec.clusterIP}')).trim();
    assert.match(clusterIP, /^172\.20\./);
    const resolv = await kubectl('exec', 'client', '--', 'cat', '/etc/resolv.conf');
    assert.match(resolv, /^nameserver 172\.20\.0\.10$/m);
    const lookup = await poll(async () => {
      const out = await kubectl('exec', 'client', '--', 'nslookup', 'web.default.svc.cluster.local');
      return out.includes(clusterIP) && out;
    }, 'web.default.svc.cluster.local to resolve');
    assert.match(lookup, new RegExp(`Address:\\s+${clusterIP.replaceAll('.', '\\.')}`));
    // busybox nc (this Debian busybox's static wget crashes in runc containers), as services.test.ts does.
    const page = await kubectl(
      'exec',
      'client',
      '--',
      'sh',
      '-c',
      `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 ${clusterIP} 80`,
    );
    assert.match(page, /\r\n\r\nhello-from-second\n$/);
  });

  it('reaches its own kube API as kubernetes.default: its coredns serves from it', async () => {
    // coredns answers only from what it lists and watches through the `kubernetes` Service, so an answer for a
    // Service created after it started shows the second cluster's API reached from its pods.
    const out = await kubectl('exec', 'client', '--', 'nslookup', 'kubernetes.default.svc.cluster.local');
    assert.match(out, /Address:\s+172\.20\.0\.1$/m);
    const endpoints = await kubectl(
      'get',
      'endpointslices',
      '-l',
      'kubernetes.io/service-name=kubernetes',
      '-o',
      'jsonpath={.items[0].endpoints[0].addresses[0]}',
    );
    assert.notEqual(endpoints.trim(), '127.0.0.1', 'its API is served inside the VPC, not only on loopback');
  });

  it("leaves the built-in cluster's Services its own", async () => {
    const builtIn = await w.kubectlJson('get', 'service', 'kubernetes', '-n', 'default');
    assert.match(builtIn.spec.clusterIP, /^10\.100\./);
    const theirs = await w.kubectlJson('get', 'services', '-n', 'default');
    assert.ok(!theirs.items.some((s: { metadata: { name: string } }) => s.metadata.name === 'web'));
  });
});
