// Fargate pods in QEMU micro-VMs (`skiff up --runtime microvm`, TCG on this machine kind), with the offline busybox
// image: the pod's own kernel (uname -r differs from the host's), Fargate's rlimits 1024/65535, only the pod's
// processes in `ps`, the provisioned memory in /proc/meminfo, logs -f, exec -it, port-forward, HTTP to another
// Fargate pod by pod IP, through a Service and to its readiness probe, kubectl cp, no host files inside, the node
// saying what runs it; `kubectl delete` runs preStop and the pod is gone within its grace period, leaving no QEMU,
// tap or socket. Two VMs in all, to keep CI's cost small.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeBusyboxImage } from '../../src/agent/engine/testing/busybox-image.js';
import { microvmCacheDir } from '../../src/agent/microvm/cache.js';
import { ensureGuestInitramfs } from '../../src/agent/microvm/guest/build.js';
import { ensureGuestKernel, kernelSourceTarball } from '../../src/agent/microvm/kernel/build.js';
import { macOf } from '../../src/agent/microvm/qemu-args.js';
import { type Walkthrough, walkthrough } from './harness/cluster.js';
import { noMkdirProfile, seccompScript } from './harness/seccomp.js';
import { run, type SkiffProcess, startSkiff } from './harness/skiff.js';

const canRun =
  process.getuid?.() === 0 &&
  existsSync('/usr/bin/containerd') &&
  existsSync('/usr/bin/qemu-system-x86_64') &&
  existsSync(kernelSourceTarball);
const image = 'import.skiff.local/e2e/busybox:microvm';
const ns = 'vm';
let skiff: SkiffProcess;
let w: Walkthrough;

async function apply(manifest: unknown) {
  const out = await skiff.kubectl(['apply', '-f', '-'], JSON.stringify(manifest));
  assert.equal(out.code, 0, out.stderr);
}

const exec = async (pod: string, ...command: string[]) => {
  const out = await skiff.kubectl(['-n', ns, 'exec', pod, '--', ...command]);
  assert.equal(out.code, 0, out.stderr);
  return out.stdout;
};

/** A long-running kubectl: resolves once its output matches; `stop` ends it by PID. */
function follow(args: string[], ready: RegExp) {
  const child: ChildProcess = spawn('kubectl', ['--kubeconfig', skiff.kubeconfig, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiters: { re: RegExp; resolve(text: string): void }[] = [];
  const check = () => {
    for (const waiter of [...waiters]) {
      if (waiter.re.test(output)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(output);
      }
    }
  };
  child.stdout!.on('data', (d) => {
    output += d;
    check();
  });
  child.stderr!.on('data', (d) => {
    output += d;
    check();
  });
  const wait = (re: RegExp, ms = 60_000) =>
    new Promise<string>((resolve, reject) => {
      waiters.push({ re, resolve });
      check();
      setTimeout(() => reject(new Error(`kubectl ${args.join(' ')}: no ${re} in ${output}`)), ms).unref();
    });
  return {
    matched: wait(ready),
    wait,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

const webScript = [
  'mkdir -p /www',
  'echo "hello from $(hostname)" > /www/index.html',
  'busybox httpd -p 8080 -h /www',
  'trap "exit 0" TERM',
  'i=0',
  'while true; do echo "tick $i"; i=$((i+1)); sleep 1; done',
].join('; ');

const lockedContainer = {
  name: 'locked',
  image,
  imagePullPolicy: 'Never',
  command: ['sh', '-c', seccompScript],
  securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'no-mkdir.json' } },
};

describe('Fargate pods in micro-VMs', { skip: !canRun && 'needs root, containerd, qemu and linux-source-6.1' }, () => {
  before(
    async () => {
      // The guest kernel takes minutes the first time on this machine (cached after): built before `skiff up`.
      await ensureGuestKernel((line) => console.log(line));
      await ensureGuestInitramfs();
      skiff = await startSkiff(['--runtime', 'microvm']);
      const layout = join(skiff.dataDir, 'busybox-layout');
      writeBusyboxImage(layout, image);
      await skiff.importImage(layout);
      mkdirSync(join(skiff.dataDir, 'seccomp'), { recursive: true });
      writeFileSync(join(skiff.dataDir, 'seccomp', 'no-mkdir.json'), JSON.stringify(noMkdirProfile));
      w = await walkthrough(skiff);
      await w.fargateProfile('fp', ns);
      assert.equal((await skiff.kubectl(['create', 'namespace', ns])).code, 0);
      for (const name of ['web', 'client']) {
        await apply({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name, namespace: ns },
          spec: {
            terminationGracePeriodSeconds: 20,
            // The client runs under containerd's default seccomp profile, one container of it under a Localhost one.
            ...(name === 'client' ? { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } } : {}),
            containers: [
              {
                name,
                image,
                imagePullPolicy: 'Never',
                command: ['sh', '-c', name === 'web' ? webScript : 'trap "exit 0" TERM; while true; do sleep 1; done'],
                ...(name === 'web'
                  ? {
                      lifecycle: { preStop: { exec: { command: ['sh', '-c', 'echo prestop-ran > /proc/1/fd/1'] } } },
                      readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 },
                    }
                  : {}),
              },
              ...(name === 'client' ? [lockedContainer] : []),
            ],
          },
        });
      }
      await w.waitFor(
        async () => {
          const pods = await w.pods(ns);
          return pods.length === 2 && pods.every((p) => p.status?.phase === 'Running') && pods;
        },
        'both micro-VM pods Running',
        180_000,
      );
    },
    { timeout: 900_000 },
  );
  after(async () => {
    await skiff?.stop();
  });

  it('runs the pod on its own kernel, with Fargate rlimits and only its own processes', async () => {
    const guest = (await exec('web', 'busybox', 'uname', '-r')).trim();
    assert.notEqual(guest, release());
    assert.match(guest, /^6\.1\./);
    assert.equal((await exec('web', 'sh', '-c', 'ulimit -n; ulimit -Hn')).trim(), '1024\n65535');
    const ps = await exec('web', 'busybox', 'ps', '-o', 'pid,comm');
    const commands = ps
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.trim().split(/\s+/));
    assert.deepEqual(commands[0], ['1', 'sh']);
    assert.ok(
      commands.every(([, comm]) => ['sh', 'httpd', 'sleep', 'busybox'].includes(comm!)),
      ps,
    );
  });

  it('restores each VM from its size template with its own MAC, name, clock and random state', async () => {
    const pods = await w.pods(ns);
    const seen = new Map<string, string[]>();
    for (const name of ['web', 'client']) {
      const pod = pods.find((p) => p.metadata.name === name)!;
      const out = await exec(
        name,
        'sh',
        '-c',
        'cat /sys/class/net/eth0/address; hostname; date +%s; cat /proc/sys/kernel/random/uuid',
      );
      const [mac, hostname, seconds, uuid] = out.trim().split('\n');
      assert.equal(mac, macOf(pod.status!.podIP!), "the pod IP's MAC, not the template's");
      assert.equal(hostname, name);
      assert.ok(Math.abs(Number(seconds) - Date.now() / 1000) < 30, `guest clock ${seconds} is the host's`);
      seen.set(name, [uuid!]);
    }
    assert.notEqual(seen.get('web')![0], seen.get('client')![0], 'two VMs of one template draw different randomness');
    const templates = readdirSync(microvmCacheDir()).filter((d) => d.startsWith('template-'));
    assert.ok(templates.length > 0, 'a template is cached beside the kernel');
  });

  it('makes a template again when its files left the cache, and the pod still runs', async () => {
    const cache = microvmCacheDir();
    const templates = () => readdirSync(cache).filter((d) => d.startsWith('template-'));
    // Running VMs keep their mapping of the removed file; the next pod's shape gets a new template.
    for (const template of templates()) rmSync(join(cache, template, 'memory'), { force: true });
    await apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'after-cache-clean', namespace: ns },
      spec: {
        terminationGracePeriodSeconds: 0,
        containers: [{ name: 'main', image, imagePullPolicy: 'Never', command: ['sleep', '3600'] }],
      },
    });
    await w.waitFor(
      async () => (await w.pods(ns)).find((p) => p.metadata.name === 'after-cache-clean')?.status?.phase === 'Running',
      'the pod Running after the template was removed',
      120_000,
    );
    assert.ok(templates().some((template) => existsSync(join(cache, template, 'memory'))));
    assert.equal((await exec('web', 'busybox', 'true')).trim(), '', 'VMs restored from the removed file still run');
    const deleted = await skiff.kubectl(['-n', ns, 'delete', 'pod', 'after-cache-clean', '--grace-period=0']);
    assert.equal(deleted.code, 0, deleted.stderr);
  });

  it("gives the VM the pod's provisioned memory, and the node says what runs it", async () => {
    const pod = (await w.pods(ns)).find((p) => p.metadata.name === 'web');
    const provisioned = pod.metadata.annotations.CapacityProvisioned as string;
    const gb = Number(/([\d.]+)GB/.exec(provisioned)![1]);
    const memTotalKb = Number(/MemTotal:\s+(\d+) kB/.exec(await exec('web', 'cat', '/proc/meminfo'))![1]);
    assert.ok(
      memTotalKb <= gb * 1024 * 1024 && memTotalKb > gb * 1024 * 1024 * 0.85,
      `${memTotalKb} kB for ${provisioned}`,
    );
    const node = await w.kubectlJson('get', 'node', pod.spec.nodeName);
    assert.equal(node.status.nodeInfo.kernelVersion, (await exec('web', 'busybox', 'uname', '-r')).trim());
    assert.equal(node.metadata.annotations['skiff.io/microvm-accelerator'], 'tcg');
    const status = await w.skiff('status', '--data-dir', skiff.dataDir);
    assert.match(status.stdout, /microvm for Fargate pods \(QEMU [\d.]+, TCG: /);
  });

  it('installs the seccomp filter the pod asks for inside the VM, for its processes and its execs', async () => {
    assert.match(await exec('web', 'busybox', 'grep', 'Seccomp:', '/proc/self/status'), /Seccomp:\s+0\n/);
    const client = await skiff.kubectl([
      '-n',
      ns,
      'exec',
      'client',
      '-c',
      'client',
      '--',
      'busybox',
      'grep',
      'Seccomp:',
      '/proc/self/status',
    ]);
    assert.match(client.stdout, /Seccomp:\s+2\n/, client.stderr);
    const locked = await w.waitFor(async () => {
      const out = (await skiff.kubectl(['-n', ns, 'logs', 'client', '-c', 'locked'])).stdout;
      return out.includes('mkdir:') && out;
    }, 'the locked container report');
    // stdout and stderr interleave in the log as they were written: each line is checked on its own
    for (const line of [/Seccomp:\s+2\n/, /mkdir: refused/, /Operation not permitted/]) assert.match(locked, line);
  });

  it('follows logs, and serves exec -it and port-forward', async () => {
    const logs = follow(['-n', ns, 'logs', '-f', 'web'], /tick 1\n/);
    await logs.matched;
    await logs.stop();
    const inner = `kubectl --kubeconfig ${skiff.kubeconfig} -n ${ns} exec -it web -- sh -c 'sleep 1; stty size; tty'`;
    const tty = await run('script', ['-qc', `stty cols 91 rows 37; ${inner}`, '/dev/null'], { input: '' });
    assert.equal(tty.code, 0, tty.stderr);
    assert.match(tty.stdout, /37 91\r?\n/);
    assert.match(tty.stdout, /\/dev\/pts\/\d+/);
    const forward = follow(['-n', ns, 'port-forward', 'pod/web', ':8080'], /Forwarding from 127\.0\.0\.1:\d+/);
    try {
      const port = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(await forward.matched)![1];
      const response = await fetch(`http://127.0.0.1:${port}/`);
      assert.equal(await response.text(), 'hello from web\n');
    } finally {
      await forward.stop();
    }
  });

  it('serves HTTP to another Fargate pod by pod IP, and to its httpGet readiness probe', async () => {
    const web = await w.waitFor(
      async () =>
        (await w.pods(ns)).find(
          (p) =>
            p.metadata.name === 'web' &&
            p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'),
        ),
      'web Ready by its httpGet probe',
    );
    assert.equal(web.status.podIP, web.status.hostIP);
    const body = await exec('client', 'wget', '-q', '-O', '-', `http://${web.status.podIP}:8080/`);
    assert.equal(body, 'hello from web\n');
  });

  it('serves HTTP to another Fargate pod through a ClusterIP Service', async () => {
    const created = await skiff.kubectl(['-n', ns, 'expose', 'pod', 'web', '--port', '80', '--target-port', '8080']);
    assert.equal(created.code, 0, created.stderr);
    const service = await w.kubectlJson('get', 'service', '-n', ns, 'web');
    const body = await w.waitFor(async () => {
      const out = await skiff.kubectl([
        '-n',
        ns,
        'exec',
        'client',
        '--',
        'wget',
        '-q',
        '-O',
        '-',
        `http://${service.spec.clusterIP}/`,
      ]);
      return out.code === 0 && out.stdout;
    }, 'the Service answering from the client pod');
    assert.equal(body, 'hello from web\n');
  });

  it("copies files in and out with kubectl cp, and the host's files are not there", async () => {
    const local = join(skiff.dataDir, 'cp-in.txt');
    writeFileSync(local, 'copied into a micro-VM\n');
    const into = await skiff.kubectl(['cp', local, `${ns}/web:/tmp/in.txt`]);
    assert.equal(into.code, 0, into.stderr);
    assert.equal(await exec('web', 'cat', '/tmp/in.txt'), 'copied into a micro-VM\n');
    const back = join(skiff.dataDir, 'cp-out.txt');
    const out = await skiff.kubectl(['cp', `${ns}/web:/tmp/in.txt`, back]);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(readFileSync(back, 'utf8'), 'copied into a micro-VM\n');
    const host = await skiff.kubectl(['-n', ns, 'exec', 'web', '--', 'ls', skiff.dataDir]);
    assert.notEqual(host.code, 0);
    assert.match(host.stderr + host.stdout, /No such file or directory/);
  });

  it('runs preStop on delete, is gone within the grace period, and leaves no VM behind', async () => {
    const logs = follow(['-n', ns, 'logs', '-f', 'web'], /tick/);
    await logs.matched;
    const started = Date.now();
    const deleted = await skiff.kubectl(['-n', ns, 'delete', 'pod', 'web', '--wait=true'], undefined);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.ok(Date.now() - started < 20_000, `deleted after ${Date.now() - started} ms`);
    await logs.wait(/prestop-ran/, 5000).catch(() => assert.fail('preStop output not in the log stream'));
    await logs.stop();
    await skiff.kubectl(['-n', ns, 'delete', 'pod', 'client']);
    const sandboxes = join(skiff.dataDir, 'sandboxes');
    await w.waitFor(
      async () => {
        const ps = await run('pgrep', ['-f', `qemu-system-x86_64 -name skiff-pod-`]);
        const vms = existsSync(sandboxes)
          ? readdirSync(sandboxes).filter((u) => existsSync(join(sandboxes, u, 'vm')))
          : [];
        return ps.stdout.trim() === '' && vms.length === 0;
      },
      'no QEMU and no VM dir left',
      30_000,
    );
  });
});
