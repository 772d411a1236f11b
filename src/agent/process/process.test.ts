// The process driver end to end (root and containerd needed, skipped otherwise): the real kube API, Skiff's
// containerd with busybox imported from an OCI layout, the agent on a node-group node and a Fargate node: pods run
// as runc containers with their IPs, env, limits and rlimits; an exit code comes back; a graceful delete stops one.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fargateRlimits } from '../../fargate/limits.js';
import type { KubeClient } from '../../kube/client/types.js';
import { inProcessClient } from '../../kube/index.js';
import { startTestApi, type TestApi } from '../../kube/testing/api.js';
import { until } from '../../testing/until.js';
import { type Agent, startAgent } from '../agent.js';
import { type ContainerEngine, startContainerEngine } from '../engine/engine.js';
import { writeBusyboxImage } from '../engine/testing/busybox-image.js';
import { eventsOf, hostName, messagesOf, nodeObject, podObject, podRef, podWhere } from '../testing/harness.js';
import { createProcessDriver } from './index.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/bin/containerd');
const skip = !canRun && 'needs root and containerd';
const image = 'skiff.test/busybox:1.36';
const cidrByte = 100 + Math.floor(Math.random() * 100);
const ip = (n: number) => `10.${cidrByte}.1.${n}`;
const nodeRef = { apiVersion: 'v1', kind: 'Node' };
let root: string;
let api: TestApi;
let client: KubeClient;
let engine: ContainerEngine;
let agent: Agent;
const errors: unknown[] = [];
let written: ReturnType<typeof writeBusyboxImage>;

before(async () => {
  if (!canRun) return;
  root = mkdtempSync(join(tmpdir(), 'skiff-process-'));
  engine = await startContainerEngine({ dataDir: root, vpcCidr: `10.${cidrByte}.0.0/16`, logRotation: false });
  written = writeBusyboxImage(join(root, 'layout'), image);
  await engine.importImages(join(root, 'layout'));
  api = await startTestApi();
  client = inProcessClient(api.ctx);
  agent = await startAgent({
    client,
    hostName,
    tls: await api.agentTls(hostName),
    capacity: { cpuMillis: 2000, memoryMiB: 4096, sandboxes: 10 },
    driver: createProcessDriver(engine, {
      exitPollMs: 50,
      lifecycle: { backOff: { baseMs: 200, maxMs: 800 }, resyncMs: 20 },
    }),
    intervals: { hostLeaseRenewMs: 200, nodeLeaseRenewMs: 200, nodeStatusMs: 500, metricsMs: 200, statusBatchMs: 5 },
    onError: (error) => errors.push(error),
  });
  await client.create(nodeObject('ng-node', ip(1), { podIPs: [ip(10), ip(11), ip(12)] }));
  const fargate = nodeObject('fargate-ip-1', ip(20), { fargate: true });
  await client.create(fargate);
});

after(async () => {
  await agent?.stop();
  await engine?.stop();
  await api?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

const busybox = (name: string, script: string, extra: Record<string, unknown> = {}) => ({
  name,
  image,
  command: ['/bin/sh', '-c'],
  args: [script],
  ...extra,
});

const bareId = (id: string) => id.replace(/^containerd:\/\//, '');

test('a busybox pod runs in a runc container with its IP, env, memory limit and open-files limit', {
  skip,
}, async () => {
  await client.create(
    podObject('web', 'ng-node', {
      terminationGracePeriodSeconds: 30,
      containers: [
        busybox('web', 'trap "exit 0" TERM; echo "ip=$POD_IP in $(pwd)"; while true; do sleep 0.1; done', {
          env: [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
          workingDir: '/www',
          readinessProbe: { exec: { command: ['/bin/cat', '/www/index.html'] }, periodSeconds: 1 },
          resources: { requests: { cpu: '100m', memory: '32Mi' }, limits: { cpu: '500m', memory: '64Mi' } },
        }),
      ],
    }),
  );
  const ready = (p: any) => p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');
  const pod = await podWhere(client, 'web', ready, 'Ready by its exec probe', 30_000);
  const status = pod.status.containerStatuses[0];
  assert.match(status.containerID, /^containerd:\/\/[0-9a-f]{64}$/);
  assert.equal(pod.status.podIP, ip(10));
  assert.equal(status.image, image);
  // An imported image is also named by its digest, as a pulled one: the kubelet shows that repository digest.
  assert.equal(status.imageID, `skiff.test/busybox@${written.manifestDigest}`);
  assert.ok(status.state.running?.startedAt);
  const id = bareId(status.containerID);
  const exec = async (cmd: string) => (await engine.cri.execSync(id, ['/bin/sh', '-c', cmd])).stdout.toString();
  assert.match(await exec(`ip -o addr show eth0`), new RegExp(`inet ${ip(10).replaceAll('.', '\\.')}/16`));
  assert.equal(await exec('cat /sys/fs/cgroup/memory/memory.limit_in_bytes'), `${64 * 1024 * 1024}\n`);
  assert.equal(await exec('cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us'), '50000\n');
  const ownHard = Number(/Max open files\s+\S+\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'))![1]);
  const limits = await exec('cat /proc/1/limits');
  assert.match(
    limits,
    new RegExp(
      `Max open files\\s+${fargateRlimits.nofile.soft}\\s+${Math.min(fargateRlimits.nofile.hard, ownHard)}\\s`,
    ),
  );
  const log = readFileSync(join(root, 'logs', 'pods', `default_web_${pod.metadata.uid}`, 'web', '0.log'), 'utf8');
  assert.match(log, new RegExp(`stdout F ip=${ip(10).replaceAll('.', '\\.')} in /www\n`));
  const metrics = await until(
    () =>
      client.get({ ...podRef, apiVersion: 'metrics.k8s.io/v1beta1', kind: 'PodMetrics' }, 'web').catch(() => undefined),
    'PodMetrics of web',
  );
  assert.match(metrics.containers[0].usage.cpu, /^\d+n$/);
  assert.ok(Number.parseInt(metrics.containers[0].usage.memory, 10) > 0, metrics.containers[0].usage.memory);
  assert.deepEqual(
    messagesOf(await eventsOf(client, 'web')).filter((m) => !m.startsWith('Scheduled')),
    [
      `Pulled: Container image "${image}" already present on machine`,
      'Created: Created container: web',
      'Started: Started container web',
    ],
  );
});

test('a container that exits 3 leaves its pod Failed with exit code 3; OnFailure restarts it', { skip }, async () => {
  await client.create(
    podObject('again', 'ng-node', { restartPolicy: 'OnFailure', containers: [busybox('main', 'exit 1')] }),
  );
  await client.create(
    podObject('three', 'ng-node', { restartPolicy: 'Never', containers: [busybox('main', 'exit 3')] }),
  );
  const pod = await podWhere(client, 'three', (p) => p.status?.phase === 'Failed', 'Failed', 30_000);
  const terminated = pod.status.containerStatuses[0].state.terminated;
  assert.equal(terminated.exitCode, 3);
  assert.equal(terminated.reason, 'Error');
  assert.match(terminated.containerID, /^containerd:\/\/[0-9a-f]{64}$/);
  const again = await podWhere(client, 'again', (p) => p.status?.containerStatuses?.[0]?.restartCount >= 2, 'restarts');
  assert.equal(again.status.containerStatuses[0].lastState.terminated?.exitCode, 1);
  await client.delete(podRef, 'again', { gracePeriodSeconds: 0 });
  await until(
    async () =>
      !(await engine.cri.listPodSandbox({ labelSelector: { 'io.kubernetes.pod.uid': pod.metadata.uid! } })).length,
    'the finished pod sandbox released',
  );
});

test('a Fargate pod is capped at its provisioned size', { skip }, async () => {
  await client.create(
    podObject(
      'small',
      'fargate-ip-1',
      { schedulerName: 'fargate-scheduler', containers: [busybox('main', 'sleep 1000')] },
      {
        annotations: { CapacityProvisioned: '0.25vCPU 0.5GB' },
      },
    ),
  );
  const pod = await podWhere(client, 'small', (p) => p.status?.phase === 'Running', 'Running', 30_000);
  assert.equal(pod.status.podIP, ip(20));
  const id = bareId(pod.status.containerStatuses[0].containerID);
  const read = async (file: string) => (await engine.cri.execSync(id, ['/bin/cat', file])).stdout.toString();
  assert.equal(await read('/sys/fs/cgroup/memory/memory.limit_in_bytes'), `${512 * 1024 * 1024}\n`);
  assert.equal(await read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us'), '25000\n');
  await client.delete(podRef, 'small', { gracePeriodSeconds: 0 });
});

test('a graceful delete stops the container with SIGTERM and removes its sandbox', { skip }, async () => {
  const pod = await client.get(podRef, 'web');
  const id = bareId(pod.status.containerStatuses[0].containerID);
  await client.delete(podRef, 'web', { gracePeriodSeconds: 30 });
  await until(async () => !(await client.get(podRef, 'web').catch(() => undefined)), 'web deleted', 20_000);
  assert.deepEqual(await engine.cri.listContainers({ id }), []);
  const killing = messagesOf(await eventsOf(client, 'web'), 'Killing');
  assert.deepEqual(killing, ['Killing: Stopping container web']);
  assert.deepEqual(errors, []);
  assert.ok(await client.get(nodeRef, 'ng-node'));
});
