// `kubectl logs` on `skiff up --runtime simulated`: a Job's echo output, nginx's banner through deploy/web, the Job
// example's π, --previous after a crash, -f that ends with the container, and kube-apiserver's error texts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Walkthrough, walkthrough } from './harness/cluster.js';
import { type SkiffProcess, startSkiff } from './harness/skiff.js';

let cluster: SkiffProcess;
let w: Walkthrough;
before(async () => {
  cluster = await startSkiff(['--runtime', 'simulated']);
  w = await walkthrough(cluster);
  const ng = await w.skiff('create', 'nodegroup', '--cluster', 'skiff', '--name', 'workers', '--nodes', '1');
  assert.equal(ng.code, 0, ng.stderr);
});
after(async () => {
  await cluster?.stop();
});

async function ok(...args: string[]) {
  const out = await cluster.kubectl(args);
  assert.equal(out.code, 0, `kubectl ${args.join(' ')}: ${out.stderr}`);
  return out.stdout;
}

const apply = async (object: unknown) => {
  const out = await cluster.kubectl(['apply', '-f', '-'], JSON.stringify(object));
  assert.equal(out.code, 0, out.stderr);
};

const job = (name: string, image: string, command: string[]) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace: 'default' },
  spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image, command }] } } },
});

const pod = (name: string, containers: unknown[], restartPolicy = 'Always') => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { restartPolicy, containers },
});

test('kubectl logs job/x prints what the job echoed; the Job example prints π to 2000 digits', async () => {
  await apply(
    job('hello', 'busybox', ['sh', '-c', 'echo "hello from $HOSTNAME"; for i in 1 2; do echo "step $i"; done']),
  );
  await apply(job('pi', 'perl:5.34.0', ['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)']));
  await ok('wait', '--for=condition=Complete', 'job/hello', 'job/pi', '--timeout=90s');
  const hello = await ok('logs', 'job/hello');
  assert.match(hello, /^hello from hello-[a-z0-9]{5}\nstep 1\nstep 2\n$/);
  const pi = (await ok('logs', 'job/pi')).trim();
  assert.equal(pi.length, 2001);
  assert.match(pi, /^3\.1415926535897932384626433832795028841971693993751058209749445923/);
  assert.equal((await ok('logs', 'job/hello', '--tail=1')).trim(), 'step 2');
  assert.match(
    await ok('logs', 'job/hello', '--timestamps', '--tail=1'),
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z step 2\n$/,
  );
});

test('kubectl logs deploy/web shows nginx starting', async () => {
  await ok('create', 'deployment', 'web', '--image=nginx:1.27.3');
  await ok('rollout', 'status', 'deployment/web', '--timeout=60s');
  const out = await ok('logs', 'deploy/web');
  assert.match(
    out,
    /^\/docker-entrypoint\.sh: \/docker-entrypoint\.d\/ is not empty, will attempt to perform configuration\n/,
  );
  assert.match(out, /\/docker-entrypoint\.sh: Configuration complete; ready for start up\n/);
  assert.match(out, /\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[notice\] 1#1: nginx\/1\.27\.3\n/);
  const previous = await cluster.kubectl(['logs', 'deploy/web', '--previous']);
  assert.notEqual(previous.code, 0);
  assert.match(
    previous.stderr,
    /Error from server \(BadRequest\): previous terminated container "nginx" in pod "web-[a-z0-9-]+" not found/,
  );
});

test('kubectl logs --previous after a crash; -f ends when the container does', async () => {
  await apply(
    pod('crashy', [
      { name: 'app', image: 'busybox', command: ['sh', '-c', 'echo booting; echo "fatal: no config"; exit 1'] },
    ]),
  );
  await w.waitFor(async () => {
    const p = await w.kubectlJson('get', 'pod', 'crashy');
    return p.status?.containerStatuses?.[0]?.lastState?.terminated;
  }, 'crashy to crash once');
  assert.equal(await ok('logs', 'crashy', '--previous'), 'booting\nfatal: no config\n');

  await apply(
    pod(
      'counter',
      [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'for i in 1 2 3; do echo "tick $i"; sleep 2; done'] }],
      'Never',
    ),
  );
  await ok('wait', '--for=condition=Ready', 'pod/counter', '--timeout=60s');
  const followed = await ok('logs', '-f', 'counter');
  assert.equal(followed, 'tick 1\ntick 2\ntick 3\n');
  const p = await w.kubectlJson('get', 'pod', 'counter');
  assert.equal(p.status.phase, 'Succeeded', 'the follow ended because the container did');
});

test("kubectl logs errors read like kube-apiserver's", async () => {
  const missing = await cluster.kubectl(['logs', 'nope']);
  assert.match(missing.stderr, /error from server \(NotFound\): pods "nope" not found in namespace "default"/);
  const rawMissing = await cluster.kubectl(['get', '--raw', '/api/v1/namespaces/default/pods/nope/log']);
  assert.match(rawMissing.stderr, /Error from server \(NotFound\): pods "nope" not found/);

  await apply(
    pod('two', [
      { name: 'a', image: 'busybox', command: ['sleep', '3600'] },
      { name: 'b', image: 'busybox', command: ['sleep', '3600'] },
    ]),
  );
  const raw = await cluster.kubectl(['get', '--raw', '/api/v1/namespaces/default/pods/two/log']);
  assert.match(
    raw.stderr,
    /Error from server \(BadRequest\): a container name must be specified for pod two, choose one of: \[a b\]/,
  );

  await apply(pod('never', [{ name: 'x', image: 'example.com/not-here:1', imagePullPolicy: 'Never' }]));
  const waiting = await w.waitFor(async () => {
    const out = await cluster.kubectl(['logs', 'never']);
    return /ErrImageNeverPull/.test(out.stderr) && out;
  }, 'the never-pulled container to wait');
  assert.match(
    waiting.stderr,
    /Error from server \(BadRequest\): container "x" in pod "never" is waiting to start: ErrImageNeverPull/,
  );
});
