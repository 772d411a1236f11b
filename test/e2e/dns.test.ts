// Cluster DNS on `skiff up --runtime process`, served by the coredns pods Skiff creates in kube-system from the
// images it builds offline: with a node group, busybox `nslookup` from a pod finds a Service by short name and FQDN,
// `kubernetes.default`, a headless Service (one address per ready pod) and a StatefulSet pod `<name>-0.<svc>`;
// the kube-proxy and aws-node DaemonSet pods run on the node; coredns scaled to 0 breaks resolution and scaled
// back to 2 restores it.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeBusyboxImage } from '../../src/agent/engine/testing/busybox-image.js';
import { running, type Walkthrough, walkthrough } from './harness/cluster.js';
import { type SkiffProcess, startSkiff } from './harness/skiff.js';

const canRun =
  process.getuid?.() === 0 && existsSync('/usr/bin/containerd') && existsSync('/usr/sbin/iptables-restore');
const image = 'import.skiff.local/e2e/busybox:1';

const sleeper = () => ({
  containers: [{ name: 'main', image, imagePullPolicy: 'Never', command: ['sleep', '100000'] }],
  terminationGracePeriodSeconds: 0,
});

/**
 * busybox's nslookup applies the search path only to names without a dot, so `kubernetes.default` and
 * `db-0.db` are asked through glibc's resolver (getaddrinfo: search path and ndots:5) by node in a pod of the
 * coredns image, which Skiff built with the host's node and its libraries.
 */
const coreDnsImage = '602401143452.dkr.ecr.ap-northeast-2.amazonaws.com/eks/coredns:v1.11.4-eksbuild.2';
const resolver = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'resolver', namespace: 'default' },
  spec: {
    containers: [{ name: 'main', image: coreDnsImage, command: ['/usr/bin/node', '-e', 'setInterval(() => {}, 1e9)'] }],
    terminationGracePeriodSeconds: 0,
  },
};
const lookupScript = (name: string) =>
  `require('node:dns').lookup(${JSON.stringify(name)}, { all: true }, (e, a) => console.log(e ? e.code : a.map((x) => x.address).sort().join(' ')))`;

const objects = [
  resolver,
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client', namespace: 'default' }, spec: sleeper() },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: sleeper(),
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'db', namespace: 'default' },
    spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ name: 'pg', port: 5432 }] },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'default' },
    spec: {
      serviceName: 'db',
      replicas: 2,
      selector: { matchLabels: { app: 'db' } },
      template: { metadata: { labels: { app: 'db' } }, spec: sleeper() },
    },
  },
];

/** busybox nslookup's addresses for `name` (the lines after its Name: line), or its failure text. */
function addresses(output: string): string[] {
  const after = output
    .split(/^Name:\s+/m)
    .slice(1)
    .join('\n');
  return [...after.matchAll(/^Address:\s+(\d+\.\d+\.\d+\.\d+)$/gm)].map((m) => m[1]!).sort();
}

describe('cluster DNS from the coredns pods', { skip: !canRun && 'needs root and containerd' }, () => {
  let skiff: SkiffProcess;
  let w: Walkthrough;
  const kubectl = async (args: string[], input?: string) => {
    const out = await skiff.kubectl(args, input);
    assert.equal(out.code, 0, `kubectl ${args.join(' ')}: ${out.stderr}`);
    return out.stdout;
  };
  const nslookup = (name: string) => skiff.kubectl(['exec', 'client', '--', 'nslookup', name]);
  const lookup = async (name: string) =>
    (await kubectl(['exec', 'resolver', '--', '/usr/bin/node', '-e', lookupScript(name)])).trim();
  const ready = (pod: any) => pod.status?.conditions?.find((c: any) => c.type === 'Ready')?.status === 'True';
  const readyCoreDns = async () => (await w.pods('kube-system', 'k8s-app=kube-dns')).filter(ready);

  before(async () => {
    skiff = await startSkiff(['--runtime', 'process']);
    writeBusyboxImage(join(skiff.dataDir, 'busybox-layout'), image, 'dns');
    await skiff.importImage(join(skiff.dataDir, 'busybox-layout'));
    w = await walkthrough(skiff);
    await w.nodegroup('ng', 1);
    await kubectl(['apply', '-f', '-'], objects.map((o) => JSON.stringify(o)).join('\n'));
    await w.waitFor(async () => (await readyCoreDns()).length === 2, 'two ready coredns pods', 120_000);
    await w.waitFor(
      async () => running(await w.pods('default')).length === 5,
      'resolver, client, web, db-0 and db-1 running',
      120_000,
    );
  });
  after(async () => {
    await skiff?.stop();
  });

  it('runs the add-ons: coredns on the node group, kube-proxy and aws-node on its node', async () => {
    const dns = await readyCoreDns();
    assert.ok(dns.every((p) => p.spec.nodeName.startsWith('ip-')));
    for (const ds of ['kube-proxy', 'aws-node']) {
      const pods = await w.waitFor(
        async () => {
          const list = running(await w.pods('kube-system', `k8s-app=${ds}`));
          return list.length === 1 ? list : undefined;
        },
        `the ${ds} pod running`,
        60_000,
      );
      assert.match(pods[0].spec.nodeName, /^ip-/);
    }
    const logs = await kubectl(['logs', '-n', 'kube-system', 'daemonset/kube-proxy']);
    assert.match(logs, /Skiff's service proxy programs this node's Services/);
    const dnsLogs = await kubectl(['logs', '-n', 'kube-system', dns[0].metadata.name]);
    assert.match(dnsLogs, /^\.:53$/m);
    assert.match(dnsLogs, /CoreDNS-1\.11\.4/);
  });

  it('resolves a Service by short name and by FQDN', async () => {
    const clusterIP = (await w.kubectlJson('get', 'service', 'web')).spec.clusterIP;
    const short = await nslookup('web');
    assert.deepEqual(addresses(short.stdout), [clusterIP], short.stdout + short.stderr);
    assert.match(short.stdout, /Name:\s+web\.default\.svc\.cluster\.local/);
    const fqdn = await nslookup('web.default.svc.cluster.local');
    assert.deepEqual(addresses(fqdn.stdout), [clusterIP], fqdn.stdout + fqdn.stderr);
  });

  it('resolves kubernetes.default to the kubernetes Service', async () => {
    assert.equal(await lookup('kubernetes.default'), '10.100.0.1');
    const out = await nslookup('kubernetes.default.svc.cluster.local');
    assert.deepEqual(addresses(out.stdout), ['10.100.0.1'], out.stdout + out.stderr);
  });

  it('resolves a headless Service to one address per ready pod, and a StatefulSet pod by <name>-0.<svc>', async () => {
    const ips = (await w.pods('default', 'app=db')).map((p) => p.status.podIP as string).sort();
    const headless = await nslookup('db');
    assert.deepEqual(addresses(headless.stdout), ips, headless.stdout + headless.stderr);
    assert.equal(await lookup('db'), ips.join(' '));
    const db0 = (await w.kubectlJson('get', 'pod', 'db-0')).status.podIP;
    assert.equal(await lookup('db-0.db'), db0);
    const pod = await nslookup('db-0.db.default.svc.cluster.local');
    assert.deepEqual(addresses(pod.stdout), [db0], pod.stdout + pod.stderr);
  });

  it('answers NXDOMAIN for a Service that does not exist', async () => {
    const out = await nslookup('nothing-here.default.svc.cluster.local');
    assert.notEqual(out.code, 0);
    assert.match(out.stdout + out.stderr, /NXDOMAIN/);
  });

  it('stops resolving with coredns at 0 replicas and resolves again at 2', async () => {
    await kubectl(['scale', 'deployment', 'coredns', '-n', 'kube-system', '--replicas=0']);
    await w.waitFor(async () => (await w.pods('kube-system', 'k8s-app=kube-dns')).length === 0, 'coredns pods gone');
    const broken = await nslookup('web');
    assert.notEqual(broken.code, 0);
    assert.deepEqual(addresses(broken.stdout), []);
    await kubectl(['scale', 'deployment', 'coredns', '-n', 'kube-system', '--replicas=2']);
    await w.waitFor(async () => (await readyCoreDns()).length === 2, 'two ready coredns pods again', 120_000);
    const clusterIP = (await w.kubectlJson('get', 'service', 'web')).spec.clusterIP;
    await w.waitFor(async () => addresses((await nslookup('web')).stdout)[0] === clusterIP, 'web resolving again');
  });
});
