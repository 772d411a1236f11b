// The CoreDNS step against a real in-process kube API over HTTPS: which selectors trigger it, which kubeconfig it
// uses, the skip without a coredns Deployment, the patch, the wait's timeout text, and the wait succeeding once
// the Deployment is ready and its pods run on fargate-* nodes (written through the API as a scheduler would).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { KubeObject } from '../../kube/api/types.js';
import { HttpKubeClient } from '../../kube/client/http.js';
import { startTestApi, type TestApi } from '../../kube/testing/api.js';
import { writeKubeconfig } from '../cluster/kubeconfig.js';
import { CliError } from '../errors.js';
import { moveCoreDNSOntoFargate, scheduleCoreDNSOnFargate, selectsCoreDNS, skiffKubeconfigPath } from './coredns.js';

let api: TestApi;
let dataDir: string;
let client: HttpKubeClient;
let lines: string[];
const log = { info: (m: string) => lines.push(`info ${m}`), warning: (m: string) => lines.push(`warning ${m}`) };

const deployments = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'kube-system' };
const pods = { apiVersion: 'v1', kind: 'Pod', namespace: 'kube-system' };
const component = { 'eks.amazonaws.com/component': 'coredns', 'k8s-app': 'kube-dns' };

function coreDNSDeployment(annotations: Record<string, string>): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'coredns', namespace: 'kube-system', labels: component },
    spec: {
      replicas: 2,
      selector: { matchLabels: component },
      template: {
        metadata: { labels: component, annotations },
        spec: {
          containers: [{ name: 'coredns', image: 'coredns/coredns:1.11.1', args: ['-conf', '/etc/coredns/Corefile'] }],
        },
      },
    },
  };
}

/** Plays the part of the fargate-scheduler and the kubelet: binds a CoreDNS pod to a fargate node, marks it Running. */
async function runOnFargate(name: string, ip: string): Promise<void> {
  await client.create<KubeObject>({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'kube-system',
      labels: component,
      annotations: { 'eks.amazonaws.com/compute-type': 'fargate' },
    },
    spec: { containers: [{ name: 'coredns', image: 'coredns/coredns:1.11.1' }] },
  });
  const node = `fargate-ip-${ip.replaceAll('.', '-')}.ap-northeast-2.compute.internal`;
  await client.createSubresource(pods, name, 'binding', {
    apiVersion: 'v1',
    kind: 'Binding',
    metadata: { name },
    target: { apiVersion: 'v1', kind: 'Node', name: node },
  });
  const pod = await client.get(pods, name);
  await client.update({ ...pod, status: { ...pod.status, phase: 'Running' } }, { subresource: 'status' });
}

async function removeCoreDNS(): Promise<void> {
  await client.delete(deployments, 'coredns').catch(() => {});
  for (const p of (await client.list(pods)).items)
    await client.delete(pods, p.metadata.name as string, { gracePeriodSeconds: 0 });
}

before(async () => {
  api = await startTestApi();
  dataDir = join(api.dir, 'skiff-data');
  writeKubeconfig(join(dataDir, 'kubeconfig'), {
    name: 'skiff',
    server: api.server.url,
    caCert: api.caCert,
    token: api.token,
  });
  client = HttpKubeClient.fromKubeconfig(join(dataDir, 'kubeconfig'));
});

after(async () => {
  client?.close();
  await api?.close();
});

beforeEach(async () => {
  lines = [];
  await removeCoreDNS();
});

describe('selectsCoreDNS', () => {
  it('kube-system with no labels or exactly the coredns component label', () => {
    assert.equal(selectsCoreDNS([{ namespace: 'kube-system' }]), true);
    assert.equal(selectsCoreDNS([{ namespace: 'default' }, { namespace: 'kube-system', labels: {} }]), true);
    assert.equal(
      selectsCoreDNS([{ namespace: 'kube-system', labels: { 'eks.amazonaws.com/component': 'coredns' } }]),
      true,
    );
    assert.equal(selectsCoreDNS([{ namespace: 'kube-system', labels: { app: 'x' } }]), false);
    assert.equal(selectsCoreDNS([{ namespace: 'default' }]), false);
    assert.equal(selectsCoreDNS([]), false);
  });
});

describe('skiffKubeconfigPath', () => {
  it('--data-dir first, then the default data dir when it has a kubeconfig, then $KUBECONFIG', () => {
    const saved = process.env.SKIFF_DATA_DIR;
    try {
      assert.equal(skiffKubeconfigPath('/srv/skiff', {}), '/srv/skiff/kubeconfig');
      process.env.SKIFF_DATA_DIR = dataDir;
      assert.equal(skiffKubeconfigPath(undefined, { KUBECONFIG: '/elsewhere' }), join(dataDir, 'kubeconfig'));
      const empty = join(api.dir, 'empty');
      mkdirSync(empty, { recursive: true });
      process.env.SKIFF_DATA_DIR = empty;
      assert.equal(skiffKubeconfigPath(undefined, { KUBECONFIG: '/a/config:/b/config' }), '/a/config');
      assert.equal(skiffKubeconfigPath(undefined, {}), join(empty, 'kubeconfig'));
    } finally {
      if (saved === undefined) delete process.env.SKIFF_DATA_DIR;
      else process.env.SKIFF_DATA_DIR = saved;
    }
  });
});

describe('scheduleCoreDNSOnFargate', () => {
  it('skips with a log line when kube-system has no coredns Deployment', async () => {
    const outcome = await scheduleCoreDNSOnFargate(client, { timeoutMs: 1000, log });
    assert.equal(outcome, 'no-deployment');
    assert.deepEqual(lines, [
      'info no "coredns" deployment in namespace "kube-system"; skipping scheduling "coredns" onto Fargate',
    ]);
  });

  it("annotates the pod template, keeps the rest, and logs eksctl's timeout text when the pods never run", async () => {
    await client.create(coreDNSDeployment({ 'eks.amazonaws.com/compute-type': 'ec2', keep: 'me' }));
    const started = Date.now();
    const outcome = await scheduleCoreDNSOnFargate(client, { timeoutMs: 300, pollMs: 50, log });
    assert.equal(outcome, 'timed-out');
    assert.ok(Date.now() - started < 2000);
    const patched = await client.get(deployments, 'coredns');
    assert.deepEqual(patched.spec.template.metadata.annotations, {
      'eks.amazonaws.com/compute-type': 'fargate',
      keep: 'me',
    });
    assert.deepEqual(patched.spec.template.spec.containers[0].args, ['-conf', '/etc/coredns/Corefile']);
    assert.equal(patched.spec.replicas, 2);
    assert.deepEqual(lines, [
      'info "coredns" pods are now scheduled onto Fargate',
      'info "coredns" is now schedulable onto Fargate',
      'warning timed out while waiting for "coredns" to be scheduled on Fargate',
    ]);
  });

  it('finishes once the Deployment is ready and every CoreDNS pod runs on a fargate node', async () => {
    await client.create(coreDNSDeployment({}));
    await runOnFargate('coredns-a', '10.0.130.7');
    await client.create<KubeObject>({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'coredns-b', namespace: 'kube-system', labels: component },
      spec: { containers: [{ name: 'coredns', image: 'coredns/coredns:1.11.1' }] },
    });
    const waiting = scheduleCoreDNSOnFargate(client, { timeoutMs: 10_000, pollMs: 50, log });
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(lines, ['info "coredns" is now schedulable onto Fargate']);
    // The Deployment reports both replicas ready, then the pending non-Fargate pod goes away.
    const deployment = await client.get(deployments, 'coredns');
    await client.update({ ...deployment, status: { replicas: 2, readyReplicas: 2 } }, { subresource: 'status' });
    await new Promise((r) => setTimeout(r, 200));
    await client.delete(pods, 'coredns-b', { gracePeriodSeconds: 0 });
    assert.equal(await waiting, 'scheduled');
    assert.deepEqual(lines, [
      'info "coredns" is now schedulable onto Fargate',
      'info "coredns" is now scheduled onto Fargate',
      'info "coredns" pods are now scheduled onto Fargate',
    ]);
  });

  it('leaves an already scheduled CoreDNS alone', async () => {
    const created = await client.create(coreDNSDeployment({ 'eks.amazonaws.com/compute-type': 'fargate' }));
    await runOnFargate('coredns-a', '10.0.130.7');
    await runOnFargate('coredns-b', '10.0.130.8');
    await client.update({ ...created, status: { replicas: 2, readyReplicas: 2 } }, { subresource: 'status' });
    const before = (await client.get(deployments, 'coredns')).metadata.resourceVersion;
    assert.equal(await scheduleCoreDNSOnFargate(client, { timeoutMs: 1000, log }), 'scheduled');
    assert.equal((await client.get(deployments, 'coredns')).metadata.resourceVersion, before);
    assert.equal(lines.length, 2);
  });
});

describe('moveCoreDNSOntoFargate', () => {
  it('uses D/kubeconfig of --data-dir', async () => {
    await client.create(coreDNSDeployment({}));
    assert.equal(await moveCoreDNSOntoFargate({ dataDir, timeoutMs: 100 }), 'timed-out');
    const patched = await client.get(deployments, 'coredns');
    assert.equal(patched.spec.template.metadata.annotations['eks.amazonaws.com/compute-type'], 'fargate');
  });

  it('a data dir without a kubeconfig is a one-line CliError that names the file', async () => {
    const missing = join(api.dir, 'no-skiff');
    await assert.rejects(
      moveCoreDNSOntoFargate({ dataDir: missing, timeoutMs: 100 }),
      (e: Error) =>
        e instanceof CliError && e.message.includes(join(missing, 'kubeconfig')) && !e.message.includes('\n'),
    );
  });
});
