// `skiff check` on the seeds' manifests, offline (profiles from eksctl ClusterConfig files): seed 003's
// nginx-to-scaleout, seed 004's 2048 and hello-app (its $0.01234/hour at the us-east-1 rates it prints), seed 002's
// CoreDNS (opted out, then on a kube-system profile once the annotation is gone), warnings, and a hostNetwork pod
// refused with fargate-scheduler's message and exit code 1 from bin/skiff.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';
import YAML from 'yaml';
import { addonObjects } from '../../addons/manifests.js';
import { runCheck } from './check.js';

const fixtures = join(import.meta.dirname, '../../../test/e2e/fixtures');
const fixture = (name: string) => join(fixtures, name);
const bin = join(import.meta.dirname, '../../../bin/skiff');

const check = (filename: string[], opts: Record<string, string> = {}, stdin = '') =>
  runCheck({ filename, namespace: 'default', instanceType: 'm5.large', output: 'text', ...opts }, () => stdin);

it('seed 003: nginx-to-scaleout is captured by skills-fargates at 0.5vCPU 1GB', async () => {
  const { output, refused } = await check([fixture('seed003-deployment.yaml')], {
    configFile: fixture('seed003-fargateprofile.yaml'),
  });
  assert.equal(refused, 0);
  assert.match(output, /^wsi-skills-namespace\/Deployment\/nginx-to-scaleout \(1 replica\)/m);
  assert.match(output, /profile: {3}skills-fargates$/m);
  assert.match(output, /size: {6}0\.5vCPU 1GB$/m);
  assert.match(
    output,
    /requests 0\.5 vCPU, 512Mi memory \+ 256MB for kubelet, kube-proxy and containerd = 0\.5 vCPU, 768Mi/,
  );
  // ap-northeast-2: 0.5 × $0.04656 + 1 × $0.00511 = $0.02839/hour.
  assert.match(output, /cost: {6}\$0\.02839\/hour per pod .* × 1 = \$0\.02839\/hour, \$20\.72\/month/);
  assert.match(output, /on EC2: {4}m5\.large at \$0\.11800\/hour holds \d+ pod\(s\) by requests → 1 instance\(s\)/);
});

it("seed 004: hello-app reproduces the seed's $0.01234/hour; 2048's five replicas cost five times that", async () => {
  const { output } = await check([fixture('seed004-hello-app.yaml'), fixture('seed004-2048.yaml')], {
    configFile: fixture('seed004-clusterconfig.yaml'),
    region: 'us-east-1',
  });
  assert.match(output, /^fargate-app\/Deployment\/hello-app \(1 replica\)/m);
  assert.match(output, /requests 0 CPU, 0 memory \(none set\)/);
  assert.match(
    output,
    /\$0\.01234\/hour per pod \(vCPU \$0\.01012 \+ memory \$0\.00222\) × 1 = \$0\.01234\/hour, \$9\.01\/month/,
  );
  assert.match(output, /^fargate-game-2048\/Deployment\/deployment-2048 \(5 replicas\)/m);
  assert.match(output, /profile: {3}fargate-game-2048$/m);
  assert.match(output, /× 5 = \$0\.06171\/hour, \$45\.05\/month/);
  assert.match(output, /2 pod template\(s\): 2 on Fargate, 0 refused/);
});

it('seed 002: CoreDNS opts out with its compute-type annotation, and runs on a kube-system profile without it', async () => {
  const objects = addonObjects('coredns', { region: 'ap-northeast-2', clusterDns: '10.100.0.10', apiServer: 'x' });
  const stream = objects.map((o) => YAML.stringify(o)).join('---\n');
  const config = join(fixtures, 'seed003-fargateprofile.yaml');
  const opted = await check(['-'], { configFile: config }, stream);
  assert.match(opted.output, /profile: {3}none: the pod is annotated eks\.amazonaws\.com\/compute-type: ec2/);
  const deployment = objects.find((o) => o.kind === 'Deployment')!;
  delete deployment.spec.template.metadata.annotations['eks.amazonaws.com/compute-type'];
  const migrated = await runCheck(
    {
      filename: ['-'],
      namespace: 'default',
      instanceType: 't3.medium',
      output: 'json',
      configFile: fixture('seed002-clusterconfig.yaml'),
    },
    () => YAML.stringify(deployment),
  );
  const [verdict] = JSON.parse(migrated.output);
  assert.equal(verdict.profile, 'ops-kube-system');
  assert.equal(verdict.refused, undefined, 'NET_BIND_SERVICE is allowed');
  assert.equal(verdict.sizing.capacityProvisioned, '0.25vCPU 0.5GB');
  assert.equal(verdict.replicas, 2);
  assert.equal(verdict.kind, 'Deployment');
});

const hostNetworkPod = `
apiVersion: v1
kind: Pod
metadata: {name: sniffer, namespace: fargate-app}
spec:
  hostNetwork: true
  containers: [{name: c, image: busybox}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: report, namespace: fargate-app}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: c
          image: busybox
          resources: {requests: {cpu: 250m, memory: 256Mi}, limits: {cpu: "1", memory: 1Gi}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: fargate-app}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: c, image: busybox}]}
`;

it('warns of a Job without ttlSecondsAfterFinished, requests far below limits, and a DaemonSet', async () => {
  const { output, refused } = await check(['-'], { configFile: fixture('seed004-clusterconfig.yaml') }, hostNetworkPod);
  assert.equal(refused, 1);
  assert.match(output, /REFUSED: {3}Pod not supported on Fargate: fields not supported: HostNetwork$/m);
  assert.match(output, /Job without ttlSecondsAfterFinished: each finished pod keeps its Fargate node/);
  assert.match(output, /cpu request 250m is far below its limit 1/);
  assert.match(output, /limits \(1 vCPU, 1GB\) exceed the provisioned 0\.25vCPU 0\.5GB/);
  assert.match(
    output,
    /fargate-app\/DaemonSet\/agent \(one per node\)[\s\S]*profile: {3}none: DaemonSet pods are not run on Fargate/,
  );
  assert.match(output, /DaemonSet pods never run on Fargate/);
});

it('bin/skiff check exits 1 on a hostNetwork pod, reading stdin', () => {
  const run = spawnSync(
    bin,
    ['check', '-f', '-', '--config-file', fixture('seed004-clusterconfig.yaml'), '--region', 'us-east-1'],
    { input: hostNetworkPod, encoding: 'utf8', timeout: 60_000 },
  );
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stdout, /Pod not supported on Fargate: fields not supported: HostNetwork/);
  const ok = spawnSync(
    bin,
    [
      'check',
      '-f',
      fixture('seed004-hello-app.yaml'),
      '--config-file',
      fixture('seed004-clusterconfig.yaml'),
      '--region',
      'us-east-1',
    ],
    {
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /\$0\.01234\/hour/);
});
