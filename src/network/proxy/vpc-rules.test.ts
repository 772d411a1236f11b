// The VPC's ruleset shared by several clusters' proxies: one load holds every cluster's rules, an unchanged text is
// not loaded again, a cluster's removal takes its chains out, and loads never overlap.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { KubeObject } from '../../kube/api/types.js';
import { chainName } from './chains.js';
import { proxyInput as input } from './testing.js';
import { firstCluster, VpcRules } from './vpc-rules.js';

const web: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default' },
  spec: { type: 'ClusterIP', clusterIP: '172.20.7.7', ports: [{ port: 80, protocol: 'TCP' }] },
};

it("loads every cluster's rules together, once per change, and drops a cluster's with it", async () => {
  const loaded: string[] = [];
  let running = 0;
  const rules = new VpcRules('skiff-vpc', async (netns, text) => {
    assert.equal(netns, 'skiff-vpc');
    assert.equal(running++, 0, 'loads never overlap');
    await new Promise((resolve) => setTimeout(resolve, 5));
    loaded.push(text);
    running--;
  });
  const theirs = chainName('KUBE-CSVCS', 'second');
  await Promise.all([
    rules.update(firstCluster, input()),
    rules.update('second', input({ services: [web], pods: [{ ip: '10.0.3.8', nodeName: 'fargate-ip-10-0-3-8' }] })),
  ]);
  assert.ok(loaded.at(-1)!.includes(`-A KUBE-CLUSTERS -s 10.0.3.8/32 -g ${theirs}`));
  assert.ok(loaded.at(-1)!.includes('"default/web has no endpoints" -j REJECT'));
  const count = loaded.length;
  await rules.update('second', input({ services: [web], pods: [{ ip: '10.0.3.8', nodeName: 'fargate-ip-10-0-3-8' }] }));
  assert.equal(loaded.length, count, 'an unchanged ruleset is not loaded again');
  await rules.remove('second');
  assert.ok(!loaded.at(-1)!.includes('KUBE-CLUSTERS'));
  assert.ok(!loaded.at(-1)!.includes(theirs));
});
