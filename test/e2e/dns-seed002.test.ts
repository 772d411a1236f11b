// Seed 002's CoreDNS step on a Fargate-only cluster (`skiff up --runtime process`, real kubectl and aws CLI): the
// coredns Deployment Skiff created stays Pending (its pod template opts out of Fargate with
// eks.amazonaws.com/compute-type: ec2 and there is no node group); the user backs up the coredns ConfigMap and
// registers a domain in the Corefile, creates the kube-system profile, removes the annotation and restarts the
// rollout; coredns runs on Fargate nodes and a Fargate pod's nslookup answers cluster names and the domain.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeBusyboxImage } from '../../src/agent/engine/testing/busybox-image.js';
import { coreDnsToFargate, running, type Walkthrough, walkthrough } from './harness/cluster.js';
import { createSeed002Profile, seed002Cluster } from './harness/seed002.js';
import { type SkiffProcess, startSkiff } from './harness/skiff.js';

const canRun =
  process.getuid?.() === 0 && existsSync('/usr/bin/containerd') && existsSync('/usr/sbin/iptables-restore');
const image = 'import.skiff.local/e2e/busybox:1';
const CLUSTER = seed002Cluster;

describe('seed 002: CoreDNS moves onto Fargate', { skip: !canRun && 'needs root and containerd' }, () => {
  let skiff: SkiffProcess;
  let w: Walkthrough;
  const kubectl = async (args: string[], input?: string) => {
    const out = await skiff.kubectl(args, input);
    assert.equal(out.code, 0, `kubectl ${args.join(' ')}: ${out.stderr}`);
    return out.stdout;
  };

  before(async () => {
    skiff = await startSkiff(['--name', CLUSTER, '--runtime', 'process']);
    writeBusyboxImage(join(skiff.dataDir, 'busybox-layout'), image, 'seed002');
    await skiff.importImage(join(skiff.dataDir, 'busybox-layout'));
    w = await walkthrough(skiff);
  });
  after(async () => {
    await skiff?.stop();
  });

  it('keeps coredns Pending while it opts out of Fargate on a cluster without nodes', async () => {
    const pods = await w.waitFor(async () => {
      const list = await w.pods('kube-system', 'k8s-app=kube-dns');
      return list.length === 2 ? list : undefined;
    }, 'two coredns pods');
    for (const pod of pods) {
      assert.equal(pod.status.phase, 'Pending');
      assert.equal(pod.spec.schedulerName, 'default-scheduler');
      assert.equal(pod.spec.nodeName, undefined);
    }
  });

  it('runs coredns on Fargate after the profile, the patch and the restart; DNS answers from a Fargate pod', async () => {
    const backup = await kubectl(['get', 'cm', 'coredns', '-n', 'kube-system', '-o', 'yaml']);
    assert.match(backup, /kubernetes cluster\.local in-addr\.arpa ip6\.arpa/);
    const configMap = await w.kubectlJson('get', 'cm', 'coredns', '-n', 'kube-system');
    configMap.data.Corefile = configMap.data.Corefile.replace(
      '    ready\n',
      '    ready\n    hosts {\n      10.6.180.43 local-domain.com\n      fallthrough\n    }\n',
    );
    await kubectl(['apply', '-f', '-'], JSON.stringify(configMap));

    await createSeed002Profile(w, 'ops-kube-system', 'kube-system');
    await kubectl(coreDnsToFargate);
    await kubectl(['rollout', 'restart', 'deployment/coredns', '-n', 'kube-system']);
    const status = await kubectl(['rollout', 'status', 'deployment/coredns', '-n', 'kube-system', '--timeout=180s']);
    assert.match(status, /deployment "coredns" successfully rolled out/);
    const dns = running(await w.pods('kube-system', 'k8s-app=kube-dns')).filter((p) => !p.metadata.deletionTimestamp);
    assert.equal(dns.length, 2);
    for (const pod of dns) {
      assert.match(pod.spec.nodeName, /^fargate-ip-/);
      assert.equal(pod.metadata.labels['eks.amazonaws.com/fargate-profile'], 'ops-kube-system');
    }

    await createSeed002Profile(w, 'app-ns-app', 'app');
    await kubectl(['create', 'namespace', 'app']);
    const client = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'client', namespace: 'app' },
      spec: {
        containers: [{ name: 'main', image, imagePullPolicy: 'Never', command: ['sleep', '100000'] }],
        terminationGracePeriodSeconds: 0,
      },
    };
    await kubectl(['apply', '-f', '-'], JSON.stringify(client));
    const pod = await w.waitFor(
      async () => running(await w.pods('app')).find((p) => p.metadata.name === 'client'),
      'the Fargate client pod',
      120_000,
    );
    assert.match(pod.spec.nodeName, /^fargate-ip-/);
    const lookup = async (name: string) => {
      const out = await skiff.kubectl(['exec', '-n', 'app', 'client', '--', 'nslookup', name]);
      return out.stdout + out.stderr;
    };
    assert.match(
      await lookup('kubernetes.default.svc.cluster.local'),
      /Name:\s+kubernetes\.default\.svc\.cluster\.local\nAddress: 10\.100\.0\.1\n/,
    );
    assert.match(await lookup('local-domain.com'), /Name:\s+local-domain\.com\nAddress: 10\.6\.180\.43\n/);
  });
});
