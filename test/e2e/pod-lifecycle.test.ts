// The pod lifecycle on real runc containers (`skiff up --runtime process`, an offline busybox image, the real
// kubectl): probes of each network kind reach the pod, a failing liveness probe raises RESTARTS with the kubelet's
// events, preStop runs before SIGTERM, termination messages, OOMKilled, `logs --previous` after a crash,
// securityContext and rlimits seen from inside, runAsNonRoot refused, a Fargate pod's pids limit, a pod deleted while
// its image pull hangs goes within its grace period, and so does a namespace with a fresh Deployment and Job.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeOciImage } from '../../src/agent/engine/oci/layout.js';
import { enginePaths } from '../../src/agent/engine/paths.js';
import { busyboxLayer } from '../../src/agent/engine/testing/busybox-image.js';
import { pidsMaxPath } from '../../src/agent/process/pids.js';
import { type Walkthrough, walkthrough } from './harness/cluster.js';
import { run, type SkiffProcess, startSkiff } from './harness/skiff.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/bin/containerd');
const image = 'import.skiff.local/e2e/busybox:lifecycle';
const extraApplets = ['head', 'dd', 'touch', 'rm', 'kill', 'tail', 'tr', 'printf', 'grep', 'true', 'false'];
let skiff: SkiffProcess;
let w: Walkthrough;

const pod = (name: string, namespace: string, spec: Record<string, unknown>) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace }, spec });
const container = (fields: Record<string, unknown>) => ({ name: 'c', image, imagePullPolicy: 'Never', ...fields });
const sh = (script: string) => ({ command: ['sh', '-c', script] });

async function apply(manifest: string): Promise<void> {
  const out = await skiff.kubectl(['apply', '-f', '-'], manifest);
  assert.equal(out.code, 0, out.stderr);
}
const podJson = (namespace: string, name: string) => w.kubectlJson('get', 'pod', name, '-n', namespace);
const statusOf = async (namespace: string, name: string) =>
  (await podJson(namespace, name)).status?.containerStatuses?.[0];

describe('pod lifecycle on the process runtime', { skip: !canRun && 'needs root and containerd' }, () => {
  before(async () => {
    skiff = await startSkiff(['--runtime', 'process']);
    const layout = join(skiff.dataDir, 'busybox-layout');
    writeOciImage(layout, {
      name: image,
      layers: [
        busyboxLayer(),
        [
          { path: 'bin', type: 'dir' },
          ...extraApplets.map((a) => ({ path: `bin/${a}`, type: 'symlink' as const, linkname: 'busybox' })),
        ],
        [
          { path: 'www', type: 'dir' },
          { path: 'www/index.html', type: 'file', content: 'ok\n' },
        ],
      ],
      cmd: ['/bin/sh'],
    });
    await skiff.importImage(layout);
    w = await walkthrough(skiff);
    await w.nodegroup('ng', 2);
    await w.waitFor(
      async () =>
        (await w.nodes()).filter((n) =>
          n.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'),
        ).length >= 2,
      'two Ready nodes',
      120_000,
    );
  });
  after(async () => {
    await skiff?.stop();
  });

  it('a failing liveness probe kills and restarts the container, with the kubelet events', async () => {
    await apply(
      pod('live', 'default', {
        terminationGracePeriodSeconds: 1,
        containers: [
          container({
            ...sh('touch /tmp/healthy; sleep 4; rm /tmp/healthy; sleep 600'),
            livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, periodSeconds: 1, failureThreshold: 2 },
          }),
        ],
      }),
    );
    const status = await w.waitFor(
      async () => {
        const s = await statusOf('default', 'live');
        return s?.restartCount >= 1 && s;
      },
      'RESTARTS to rise',
      90_000,
    );
    assert.ok(status.lastState.terminated, JSON.stringify(status));
    const events = await w.events('default', 'live');
    const messages = (reason: string) => events.filter((e) => e.reason === reason).map((e) => e.message);
    assert.ok(
      messages('Unhealthy').includes(
        "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n",
      ),
      JSON.stringify(messages('Unhealthy')),
    );
    assert.ok(messages('Killing').includes('Container c failed liveness probe, will be restarted'));
    const table = await skiff.kubectl(['get', 'pod', 'live']);
    assert.match(table.stdout, /live\s+\d\/1\s+\S+\s+[1-9]/);
  });

  it('httpGet readiness and tcpSocket liveness reach the pod IP', async () => {
    await apply(
      pod('web', 'default', {
        containers: [
          container({
            ...sh('httpd -f -p 8080 -h /www'),
            ports: [{ name: 'http', containerPort: 8080 }],
            readinessProbe: {
              httpGet: { path: '/index.html', port: 'http', httpHeaders: [{ name: 'X-Probe', value: '1' }] },
              periodSeconds: 1,
            },
            livenessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
          }),
        ],
      }),
    );
    const ready = await w.waitFor(async () => {
      const s = await statusOf('default', 'web');
      return s?.ready && s;
    }, 'web ready');
    assert.equal(ready.restartCount, 0);
    const notReady = pod('web-missing', 'default', {
      containers: [
        container({
          ...sh('httpd -f -p 8080 -h /www'),
          readinessProbe: { httpGet: { path: '/missing', port: 8080 }, periodSeconds: 1 },
        }),
      ],
    });
    await apply(notReady);
    // (A first failure may be the connection refused before httpd listens.)
    const failed = 'Readiness probe failed: HTTP probe failed with statuscode: 404';
    await w.waitFor(
      async () =>
        (await w.events('default', 'web-missing')).some((e) => e.reason === 'Unhealthy' && e.message === failed),
      'the readiness failure event',
    );
    assert.equal((await statusOf('default', 'web-missing')).ready, false);
  });

  it('runs preStop before SIGTERM', async () => {
    await apply(
      pod('stopper', 'default', {
        terminationGracePeriodSeconds: 10,
        containers: [
          container({
            ...sh('trap "echo got TERM; exit 0" TERM; echo started; while true; do sleep 1; done'),
            lifecycle: { preStop: { exec: { command: ['sh', '-c', 'echo prestop > /proc/1/fd/1; sleep 1'] } } },
          }),
        ],
      }),
    );
    await w.waitFor(async () => (await statusOf('default', 'stopper'))?.state?.running, 'stopper running');
    const follow: ChildProcess = spawn('kubectl', ['--kubeconfig', skiff.kubeconfig, 'logs', '-f', 'stopper'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    follow.stdout!.on('data', (d) => (output += d));
    await w.waitFor(async () => output.includes('started'), 'the log to stream');
    const deleted = await skiff.kubectl(['delete', 'pod', 'stopper', '--wait=false']);
    assert.equal(deleted.code, 0, deleted.stderr);
    await w.waitFor(async () => output.includes('got TERM'), 'SIGTERM handled', 30_000);
    follow.kill();
    assert.deepEqual(output.trim().split('\n'), ['started', 'prestop', 'got TERM']);
  });

  it('puts the termination message, or the log on error, in the terminated state', async () => {
    await apply(
      pod('msg', 'default', {
        restartPolicy: 'Never',
        containers: [container(sh('printf bye > /dev/termination-log; exit 3'))],
      }),
    );
    await apply(
      pod('fallback', 'default', {
        restartPolicy: 'Never',
        containers: [container({ ...sh('echo oops; exit 2'), terminationMessagePolicy: 'FallbackToLogsOnError' })],
      }),
    );
    const terminated = async (name: string) =>
      w.waitFor(async () => (await statusOf('default', name))?.state?.terminated, `${name} terminated`);
    const msg = await terminated('msg');
    assert.deepEqual([msg.exitCode, msg.message], [3, 'bye']);
    const fallback = await terminated('fallback');
    assert.deepEqual([fallback.exitCode, fallback.message], [2, 'oops\n']);
  });

  it('reports OOMKilled when the memory cgroup kills the container', async () => {
    await apply(
      pod('oom', 'default', {
        restartPolicy: 'Never',
        containers: [
          container({
            ...sh('x=$(head -c 200000000 /dev/zero | tr "\\0" a)'),
            resources: { limits: { memory: '32Mi' } },
          }),
        ],
      }),
    );
    const terminated = await w.waitFor(
      async () => (await statusOf('default', 'oom'))?.state?.terminated,
      'oom terminated',
      60_000,
    );
    assert.deepEqual([terminated.reason, terminated.exitCode], ['OOMKilled', 137]);
  });

  it('shows the previous instance with logs --previous after a crash, in CrashLoopBackOff', async () => {
    await apply(pod('crash', 'default', { containers: [container(sh('echo crashed once; exit 1'))] }));
    await w.waitFor(
      async () => (await statusOf('default', 'crash'))?.state?.waiting?.reason === 'CrashLoopBackOff',
      'CrashLoopBackOff',
      60_000,
    );
    const previous = await skiff.kubectl(['logs', 'crash', '--previous']);
    assert.equal(previous.code, 0, previous.stderr);
    assert.equal(previous.stdout, 'crashed once\n');
  });

  it('runs as the securityContext user with Fargate rlimits, the host cap stated on the node', async () => {
    await apply(
      pod('whoami', 'default', {
        restartPolicy: 'Never',
        securityContext: { runAsUser: 1234, runAsGroup: 5678, fsGroup: 999 },
        containers: [
          container({
            ...sh(
              'id; ulimit -Sn; ulimit -Hn; ulimit -Su; ulimit -Hu; grep -E "^(NoNewPrivs|CapEff)" /proc/self/status; ' +
                'touch /tmp/x 2>&1; true',
            ),
            securityContext: {
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ['ALL'] },
            },
          }),
        ],
      }),
    );
    await w.waitFor(async () => (await statusOf('default', 'whoami'))?.state?.terminated, 'whoami done');
    const logs = (await skiff.kubectl(['logs', 'whoami'])).stdout.trim().split('\n');
    assert.match(logs[0]!, /^uid=1234 gid=5678 groups=.*999/);
    const nodes = await w.nodes();
    const ready = nodes[0].status.conditions.find((c: any) => c.type === 'Ready');
    const hard = Number(logs[2]);
    assert.equal(logs[1], '1024');
    if (hard < 65535)
      assert.match(ready.message, new RegExp(`nofile hard limit capped at ${hard} \\(Fargate: 65535\\)`));
    else assert.equal(hard, 65535);
    assert.equal(logs[3], '1024');
    assert.deepEqual(logs.slice(5), [
      'CapEff:\t0000000000000000',
      'NoNewPrivs:\t1',
      'touch: /tmp/x: Read-only file system',
    ]);
  });

  it('refuses a root image under runAsNonRoot with CreateContainerConfigError', async () => {
    await apply(
      pod('nonroot', 'default', { securityContext: { runAsNonRoot: true }, containers: [container(sh('sleep 60'))] }),
    );
    const waiting = await w.waitFor(
      async () =>
        (await statusOf('default', 'nonroot'))?.state?.waiting?.reason === 'CreateContainerConfigError' &&
        (await statusOf('default', 'nonroot')).state.waiting,
      'CreateContainerConfigError',
    );
    assert.match(waiting.message, /^container has runAsNonRoot and image will run as root \(pod: "nonroot_default\(/);
    const events = await w.events('default', 'nonroot');
    assert.ok(events.some((e) => e.reason === 'Failed' && e.message.startsWith('Error: container has runAsNonRoot')));
  });

  it('caps a Fargate pod at the pids limit of its provisioned size; node-group pods are not capped', async () => {
    await w.fargateProfile('fp', 'fg');
    assert.equal((await skiff.kubectl(['create', 'namespace', 'fg'])).code, 0);
    await apply(pod('small', 'fg', { containers: [container(sh('sleep 600'))] }));
    const running = await w.waitFor(
      async () => {
        const p = await podJson('fg', 'small');
        return p.status?.containerStatuses?.[0]?.state?.running && p;
      },
      'the Fargate pod to run',
      120_000,
    );
    assert.equal(running.metadata.annotations.CapacityProvisioned, '0.25vCPU 0.5GB');
    const cgroupParent = enginePaths(join(skiff.dataDir, 'containerd')).cgroupParent;
    const pidsMax = (uid: string) => readFileSync(pidsMaxPath(`${cgroupParent}/pod${uid}`), 'utf8').trim();
    assert.equal(pidsMax(running.metadata.uid), '4096');
    const nodeGroupPod = await podJson('default', 'web');
    assert.equal(pidsMax(nodeGroupPod.metadata.uid), 'max');
  });

  it('deletes a pod still pulling its image within its grace period', async () => {
    // A plain-HTTP "registry" on the host's loopback that accepts connections and never answers: the pull hangs
    // (the CRI allows it 10 min). containerd reads its registry hosts dir at each pull.
    const held: Socket[] = [];
    const silent = createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const registry = `127.0.0.1:${(silent.address() as { port: number }).port}`;
    const hostsDir = join(enginePaths(join(skiff.dataDir, 'containerd')).certsDir, registry);
    mkdirSync(hostsDir, { recursive: true });
    writeFileSync(
      join(hostsDir, 'hosts.toml'),
      `server = "http://${registry}"\n\n[host."http://${registry}"]\n  capabilities = ["pull", "resolve"]\n`,
    );
    await apply(
      pod('starting', 'default', {
        terminationGracePeriodSeconds: 3,
        containers: [{ name: 'c', image: `${registry}/never/arrives:1`, imagePullPolicy: 'Always' }],
      }),
    );
    await w.waitFor(
      async () => (await w.events('default', 'starting')).some((e) => e.reason === 'Pulling'),
      'the pull to start',
    );
    const started = Date.now();
    const deleted = await skiff.kubectl(['delete', 'pod', 'starting', '--timeout=60s']);
    assert.equal(deleted.code, 0, deleted.stderr);
    const elapsed = Date.now() - started;
    for (const socket of held) socket.destroy();
    silent.close();
    assert.ok(held.length > 0, 'containerd reached the registry');
    assert.ok(elapsed < 10_000, `deleted after ${elapsed} ms, grace period 3 s`);
  });

  it('deletes a namespace with a fresh Deployment and Job within the grace period', async () => {
    assert.equal((await skiff.kubectl(['create', 'namespace', 'fresh'])).code, 0);
    const args = [`--image=${image}`, '-n', 'fresh', '--', 'sleep', '3600'];
    assert.equal((await skiff.kubectl(['create', 'deployment', 'd', ...args])).code, 0);
    assert.equal((await skiff.kubectl(['create', 'job', 'j', ...args])).code, 0);
    const started = Date.now();
    const deleted = await run(
      'kubectl',
      ['--kubeconfig', skiff.kubeconfig, 'delete', 'namespace', 'fresh', '--timeout=60s'],
      {
        timeoutMs: 90_000,
      },
    );
    assert.equal(deleted.code, 0, deleted.stderr);
    const elapsed = Date.now() - started;
    // The pods' grace period is 30 s (sleep, as PID 1, ignores SIGTERM); a few seconds more for the controllers.
    assert.ok(elapsed < 40_000, `namespace gone after ${elapsed} ms`);
  });
});
