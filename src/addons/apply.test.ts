// The add-ons against an in-process kube API: every object of data/addons created in kube-system with the
// cluster's values, RBAC kinds (not served) reported, and a second start creating nothing and keeping a user's
// scale and a removed pod-template annotation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inProcessClient } from '../kube/index.js';
import { startTestApi, type TestApi } from '../kube/testing/api.js';
import { ensureAddons } from './apply.js';
import { addonImages } from './manifests.js';

const values = { region: 'ap-northeast-2', clusterDns: '10.100.0.10', apiServer: 'https://10.0.0.1:6443' };
let api: TestApi;
before(async () => {
  api = await startTestApi();
});
after(async () => {
  await api?.close();
});

describe('ensureAddons', () => {
  it('creates coredns, kube-dns, kube-proxy and aws-node as EKS has them', async () => {
    const client = inProcessClient(api.ctx);
    const result = await ensureAddons(client, values);
    assert.ok(result.created.includes('Deployment kube-system/coredns'));
    assert.ok(result.created.includes('ClusterRole system:coredns'));
    const deploy: any = await client.get(
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'kube-system' },
      'coredns',
    );
    assert.equal(deploy.spec.replicas, 2);
    assert.equal(deploy.spec.template.metadata.annotations['eks.amazonaws.com/compute-type'], 'ec2');
    assert.deepEqual(deploy.metadata.labels['eks.amazonaws.com/component'], 'coredns');
    assert.equal(
      deploy.spec.template.spec.containers[0].image,
      '602401143452.dkr.ecr.ap-northeast-2.amazonaws.com/eks/coredns:v1.11.4-eksbuild.2',
    );
    const svc: any = await client.get({ apiVersion: 'v1', kind: 'Service', namespace: 'kube-system' }, 'kube-dns');
    assert.equal(svc.spec.clusterIP, '10.100.0.10');
    assert.deepEqual(
      svc.spec.ports.map((p: any) => `${p.name} ${p.port}/${p.protocol}`),
      ['dns 53/UDP', 'dns-tcp 53/TCP', 'metrics 9153/TCP'],
    );
    for (const name of ['kube-proxy', 'aws-node']) {
      const ds: any = await client.get({ apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: 'kube-system' }, name);
      const terms = ds.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution;
      const notIn = terms.nodeSelectorTerms[0].matchExpressions.find((e: any) => e.operator === 'NotIn');
      assert.deepEqual(notIn, {
        key: 'eks.amazonaws.com/compute-type',
        operator: 'NotIn',
        values: ['fargate', 'hybrid', 'auto'],
      });
    }
    const cm: any = await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'kube-system' }, 'kube-proxy');
    assert.match(cm.data.kubeconfig, /server: https:\/\/10\.0\.0\.1:6443/);
  });

  it('keeps what exists on the next start, with the user’s changes', async () => {
    const client = inProcessClient(api.ctx);
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'kube-system' };
    await client.patch(ref, 'coredns', { spec: { replicas: 3 } }, 'merge');
    await client.patch(
      ref,
      'coredns',
      [{ op: 'remove', path: '/spec/template/metadata/annotations/eks.amazonaws.com~1compute-type' }],
      'json',
    );
    const again = await ensureAddons(client, values);
    assert.deepEqual(again.created, []);
    const deploy: any = await client.get(ref, 'coredns');
    assert.equal(deploy.spec.replicas, 3);
    assert.equal(deploy.spec.template.metadata.annotations?.['eks.amazonaws.com/compute-type'], undefined);
  });
});

describe('addonImages', () => {
  it('lists each image the add-ons run once, in the region’s ECR', () => {
    assert.deepEqual(addonImages(values), [
      '602401143452.dkr.ecr.ap-northeast-2.amazonaws.com/eks/coredns:v1.11.4-eksbuild.2',
      '602401143452.dkr.ecr.ap-northeast-2.amazonaws.com/eks/kube-proxy:v1.32.0-minimal-eksbuild.2',
      '602401143452.dkr.ecr.ap-northeast-2.amazonaws.com/amazon-k8s-cni-init:v1.19.2-eksbuild.1',
      '602401143452.dkr.ecr.ap-northeast-2.amazonaws.com/amazon-k8s-cni:v1.19.2-eksbuild.1',
      '602401143452.dkr.ecr.ap-northeast-2.amazonaws.com/amazon/aws-network-policy-agent:v1.1.6-eksbuild.1',
    ]);
  });
});
