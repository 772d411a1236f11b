// The seed walkthroughs on `skiff up --runtime simulated` with the real kubectl and the skiff CLI: seed 003's profile
// and nginx deployment scaled to 10 and 3, seed 004's 2048 game, pods Fargate does not run, and a pod no profile
// selects waiting for (then landing on) a node-group node.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixtures, internalIp, running, type Walkthrough, walkthrough } from './harness/cluster.js';
import { type SkiffProcess, startSkiff } from './harness/skiff.js';

let cluster: SkiffProcess;
let w: Walkthrough;
before(async () => {
  cluster = await startSkiff(['--name', 'wsi-eks-cluster', '--runtime', 'simulated']);
  w = await walkthrough(cluster);
});
after(async () => {
  await cluster?.stop();
});

const fargateNodes = () => w.nodes('eks.amazonaws.com/compute-type=fargate');

/** Waits until `count` pods of the selector run, each alone on its own Fargate node whose InternalIP is its IP. */
async function expectFargatePods(namespace: string, selector: string, count: number) {
  return w.waitFor(async () => {
    const pods = running(await w.pods(namespace, selector));
    if (pods.length !== count) return undefined;
    const nodes = new Map((await fargateNodes()).map((n) => [n.metadata.name, n]));
    const placed = pods.every((p) => {
      const node = nodes.get(p.spec.nodeName);
      return node && internalIp(node) === p.status.podIP && p.status.hostIP === p.status.podIP;
    });
    return placed && new Set(pods.map((p) => p.spec.nodeName)).size === count ? pods : undefined;
  }, `${count} running pods on their own Fargate nodes in ${namespace}`);
}

test('seed 003: the skills-fargates profile, nginx-to-scaleout scaled to 10 and back to 3', async () => {
  const created = await w.skiff('create', 'fargateprofile', '-f', fixtures('seed003-fargateprofile.yaml'));
  assert.equal(created.code, 0, created.stderr);
  const got = await w.skiff('get', 'fargateprofile', '--cluster', 'wsi-eks-cluster', '-o', 'json');
  assert.equal(JSON.parse(got.stdout)[0].status, 'ACTIVE');

  assert.equal((await cluster.kubectl(['create', 'namespace', 'wsi-skills-namespace'])).code, 0);
  const applied = await cluster.kubectl(['apply', '-f', fixtures('seed003-deployment.yaml')]);
  assert.equal(applied.code, 0, applied.stderr);
  const [pod] = await expectFargatePods('wsi-skills-namespace', 'app=nginx', 1);
  assert.equal(pod.spec.schedulerName, 'fargate-scheduler');
  assert.equal(pod.metadata.labels['eks.amazonaws.com/fargate-profile'], 'skills-fargates');
  assert.equal(pod.metadata.annotations.CapacityProvisioned, '0.5vCPU 1GB');
  assert.match(pod.spec.nodeName, /^fargate-ip-10-0-\d+-\d+\.ap-northeast-2\.compute\.internal$/);

  const described = await cluster.kubectl(['describe', 'pod', '-n', 'wsi-skills-namespace', pod.metadata.name]);
  assert.match(described.stdout, /Successfully assigned wsi-skills-namespace\/\S+ to fargate-ip-/);
  assert.match(described.stdout, /Started\s+\S+\s+kubelet\s+Started container nginx-to-scaleout/);

  const scaled = await cluster.kubectl([
    'scale',
    '--replicas=10',
    'deployment/nginx-to-scaleout',
    '-n',
    'wsi-skills-namespace',
  ]);
  assert.equal(scaled.code, 0, scaled.stderr);
  const ten = await expectFargatePods('wsi-skills-namespace', 'app=nginx', 10);
  for (const p of ten) assert.equal(p.metadata.annotations.CapacityProvisioned, '0.5vCPU 1GB');
  assert.equal((await fargateNodes()).length, 10);

  await cluster.kubectl(['scale', '--replicas=3', 'deployment/nginx-to-scaleout', '-n', 'wsi-skills-namespace']);
  await expectFargatePods('wsi-skills-namespace', 'app=nginx', 3);
  await w.waitFor(async () => (await fargateNodes()).length === 3, 'the 7 other Fargate nodes to go');
});

test('seed 004: the fargate-game-2048 profile by flags, five 2048 pods on five nodes, scaled to 3', async () => {
  const created = await w.skiff(
    'create',
    'fargateprofile',
    '--cluster',
    'wsi-eks-cluster',
    '--name',
    'fargate-game-2048',
    '--namespace',
    'fargate-game-2048',
  );
  assert.equal(created.code, 0, created.stderr);
  const applied = await cluster.kubectl(['apply', '-f', fixtures('seed004-2048.yaml')]);
  assert.equal(applied.code, 0, applied.stderr);
  const status = await cluster.kubectl([
    '-n',
    'fargate-game-2048',
    'rollout',
    'status',
    'deployment',
    'deployment-2048',
    '--timeout=60s',
  ]);
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /deployment "deployment-2048" successfully rolled out/);
  const pods = await expectFargatePods('fargate-game-2048', 'app.kubernetes.io/name=app-2048', 5);
  for (const p of pods) assert.equal(p.metadata.labels['eks.amazonaws.com/fargate-profile'], 'fargate-game-2048');
  assert.equal((await fargateNodes()).length, 3 + 5);

  const ingress = await cluster.kubectl(['get', 'ingress', '-n', 'fargate-game-2048']);
  assert.match(ingress.stdout, /^NAME\s+CLASS\s+HOSTS\s+ADDRESS\s+PORTS\s+AGE\ningress-2048\s+alb\s+\*\s+80\s+\d+s$/m);
  const wide = await cluster.kubectl(['get', 'nodes', '-o', 'wide']);
  assert.match(wide.stdout, /fargate-ip-\S+\s+Ready\s+<none>\s+\S+\s+v1\.32\.\d+-eks-\w+\s+10\.0\./);

  await cluster.kubectl(['-n', 'fargate-game-2048', 'scale', 'deployment', 'deployment-2048', '--replicas=3']);
  await expectFargatePods('fargate-game-2048', 'app.kubernetes.io/name=app-2048', 3);
  await w.waitFor(async () => (await fargateNodes()).length === 6, 'two 2048 nodes to go');
});

test('pods Fargate does not run stay Pending with the fargate-scheduler reason', async () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'host-things', namespace: 'wsi-skills-namespace', labels: { node: 'fargate' } },
    spec: {
      hostNetwork: true,
      containers: [
        {
          name: 'c',
          image: 'busybox',
          securityContext: { privileged: true },
          volumeMounts: [{ name: 'root', mountPath: '/host' }],
        },
      ],
      volumes: [{ name: 'root', hostPath: { path: '/' } }],
    },
  };
  const created = await cluster.kubectl(['apply', '-f', '-'], JSON.stringify(pod));
  assert.equal(created.code, 0, created.stderr);
  const event = await w.waitFor(
    async () => (await w.events('wsi-skills-namespace', 'host-things')).find((e) => e.reason === 'FailedScheduling'),
    'the FailedScheduling event',
  );
  assert.equal(event.type, 'Warning');
  assert.equal(event.source?.component ?? event.reportingComponent, 'fargate-scheduler');
  assert.match(event.message, /^Pod not supported on Fargate: /);
  assert.match(event.message, /fields not supported: HostNetwork/);
  assert.match(event.message, /invalid SecurityContext fields: Privileged/);
  assert.match(event.message, /volumes not supported: root is of an unsupported volume Type/);
  const [again] = await w
    .pods('wsi-skills-namespace', 'node=fargate')
    .then((ps) => ps.filter((p) => p.metadata.name === 'host-things'));
  assert.equal(again.status.phase, 'Pending');
  assert.equal(again.spec.nodeName, undefined);
});

test('a pod no profile selects waits for a node group, then runs on an ip-… node', async () => {
  const created = await cluster.kubectl(['run', 'plain', '--image=nginx', '-n', 'default']);
  assert.equal(created.code, 0, created.stderr);
  const event = await w.waitFor(
    async () => (await w.events('default', 'plain')).find((e) => e.reason === 'FailedScheduling'),
    'the default-scheduler FailedScheduling event',
  );
  assert.match(
    event.message,
    /^0\/6 nodes are available: 6 node\(s\) had untolerated taint \{eks\.amazonaws\.com\/compute-type: fargate\}/,
  );

  const ng = await w.skiff('create', 'nodegroup', '--cluster', 'wsi-eks-cluster', '--name', 'ng-1', '--nodes', '2');
  assert.equal(ng.code, 0, ng.stderr);
  const pod = await w.waitFor(async () => running(await w.pods('default', 'run=plain'))[0], 'the plain pod to run');
  assert.match(pod.spec.nodeName, /^ip-10-0-\d+-\d+\.ap-northeast-2\.compute\.internal$/);
  assert.notEqual(pod.status.podIP, pod.status.hostIP);
  const nodes = await w.nodes('eks.amazonaws.com/nodegroup=ng-1');
  assert.equal(nodes.length, 2);
});
