// A second EKS cluster beside the built-in one, driven as a user would with the aws CLI, the AWS SDK and kubectl:
// the VPC read over EC2's API, CreateCluster → `aws eks wait cluster-active`, `aws eks update-kubeconfig` and
// kubectl through `aws eks get-token`, a Fargate pod in it, its state kept across `skiff down`/`up`, an upgrade
// (the server version moves; the running Fargate pod's node keeps its kubelet, a new one gets the new one),
// DeleteCluster refused while a Fargate profile is attached, then deleted with the SDK's `cluster_deleted` waiter.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  CreateFargateProfileCommand,
  DeleteFargateProfileCommand,
  EKSClient,
  waitUntilClusterDeleted,
  waitUntilFargateProfileActive,
  waitUntilFargateProfileDeleted,
} from '@aws-sdk/client-eks';
import { writeBusyboxImage } from '../../src/agent/engine/testing/busybox-image.js';
import { skiffEnv, type Walkthrough, walkthrough } from './harness/cluster.js';
import { run, type SkiffProcess, startSkiff } from './harness/skiff.js';

// Simulated by default (the flow is the EKS API's and the control plane's); SKIFF_E2E_RUNTIME=process runs the
// pods as runc containers in Skiff's containerd, shared with the built-in cluster.
const runtime = process.env.SKIFF_E2E_RUNTIME ?? 'simulated';
const image = 'import.skiff.local/e2e/busybox:clusters';
let skiff: SkiffProcess;
let w: Walkthrough;
let eks: EKSClient;
let env: Record<string, string>;
const waiter = () => ({ client: eks, maxWaitTime: 60, minDelay: 1, maxDelay: 2 });
const work = mkdtempSync(join(tmpdir(), 'skiff-clusters-e2e-'));
const kubeconfig = join(work, 'kubeconfig');

before(async () => {
  skiff = await startSkiff(['--runtime', runtime]);
  if (runtime !== 'simulated') {
    const layout = join(skiff.dataDir, 'busybox-layout');
    writeBusyboxImage(layout, image);
    await skiff.importImage(layout);
  }
  w = await walkthrough(skiff);
  env = await skiffEnv(skiff.dataDir);
  eks = new EKSClient({
    region: env.AWS_REGION,
    endpoint: env.AWS_ENDPOINT_URL_EKS,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
  });
});
after(async () => {
  await skiff?.stop();
  rmSync(work, { recursive: true, force: true });
});

async function aws(...args: string[]) {
  const out = await w.aws(...args);
  assert.equal(out.code, 0, `aws ${args.join(' ')}: ${out.stderr}`);
  return out.stdout.trim() ? JSON.parse(out.stdout) : {};
}

/** kubectl on the second cluster, through the kubeconfig `aws eks update-kubeconfig` wrote (exec: aws eks get-token). */
async function kubectl(...args: string[]) {
  return run('kubectl', ['--kubeconfig', kubeconfig, ...args], { env: { ...env, KUBECONFIG: kubeconfig } });
}

async function kubectlJson(...args: string[]) {
  const out = await kubectl(...args, '-o', 'json');
  assert.equal(out.code, 0, `kubectl ${args.join(' ')}: ${out.stderr}`);
  return JSON.parse(out.stdout);
}

async function poll<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function runningPod(name: string) {
  const created = await kubectl(
    'run',
    name,
    `--image=${image}`,
    ...(runtime === 'simulated' ? [] : ['--image-pull-policy=Never']),
    '--restart=Never',
    '--',
    'sleep',
    '3600',
  );
  assert.equal(created.code, 0, created.stderr);
  let last: any;
  return poll(async () => {
    last = await kubectlJson('get', 'pod', name);
    return last.status?.phase === 'Running' && last;
  }, `pod ${name} Running`).catch((error) => {
    throw new Error(`${error.message}: ${JSON.stringify(last?.status)}`);
  });
}

const serverMinor = async () => (await kubectlJson('version')).serverVersion.minor;

test('a second cluster: create, reach with kubectl, run a Fargate pod, survive a restart, upgrade, delete', async () => {
  // The VPC, read the way eksctl and Terraform read it.
  const { Subnets } = await aws(
    'ec2',
    'describe-subnets',
    '--filters',
    'Name=tag:kubernetes.io/role/internal-elb,Values=1',
  );
  const privateSubnets = Subnets.map((s: { SubnetId: string }) => s.SubnetId);
  assert.equal(privateSubnets.length, 2);

  const created = await aws(
    'eks',
    'create-cluster',
    '--name',
    'second',
    '--kubernetes-version',
    '1.31',
    '--role-arn',
    'arn:aws:iam::111122223333:role/eks-cluster',
    '--resources-vpc-config',
    JSON.stringify({ subnetIds: privateSubnets }),
  );
  assert.equal(created.cluster.status, 'CREATING');
  await aws('eks', 'wait', 'cluster-active', '--name', 'second');
  const described = (await aws('eks', 'describe-cluster', '--name', 'second')).cluster;
  assert.notEqual(described.endpoint, skiff.kubeEndpoint);
  assert.equal(described.kubernetesNetworkConfig.serviceIpv4Cidr, '172.20.0.0/16');

  const kc = await w.aws('eks', 'update-kubeconfig', '--name', 'second', '--kubeconfig', kubeconfig);
  assert.equal(kc.code, 0, kc.stderr);
  assert.equal(await serverMinor(), '31');
  const kubeSvc = await kubectlJson('get', 'service', 'kubernetes');
  assert.equal(kubeSvc.spec.clusterIP, '172.20.0.1');

  await eks.send(
    new CreateFargateProfileCommand({
      clusterName: 'second',
      fargateProfileName: 'default',
      podExecutionRoleArn: 'arn:aws:iam::111122223333:role/fargate-pod',
      selectors: [{ namespace: 'default' }],
    }),
  );
  await waitUntilFargateProfileActive(waiter(), { clusterName: 'second', fargateProfileName: 'default' });
  const first = await runningPod('first');
  assert.match(first.spec.nodeName, /^fargate-ip-/);
  const firstNode = await kubectlJson('get', 'node', first.spec.nodeName);
  assert.match(firstNode.status.nodeInfo.kubeletVersion, /^v1\.31\./);
  if (runtime !== 'simulated') {
    // The cluster's kube API reaches its own agent (its CA, its client certificate) for exec.
    const exec = await kubectl('exec', 'first', '--', 'echo', 'from the second cluster');
    assert.equal(exec.stdout.trim(), 'from the second cluster', exec.stderr);
  }
  // The built-in cluster's state is its own.
  const builtInPods = await w.kubectlJson('get', 'pods', '-n', 'default');
  assert.equal(builtInPods.items.length, 0);

  // `skiff down` and `up`: the cluster comes back on the same endpoint, with its objects.
  await skiff.kill('SIGTERM');
  await skiff.restart();
  w = await walkthrough(skiff);
  env = await skiffEnv(skiff.dataDir);
  eks = new EKSClient({
    region: env.AWS_REGION,
    endpoint: env.AWS_ENDPOINT_URL_EKS,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
  });
  const again = (await aws('eks', 'describe-cluster', '--name', 'second')).cluster;
  assert.equal(again.status, 'ACTIVE');
  assert.equal(again.endpoint, described.endpoint);
  await poll(
    async () => (await kubectlJson('get', 'pod', 'first')).status?.phase === 'Running',
    'pod first Running after the restart',
  );

  // Upgrade: one minor at a time, as an Update.
  const skipped = await w.aws('eks', 'update-cluster-version', '--name', 'second', '--kubernetes-version', '1.33');
  assert.match(skipped.stderr, /InvalidParameterException.*unsupported Kubernetes version/);
  const { update } = await aws('eks', 'update-cluster-version', '--name', 'second', '--kubernetes-version', '1.32');
  assert.equal(update.status, 'InProgress');
  await poll(
    async () =>
      (await aws('eks', 'describe-update', '--name', 'second', '--update-id', update.id)).update.status ===
      'Successful',
    'the version update to succeed',
  );
  assert.deepEqual((await aws('eks', 'list-updates', '--name', 'second')).updateIds, [update.id]);
  assert.equal(await serverMinor(), '32');
  assert.match((await kubectlJson('get', 'node', first.spec.nodeName)).status.nodeInfo.kubeletVersion, /^v1\.31\./);
  const second = await runningPod('second-pod');
  assert.match((await kubectlJson('get', 'node', second.spec.nodeName)).status.nodeInfo.kubeletVersion, /^v1\.32\./);

  // Delete: refused while the profile is attached, then DELETING → gone, with its pods, nodes and state.
  const refused = await w.aws('eks', 'delete-cluster', '--name', 'second');
  assert.match(refused.stderr, /ResourceInUseException.*Cluster has Fargate Profiles in ACTIVE\/CREATING state/);
  await eks.send(new DeleteFargateProfileCommand({ clusterName: 'second', fargateProfileName: 'default' }));
  await waitUntilFargateProfileDeleted(waiter(), { clusterName: 'second', fargateProfileName: 'default' });
  const deleting = await aws('eks', 'delete-cluster', '--name', 'second');
  assert.equal(deleting.cluster.status, 'DELETING');
  await waitUntilClusterDeleted(waiter(), { name: 'second' });
  assert.equal(existsSync(join(skiff.dataDir, 'clusters', 'second')), false);
  assert.deepEqual((await aws('eks', 'list-clusters')).clusters, ['skiff']);
  const builtIn = await w.aws('eks', 'delete-cluster', '--name', 'skiff');
  assert.match(builtIn.stderr, /InvalidRequestException/);
});
