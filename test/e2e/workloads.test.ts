// Issue 6's walkthroughs on `skiff up --runtime simulated` with the real kubectl: a Deployment's rollout, image
// change (pod counts recorded), undo and scale to 0 and back; Jobs that complete, fail at their backoffLimit and
// expire; a DaemonSet on node-group nodes only; an HPA following reported CPU; deleting a namespace with all of it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { KubeObject } from '../../src/kube/api/types.js';
import { HttpKubeClient } from '../../src/kube/client/http.js';
import { running, type Walkthrough, walkthrough } from './harness/cluster.js';
import { type SkiffProcess, startSkiff } from './harness/skiff.js';

let cluster: SkiffProcess;
let w: Walkthrough;
before(async () => {
  cluster = await startSkiff(['--runtime', 'simulated']);
  w = await walkthrough(cluster);
  await w.nodegroup('workers', 3);
  await w.fargateProfile('fp', 'serverless');
});
after(async () => {
  await cluster?.stop();
});

async function ok(...args: string[]) {
  const out = await cluster.kubectl(args);
  assert.equal(out.code, 0, `kubectl ${args.join(' ')}: ${out.stderr}`);
  return out.stdout;
}

test('deployment: create, rollout status, set image within maxSurge/maxUnavailable, undo, scale to 0 and back', async () => {
  await ok('create', 'deployment', 'web', '--image=nginx', '--replicas=3');
  assert.match(await ok('rollout', 'status', 'deployment/web', '--timeout=60s'), /successfully rolled out/);

  const client = HttpKubeClient.fromKubeconfig(cluster.kubeconfig);
  const live = new Map<string, KubeObject>();
  let most = 0;
  let fewestReady = Number.POSITIVE_INFINITY;
  const watcher = await client.watch(
    { apiVersion: 'v1', kind: 'Pod', namespace: 'default' },
    { labelSelector: 'app=web' },
    (e) => {
      const pod = e.object as any;
      if (e.type === 'DELETED' || pod.metadata.deletionTimestamp) live.delete(pod.metadata.name);
      else live.set(pod.metadata.name, pod);
      const ready = [...live.values()].filter((p: any) =>
        p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'),
      ).length;
      most = Math.max(most, live.size);
      if (live.size >= 3) fewestReady = Math.min(fewestReady, ready);
    },
  );
  await ok('set', 'image', 'deployment/web', 'nginx=nginx:1.27');
  assert.match(await ok('rollout', 'status', 'deployment/web', '--timeout=60s'), /successfully rolled out/);
  watcher.close();
  assert.ok(most <= 4, `at most replicas + maxSurge (1) pods, saw ${most}`);
  assert.ok(fewestReady >= 3, `at least replicas - maxUnavailable (0) ready, saw ${fewestReady}`);
  const images = async () => running(await w.pods('default', 'app=web')).map((p) => p.spec.containers[0].image);
  assert.deepEqual(await images(), ['nginx:1.27', 'nginx:1.27', 'nginx:1.27']);

  await ok('rollout', 'undo', 'deployment/web');
  await ok('rollout', 'status', 'deployment/web', '--timeout=60s');
  await w.waitFor(async () => {
    const now = await images();
    return now.length === 3 && now.every((i) => i === 'nginx');
  }, 'the undo back to nginx');

  await ok('scale', 'deployment/web', '--replicas=0');
  await w.waitFor(async () => (await w.pods('default', 'app=web')).length === 0, 'no web pods');
  await ok('scale', 'deployment/web', '--replicas=2');
  await ok('rollout', 'status', 'deployment/web', '--timeout=60s');
  assert.equal(running(await w.pods('default', 'app=web')).length, 2);
});

const job = (name: string, spec: Record<string, unknown>, command: string[]) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace: 'default' },
  spec: {
    ...spec,
    template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command }] } },
  },
});

test('jobs: 5 completions 2 at a time, a failing job at its backoffLimit, ttlSecondsAfterFinished 0', async () => {
  const apply = (o: unknown) => cluster.kubectl(['apply', '-f', '-'], JSON.stringify(o));
  await apply(job('five', { completions: 5, parallelism: 2 }, ['sh', '-c', 'sleep 1; exit 0']));
  await ok('wait', '--for=condition=Complete', 'job/five', '--timeout=90s');
  const five = await w.kubectlJson('get', 'job', 'five');
  assert.equal(five.status.succeeded, 5);
  assert.equal((await w.pods('default', 'job-name=five')).length, 5, 'finished pods stay while the job exists');

  await apply(job('fails', { backoffLimit: 1 }, ['sh', '-c', 'exit 1']));
  await ok('wait', '--for=condition=Failed', 'job/fails', '--timeout=90s');
  const fails = await w.kubectlJson('get', 'job', 'fails');
  const failed = fails.status.conditions.find((c: any) => c.type === 'Failed');
  assert.equal(failed.reason, 'BackoffLimitExceeded');
  assert.equal(fails.status.failed, 2);

  await apply(job('gone', { ttlSecondsAfterFinished: 0 }, ['true']));
  await w.waitFor(async () => {
    const out = await cluster.kubectl(['get', 'job', 'gone']);
    return out.code !== 0 && /NotFound/.test(out.stderr);
  }, 'the ttl-expired job to go');
  await w.waitFor(async () => (await w.pods('default', 'job-name=gone')).length === 0, 'its pods to go');
});

test('daemonset: one pod on each node-group node, none on Fargate nodes', async () => {
  await ok('create', 'namespace', 'serverless');
  await ok('create', 'deployment', 'fn', '--image=nginx', '--replicas=2', '-n', 'serverless');
  await ok('rollout', 'status', 'deployment/fn', '-n', 'serverless', '--timeout=60s');
  const ds = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'kube-system' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: {
        metadata: { labels: { app: 'agent' } },
        spec: { containers: [{ name: 'a', image: 'busybox', command: ['sleep', '3600'] }] },
      },
    },
  };
  assert.equal((await cluster.kubectl(['apply', '-f', '-'], JSON.stringify(ds))).code, 0);
  assert.match(
    await ok('rollout', 'status', 'ds/agent', '-n', 'kube-system', '--timeout=60s'),
    /successfully rolled out/,
  );
  const pods = running(await w.pods('kube-system', 'app=agent'));
  const workers = (await w.nodes('eks.amazonaws.com/nodegroup=workers')).map((n) => n.metadata.name).sort();
  assert.deepEqual(pods.map((p) => p.spec.nodeName).sort(), workers);
  assert.equal((await w.nodes('eks.amazonaws.com/compute-type=fargate')).length, 2);
});

test('hpa: scales up when reported CPU rises and down when it falls', async () => {
  await ok('create', 'deployment', 'busy', '--image=nginx', '--replicas=1');
  await ok('set', 'resources', 'deployment/busy', '--requests=cpu=100m');
  await ok('rollout', 'status', 'deployment/busy', '--timeout=60s');
  const hpa = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'busy', namespace: 'default' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'busy' },
      minReplicas: 1,
      maxReplicas: 4,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 5 } },
    },
  };
  assert.equal((await cluster.kubectl(['apply', '-f', '-'], JSON.stringify(hpa))).code, 0);
  const reportCpu = (cpu: string) =>
    ok(
      'patch',
      'deployment/busy',
      '-p',
      JSON.stringify({ spec: { template: { metadata: { annotations: { 'skiff.io/simulated-cpu': cpu } } } } }),
    );
  await reportCpu('200m');
  await w.waitFor(
    async () => (await w.kubectlJson('get', 'deployment', 'busy')).spec.replicas === 4,
    'scale up to 4',
    120_000,
  );
  await reportCpu('10m');
  await w.waitFor(
    async () => (await w.kubectlJson('get', 'deployment', 'busy')).spec.replicas === 1,
    'scale down to 1',
    120_000,
  );
});

test('delete namespace with a deployment, a service and a job: it finishes and leaves nothing', async () => {
  await ok('create', 'namespace', 'doomed');
  await ok('create', 'deployment', 'd', '--image=nginx', '--replicas=2', '-n', 'doomed');
  await ok('expose', 'deployment', 'd', '--port=80', '-n', 'doomed');
  await ok('create', 'job', 'j', '--image=busybox', '-n', 'doomed', '--', 'true');
  await ok('rollout', 'status', 'deployment/d', '-n', 'doomed', '--timeout=60s');
  await ok('delete', 'namespace', 'doomed', '--timeout=90s');
  const gone = await cluster.kubectl(['get', 'all', '-n', 'doomed', '-o', 'name']);
  assert.equal(gone.stdout.trim(), '');
  assert.match((await cluster.kubectl(['get', 'ns', 'doomed'])).stderr, /NotFound/);
});
