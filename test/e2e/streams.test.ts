// kubectl's streaming verbs on `skiff up --runtime process`, with kubectl 1.32 (WebSocket v5 exec/attach, the
// port-forward WebSocket tunnel) and kubectl 1.28 (SPDY/3.1), on a node-group pod and a Fargate pod of the offline
// busybox image: exec's exit code and stdin, cp both ways, port-forward then an HTTP GET, run -i --rm, attach,
// debug then logs -c, a TTY's size. Then `--runtime simulated`, whose answer names the runtime.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeBusyboxImage } from '../../src/agent/engine/testing/busybox-image.js';
import { execInPod } from '../../src/streams/exec-client.js';
import { running, type Walkthrough, walkthrough } from './harness/cluster.js';
import { run, type SkiffProcess, startSkiff } from './harness/skiff.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/bin/containerd');
const image = 'import.skiff.local/e2e/busybox:1';
const kubectls = [
  { version: '1.32', bin: 'kubectl' },
  { version: '1.28', bin: '/usr/lib/google-cloud-sdk/bin/kubectl.1.28' },
].filter((k) => k.bin === 'kubectl' || existsSync(k.bin));

type Kubectl = (typeof kubectls)[number];
const work = mkdtempSync(join(tmpdir(), 'skiff-streams-'));
after(() => rmSync(work, { recursive: true, force: true }));

function kubectlRun(skiff: SkiffProcess, k: Kubectl, args: string[], input?: string) {
  const cache = join(work, `cache-${k.version}`);
  return run(k.bin, ['--kubeconfig', skiff.kubeconfig, '--cache-dir', cache, ...args], { input, timeoutMs: 90_000 });
}

/** A long-running kubectl (port-forward, attach): resolves once its output matches, then `stop` ends it by PID. */
function startKubectl(skiff: SkiffProcess, k: Kubectl, args: string[], ready: RegExp) {
  const cache = join(work, `cache-${k.version}`);
  const child: ChildProcess = spawn(k.bin, ['--kubeconfig', skiff.kubeconfig, '--cache-dir', cache, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const matched = new Promise<string>((resolve, reject) => {
    const check = () => {
      if (ready.test(output)) resolve(output);
    };
    child.stdout!.on('data', (d) => {
      output += d;
      check();
    });
    child.stderr!.on('data', (d) => {
      output += d;
      check();
    });
    child.once('exit', (code) => reject(new Error(`kubectl ${args.join(' ')} exited ${code}: ${output}`)));
    setTimeout(() => reject(new Error(`kubectl ${args.join(' ')}: no ${ready} in ${output}`)), 30_000).unref();
  });
  return {
    matched,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

const httpdScript =
  'mkdir -p /www; echo "hello from $(hostname)" > /www/index.html; exec busybox httpd -f -p 80 -h /www';

describe('kubectl exec, cp, port-forward, run -i, attach and debug on the process runtime', {
  skip: !canRun && 'needs root and containerd',
}, () => {
  let skiff: SkiffProcess;
  let w: Walkthrough;
  const pods = [
    { where: 'node group', namespace: 'default', name: 'web' },
    { where: 'Fargate', namespace: 'fg', name: 'web' },
  ];

  before(async () => {
    skiff = await startSkiff(['--runtime', 'process']);
    writeBusyboxImage(join(skiff.dataDir, 'busybox-layout'), image, 'hello');
    await skiff.importImage(join(skiff.dataDir, 'busybox-layout'));
    w = await walkthrough(skiff);
    await w.nodegroup('ng', 1);
    const fp = await w.skiff('create', 'fargateprofile', '--cluster', 'skiff', '--name', 'fp', '--namespace', 'fg');
    assert.equal(fp.code, 0, fp.stderr);
    assert.equal((await skiff.kubectl(['create', 'namespace', 'fg'])).code, 0);
    for (const pod of pods) {
      const created = await skiff.kubectl([
        'run',
        pod.name,
        '-n',
        pod.namespace,
        `--image=${image}`,
        '--image-pull-policy=Never',
        '--command',
        '--',
        'sh',
        '-c',
        httpdScript,
      ]);
      assert.equal(created.code, 0, created.stderr);
    }
    for (const pod of pods) {
      await w.waitFor(
        async () => running(await w.pods(pod.namespace, `run=${pod.name}`))[0],
        `the ${pod.where} pod to run`,
        90_000,
      );
    }
  });
  after(async () => {
    await skiff?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  for (const k of kubectls) {
    for (const pod of pods) {
      const on = `kubectl ${k.version}, ${pod.where} pod`;
      const kc = (args: string[], input?: string) => kubectlRun(skiff, k, ['-n', pod.namespace, ...args], input);

      it(`${on}: exec returns the command's exit code and output`, async () => {
        const out = await kc(['exec', pod.name, '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
        assert.equal(out.code, 3, out.stderr);
        assert.equal(out.stdout, 'out\n');
        assert.match(out.stderr, /^err\n/m);
        assert.match(out.stderr, /command terminated with exit code 3/);
        const ok = await kc(['exec', pod.name, '--', 'true']);
        assert.equal(ok.code, 0, ok.stderr);
      });

      it(`${on}: exec -i passes stdin and closes it`, async () => {
        const out = await kc(['exec', '-i', pod.name, '--', 'cat'], 'hi\nthere\n');
        assert.equal(out.code, 0, out.stderr);
        assert.equal(out.stdout, 'hi\nthere\n');
      });

      it(`${on}: exec -t gives a terminal of the client's size`, async () => {
        const inner = `${k.bin} --kubeconfig ${skiff.kubeconfig} --cache-dir ${join(work, `cache-${k.version}`)} -n ${pod.namespace} exec -it ${pod.name} -- sh -c 'sleep 1; stty size; tty'`;
        const out = await run('script', ['-qc', `stty cols 91 rows 37; ${inner}`, '/dev/null'], { input: '' });
        assert.equal(out.code, 0, out.stderr);
        assert.match(out.stdout, /37 91\r?\n/);
        assert.match(out.stdout, /\/dev\/pts\/\d+/);
      });

      it(`${on}: cp copies a file in and out`, async () => {
        const local = join(work, `in-${k.version}-${pod.namespace}.txt`);
        const content = `copied by kubectl ${k.version}\n${'x'.repeat(200_000)}\n`;
        writeFileSync(local, content);
        const into = await kc(['cp', local, `${pod.name}:/tmp/in.txt`]);
        assert.equal(into.code, 0, into.stderr);
        const seen = await kc(['exec', pod.name, '--', 'sh', '-c', 'head -n 1 /tmp/in.txt; wc -c < /tmp/in.txt']);
        assert.match(
          seen.stdout,
          new RegExp(`^copied by kubectl ${k.version.replace('.', '\\.')}\\n\\s*${content.length}\\n$`),
        );
        const back = join(work, `out-${k.version}-${pod.namespace}.txt`);
        const out = await kc(['cp', `${pod.name}:/tmp/in.txt`, back]);
        assert.equal(out.code, 0, out.stderr);
        assert.equal(readFileSync(back, 'utf8'), content);
      });

      it(`${on}: port-forward serves the pod's port on localhost`, async () => {
        // ":80": kubectl picks a free local port and says which.
        const forward = startKubectl(
          skiff,
          k,
          ['-n', pod.namespace, 'port-forward', `pod/${pod.name}`, ':80'],
          /Forwarding from 127\.0\.0\.1:\d+/,
        );
        try {
          const port = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(await forward.matched)![1];
          for (let i = 0; i < 2; i++) {
            const response = await fetch(`http://127.0.0.1:${port}/`);
            assert.equal(response.status, 200);
            assert.match(await response.text(), /^hello from web\n$/);
          }
        } finally {
          await forward.stop();
        }
      });
    }

    it(`kubectl ${k.version}: speaks its preferred protocol, with no fallback`, async () => {
      const exec = await kubectlRun(skiff, k, ['-v=7', 'exec', 'web', '--', 'true']);
      assert.equal(exec.code, 0, exec.stderr);
      assert.match(exec.stderr, /Response Status: 101 Switching Protocols/);
      assert.doesNotMatch(exec.stderr, /fallback/i);
      if (k.version === '1.28') assert.match(exec.stderr, /X-Stream-Protocol-Version: v4\.channel\.k8s\.io/);
      else assert.match(exec.stderr, /The subprotocol is v5\.channel\.k8s\.io/);
      const forward = startKubectl(skiff, k, ['-v=7', 'port-forward', 'pod/web', ':80'], /Forwarding from/);
      try {
        const output = await forward.matched;
        assert.match(output, /Response Status: 101 Switching Protocols/);
        assert.doesNotMatch(output, /fallback/i);
        if (k.version !== '1.28') assert.match(output, /Sec-Websocket-Protocol: SPDY\/3\.1\+portforward\.k8s\.io/);
      } finally {
        await forward.stop();
      }
    });

    it(`kubectl ${k.version}: run -i --rm passes stdin, prints the output and deletes the pod`, async () => {
      const name = `once-${k.version.replace('.', '-')}`;
      const out = await kubectlRun(
        skiff,
        k,
        [
          'run',
          name,
          '-i',
          '--rm',
          '--restart=Never',
          `--image=${image}`,
          '--image-pull-policy=Never',
          '--command',
          '--',
          'sh',
          '-c',
          'read line; echo "got $line"',
        ],
        'hello\n',
      );
      assert.equal(out.code, 0, out.stderr);
      assert.match(out.stdout, /got hello\n/);
      assert.match(out.stdout, new RegExp(`pod "${name}" deleted`));
    });

    it(`kubectl ${k.version}: attach streams what the container prints`, async () => {
      const name = `tick-${k.version.replace('.', '-')}`;
      const created = await skiff.kubectl([
        'run',
        name,
        `--image=${image}`,
        '--image-pull-policy=Never',
        '--command',
        '--',
        'sh',
        '-c',
        'i=0; while true; do i=$((i+1)); echo "tick $i"; sleep 0.3; done',
      ]);
      assert.equal(created.code, 0, created.stderr);
      await w.waitFor(async () => running(await w.pods('default', `run=${name}`))[0], 'the ticking pod');
      const attach = startKubectl(skiff, k, ['attach', name], /tick \d+\n.*tick \d+\n/s);
      try {
        await attach.matched;
      } finally {
        await attach.stop();
      }
    });

    it(`kubectl ${k.version}: debug adds an ephemeral container whose output logs -c shows`, async () => {
      const container = `dbg-${k.version.replace('.', '-')}`;
      const out = await kubectlRun(skiff, k, [
        'debug',
        'web',
        `--image=${image}`,
        '--image-pull-policy=Never',
        '-c',
        container,
        '--target=web',
        '--',
        'sh',
        '-c',
        'echo "hi from debug"; ps; sleep 3600',
      ]);
      assert.equal(out.code, 0, out.stderr);
      const logs = await w.waitFor(async () => {
        const l = await skiff.kubectl(['logs', 'web', '-c', container]);
        return l.stdout.includes('hi from debug') && l.stdout;
      }, 'the debug container output');
      assert.match(logs, /^hi from debug\n/);
      // --target: the debug container sees the target container's processes.
      assert.match(logs, /busybox httpd -f -p 80/);
      const pod = await w.kubectlJson('get', 'pod', 'web');
      const status = pod.status.ephemeralContainerStatuses.find((s: any) => s.name === container);
      assert.ok(status?.state?.running, JSON.stringify(status));
      const exec = await kubectlRun(skiff, k, ['exec', 'web', '-c', container, '--', 'echo', 'inside']);
      assert.equal(exec.stdout, 'inside\n', exec.stderr);
    });
  }

  it('an exec round trip without kubectl: exit code, stdin, and its time', async () => {
    const target = {
      server: skiff.kubeEndpoint,
      token: skiff.token,
      ca: skiff.caCert,
      namespace: 'default',
      pod: 'web',
    };
    const echoed = await execInPod(target, ['sh', '-c', 'cat; exit 7'], 'round trip\n');
    assert.deepEqual(echoed, { exitCode: 7, stdout: 'round trip\n', stderr: '' });
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const start = performance.now();
      assert.equal((await execInPod(target, ['true'])).exitCode, 0);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    console.log(`exec round trip: p50 ${times[10]!.toFixed(1)} ms, max ${times[19]!.toFixed(1)} ms`);
    assert.ok(times[10]! < 1000, `p50 ${times[10]} ms`);
  });

  it('kubectl debug -it attaches a terminal to the new container', async () => {
    // Without a terminal, stdin's end detaches (the container has no stdinOnce), as on Kubernetes.
    const inner = `kubectl --kubeconfig ${skiff.kubeconfig} debug -it web --image=${image} --image-pull-policy=Never -c dbg-it --target=web -- sh -c 'sleep 1; echo "tty debug"; sleep 1'`;
    const out = await run('script', ['-qc', inner, '/dev/null'], { input: '' });
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /tty debug\r?\n/);
  });
});

describe('the simulated runtime names itself', () => {
  let skiff: SkiffProcess;
  before(async () => {
    skiff = await startSkiff(['--runtime', 'simulated']);
    const w = await walkthrough(skiff);
    await w.nodegroup('ng', 1);
    assert.equal((await skiff.kubectl(['run', 'sim', '--image=busybox', '--', 'sleep', '3600'])).code, 0);
    await w.waitFor(async () => running(await w.pods('default', 'run=sim'))[0], 'the simulated pod');
  });
  after(() => skiff?.stop());

  for (const k of kubectls) {
    it(`kubectl ${k.version}: exec and port-forward say the runtime cannot stream`, async () => {
      const exec = await kubectlRun(skiff, k, ['exec', 'sim', '--', 'true']);
      assert.notEqual(exec.code, 0);
      assert.match(
        exec.stderr,
        /pods\/exec is not available on the simulated runtime: start skiff with --runtime process/,
      );
      assert.doesNotMatch(exec.stderr, /could not find the requested resource/);
      const forward = await kubectlRun(skiff, k, ['port-forward', 'sim', ':80'], '');
      assert.notEqual(forward.code, 0);
      assert.match(forward.stderr, /pods\/portforward is not available on the simulated runtime/);
    });
  }
});
