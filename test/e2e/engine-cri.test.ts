// End to end through the CRI: a real docker-registry on 127.0.0.1, a busybox image built here and pushed with skopeo,
// then pull (digest checked), a pod with two containers sharing its network, logs, ExecSync, pod-to-pod TCP by IP,
// nothing of the pods in the host namespace, containerd kill -9 → restarted with its sandboxes, and a clean stop.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { mountsUnder, processesMentioning } from '../../src/agent/engine/cleanup.js';
import { waitForExit } from '../../src/agent/engine/containerd/supervisor.js';
import type { ContainerConfig, PodSandboxConfig } from '../../src/agent/engine/cri/types.js';
import { type ContainerEngine, startContainerEngine } from '../../src/agent/engine/engine.js';
import { readContainerLogText } from '../../src/agent/engine/logs/reader.js';
import { writeBusyboxImage } from '../../src/agent/engine/testing/busybox-image.js';
import { pushImage, startRegistry, type TestRegistry } from '../../src/agent/engine/testing/registry.js';

const root = mkdtempSync(join(tmpdir(), 'skiff-engine-cri-'));
const dataDir = join(root, 'data');
const cidrByte = 100 + Math.floor(Math.random() * 100);
const cidr = `10.${cidrByte}.0.0/16`;
const podIp = (n: number) => `10.${cidrByte}.0.${n}`;
let registry: TestRegistry;
let engine: ContainerEngine;
let image: string;
let written: ReturnType<typeof writeBusyboxImage>;
let restarts = 0;

before(async () => {
  registry = await startRegistry(join(root, 'registry'));
  written = writeBusyboxImage(join(root, 'layout'), 'lab/busybox:1.36');
  image = `${registry.host}/lab/busybox:1.36`;
  pushImage(join(root, 'layout'), 'lab/busybox:1.36', image);
  writeFileSync(
    join(root, 'registries.yaml'),
    `mirrors:\n  "${registry.host}":\n    endpoint: ["http://${registry.host}"]\n`,
  );
  engine = await startContainerEngine({
    dataDir,
    vpcCidr: cidr,
    registriesPath: join(root, 'registries.yaml'),
    onRestart: () => restarts++,
  });
});

after(async () => {
  await engine?.stop().catch((e) => console.error('engine stop', e));
  await registry?.stop();
  rmSync(root, { recursive: true, force: true });
});

function container(name: string, command: string[], extra: Partial<ContainerConfig> = {}): ContainerConfig {
  return { metadata: { name }, image: { image }, command, logPath: `${name}/0.log`, ...extra };
}

async function startContainer(sandboxId: string, config: ContainerConfig, sandbox: PodSandboxConfig): Promise<string> {
  const id = await engine.cri.createContainer(sandboxId, config, sandbox);
  await engine.cri.startContainer(id);
  return id;
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('pull verifies the digest; two containers share the pod network; logs and ExecSync work', async () => {
  const imageRef = await engine.cri.pullImage(image);
  assert.equal(imageRef, written.configDigest);
  const status = await engine.cri.imageStatus(image);
  assert.ok(
    status?.repoDigests.includes(`${registry.host}/lab/busybox@${written.manifestDigest}`),
    String(status?.repoDigests),
  );

  const { id, config } = await engine.runPodSandbox({
    name: 'web',
    namespace: 'default',
    uid: 'uid-web',
    ip: podIp(10),
  });
  const sandbox = await engine.cri.podSandboxStatus(id);
  assert.equal(sandbox.status.network?.ip, podIp(10));
  assert.equal(sandbox.status.state, 'SANDBOX_READY');

  const server = await startContainer(
    id,
    container('server', ['/bin/httpd', '-f', '-p', '8080', '-h', '/www']),
    config,
  );
  const client = await startContainer(
    id,
    container('client', [
      '/bin/sh',
      '-c',
      'until wget -q -O - http://127.0.0.1:8080/index.html; do sleep 0.2; done; sleep 0.3; echo oops >&2; sleep 1000',
    ]),
    config,
  );
  const log = join(config.logDirectory!, 'client', '0.log');
  await waitFor('the client log', async () => ((await readContainerLogText(log)).includes('oops') ? true : undefined));
  assert.equal(await readContainerLogText(log, { stream: 'stdout' }), 'hello from skiff\n');
  assert.match(
    await readContainerLogText(log, { timestamps: true }),
    /^\d{4}-\d\d-\d\dT\S+Z hello from skiff\n\S+Z oops\n$/,
  );

  const exec = await engine.cri.execSync(server, [
    '/bin/sh',
    '-c',
    'cat /usr/bin/hello; test -e /etc/removed.txt && echo present || echo whited-out; echo to-stderr >&2; exit 3',
  ]);
  assert.equal(exec.stdout.toString(), 'hello from skiff\nwhited-out\n');
  assert.equal(exec.stderr.toString(), 'to-stderr\n');
  assert.equal(exec.exitCode, 3);

  const containers = await engine.cri.listContainers({ podSandboxId: id });
  assert.deepEqual(containers.map((c) => c.metadata.name).sort(), ['client', 'server']);
  await engine.cri.stopContainer(client, 1);
  assert.equal((await engine.cri.containerStatus(client)).state, 'CONTAINER_EXITED');
  await engine.removePodSandbox(id);
  assert.deepEqual(await engine.cri.listContainers({ podSandboxId: id }), []);
  assert.deepEqual(await engine.cri.listPodSandbox({ id }), []);
});

test('two pods reach each other by IP over TCP; the host namespace shows none of their interfaces', async () => {
  await engine.cri.pullImage(image);
  const a = await engine.runPodSandbox({ name: 'a', namespace: 'net', uid: 'uid-a', ip: podIp(21) });
  const b = await engine.runPodSandbox({ name: 'b', namespace: 'net', uid: 'uid-b', ip: podIp(22) });
  await startContainer(a.id, container('srv', ['/bin/httpd', '-f', '-p', '80', '-h', '/www']), a.config);
  const bc = await startContainer(b.id, container('cli', ['/bin/sleep', '1000']), b.config);
  const body = await waitFor('pod b to reach pod a', async () => {
    const r = await engine.cri.execSync(bc, ['/bin/wget', '-q', '-O', '-', `http://${podIp(21)}/index.html`]);
    return r.exitCode === 0 ? r.stdout.toString() : undefined;
  });
  assert.equal(body, 'hello from skiff\n');

  const vpcLinks = execFileSync('ip', ['-n', engine.vpc.netns, '-o', 'link', 'show', 'type', 'veth']).toString();
  const podVeths = [...vpcLinks.matchAll(/^\d+: (veth[^@:]+)/gm)].map((m) => m[1]!);
  assert.ok(podVeths.length >= 2, vpcLinks);
  const hostLinks = execFileSync('ip', ['-o', 'link', 'show']).toString();
  for (const veth of podVeths) assert.ok(!hostLinks.includes(`: ${veth}@`), `${veth} is in the host namespace`);
  const hostAddrs = execFileSync('ip', ['-o', 'addr', 'show']).toString();
  assert.ok(!hostAddrs.includes(podIp(21)) && !hostAddrs.includes(podIp(22)));
  assert.ok(hostLinks.includes(`: ${engine.paths.hostLink}@`), 'the one host link exists');

  for (const s of [a, b]) await engine.removePodSandbox(s.id);
});

test('containerd killed with kill -9 is restarted and finds its running sandboxes', async () => {
  const { id, config } = await engine.runPodSandbox({
    name: 'survivor',
    namespace: 'default',
    uid: 'uid-s',
    ip: podIp(30),
  });
  const c = await startContainer(id, container('sleeper', ['/bin/sleep', '1000']), config);
  const pid = engine.supervisor.pid!;
  const before = restarts;
  process.kill(pid, 'SIGKILL');
  assert.ok(await waitForExit(pid, 5000));
  await waitFor('the restart', async () => (restarts > before ? true : undefined));
  assert.notEqual(engine.supervisor.pid, pid);
  const [found] = await engine.cri.listPodSandbox({ id });
  assert.equal(found?.state, 'SANDBOX_READY');
  assert.equal((await engine.cri.containerStatus(c)).state, 'CONTAINER_RUNNING');
  assert.equal((await engine.cri.execSync(c, ['/bin/cat', '/etc/hello.txt'])).stdout.toString(), 'hello from skiff\n');
});

test('a log over its size limit is rotated, reopened, and read back across the rotation', async () => {
  const { rotateContainerLog } = await import('../../src/agent/engine/logs/rotate.js');
  const { id, config } = await engine.runPodSandbox({
    name: 'chatty',
    namespace: 'default',
    uid: 'uid-c',
    ip: podIp(50),
  });
  const c = await startContainer(
    id,
    container('talker', [
      '/bin/sh',
      '-c',
      'i=0; while [ $i -lt 40 ]; do echo line-$i; i=$((i+1)); sleep 0.02; done; sleep 1000',
    ]),
    config,
  );
  const log = join(config.logDirectory!, 'talker', '0.log');
  await waitFor('some output', async () => ((await readContainerLogText(log)).includes('line-5') ? true : undefined));
  assert.equal(await rotateContainerLog(engine.cri, c, log, { maxBytes: 10, maxFiles: 3 }), true);
  await waitFor('all output', async () => ((await readContainerLogText(log)).includes('line-39') ? true : undefined));
  const lines = (await readContainerLogText(log)).trim().split('\n');
  assert.deepEqual(
    lines,
    Array.from({ length: 40 }, (_, i) => `line-${i}`),
  );
  assert.equal(readdirSync(join(config.logDirectory!, 'talker')).length, 2);
  await engine.removePodSandbox(id);
});

test('stop leaves no process, mount, interface, namespace or cgroup of Skiff behind', async () => {
  const { id, config } = await engine.runPodSandbox({
    name: 'last',
    namespace: 'default',
    uid: 'uid-l',
    ip: podIp(40),
  });
  await startContainer(id, container('sleeper', ['/bin/sleep', '1000']), config);
  await engine.stop();
  assert.deepEqual(processesMentioning(engine.paths.socket), []);
  assert.deepEqual(processesMentioning(engine.paths.config), []);
  assert.deepEqual(mountsUnder(root), []);
  assert.equal(existsSync(`/run/netns/${engine.vpc.netns}`), false);
  assert.ok(!execFileSync('ip', ['-o', 'link', 'show']).toString().includes(engine.paths.hostLink));
  assert.ok(!execFileSync('ip', ['netns', 'list']).toString().includes(engine.vpc.netns));
  for (const h of readdirSync('/sys/fs/cgroup')) {
    assert.equal(existsSync(join('/sys/fs/cgroup', h, engine.paths.cgroupParent)), false, h);
  }
  assert.equal(
    existsSync(join(engine.paths.state, 'io.containerd.grpc.v1.cri', 'netns')) &&
      readdirSync(join(engine.paths.state, 'io.containerd.grpc.v1.cri', 'netns')).length > 0,
    false,
  );
});
