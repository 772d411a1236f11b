// A managed node group's updates on a real cluster (`skiff up --runtime simulated`: the API and controllers are what
// is tested) with the real aws CLI: size, labels and taints changed with update-nodegroup-config and the Nodes
// following (the taint then removed again), then update-nodegroup-version rolling every node to the new AMI release
// while a PodDisruptionBudget keeps a Deployment's pods available.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import YAML from 'yaml';
import { running, walkthrough } from './harness/cluster.js';
import { startSkiff } from './harness/skiff.js';

it('node group config and version updates reach the Nodes', {
  timeout: 900_000,
}, async () => {
  const skiff = await startSkiff(['--runtime', 'simulated']);
  try {
    const w = await walkthrough(skiff);
    const aws = async (...args: string[]) => {
      const out = await w.aws('eks', ...args);
      assert.equal(out.code, 0, `aws eks ${args.join(' ')}: ${out.stderr}`);
      return out.stdout ? JSON.parse(out.stdout) : {};
    };
    const { cluster } = await aws('describe-cluster', '--name', 'skiff');
    await aws(
      'create-nodegroup',
      '--cluster-name',
      'skiff',
      '--nodegroup-name',
      'web',
      '--node-role',
      'arn:aws:iam::111122223333:role/node',
      '--subnets',
      ...cluster.resourcesVpcConfig.subnetIds.slice(2),
      '--scaling-config',
      'minSize=1,maxSize=4,desiredSize=1',
      '--release-version',
      '1.32.7-20250715',
      '--labels',
      'team=web',
    );
    await aws('wait', 'nodegroup-active', '--cluster-name', 'skiff', '--nodegroup-name', 'web');
    const nodes = () => w.nodes('eks.amazonaws.com/nodegroup=web');
    await w.waitFor(async () => (await nodes()).length === 1, 'one node');
    const settle = (id: string) =>
      w.waitFor(
        async () => {
          const got = await aws('describe-update', '--name', 'skiff', '--nodegroup-name', 'web', '--update-id', id);
          return got.update.status !== 'InProgress' && got.update;
        },
        `update ${id}`,
        300_000,
      );

    const config = await aws(
      'update-nodegroup-config',
      '--cluster-name',
      'skiff',
      '--nodegroup-name',
      'web',
      '--scaling-config',
      'desiredSize=2',
      '--labels',
      'addOrUpdateLabels={tier=api},removeLabels=team',
      '--taints',
      'addOrUpdateTaints=[{key=dedicated,value=web,effect=NO_SCHEDULE}]',
    );
    assert.equal((await settle(config.update.id)).status, 'Successful');
    const after = await nodes();
    assert.equal(after.length, 2);
    for (const node of after) {
      assert.equal(node.metadata.labels.tier, 'api');
      assert.equal(node.metadata.labels.team, undefined);
      assert.deepEqual(node.spec.taints, [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' }]);
    }
    const { nodegroup } = await aws('describe-nodegroup', '--cluster-name', 'skiff', '--nodegroup-name', 'web');
    assert.equal(nodegroup.status, 'ACTIVE');

    // A Deployment guarded by a budget on the group's nodes.
    const image = 'busybox:1.36';
    const manifest = {
      items: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'guarded', namespace: 'default' },
          spec: {
            replicas: 2,
            selector: { matchLabels: { app: 'guarded' } },
            template: {
              metadata: { labels: { app: 'guarded' } },
              spec: {
                tolerations: [{ key: 'dedicated', operator: 'Exists' }],
                nodeSelector: { 'eks.amazonaws.com/nodegroup': 'web' },
                terminationGracePeriodSeconds: 1,
                containers: [{ name: 'c', image, command: ['sh', '-c', 'sleep 3600'] }],
              },
            },
          },
        },
        {
          apiVersion: 'policy/v1',
          kind: 'PodDisruptionBudget',
          metadata: { name: 'guarded', namespace: 'default' },
          spec: { minAvailable: 1, selector: { matchLabels: { app: 'guarded' } } },
        },
      ],
    };
    const applied = await skiff.kubectl(
      ['apply', '-f', '-'],
      manifest.items.map((o) => YAML.stringify(o)).join('---\n'),
    );
    assert.equal(applied.code, 0, applied.stderr);
    await w.waitFor(async () => running(await w.pods('default', 'app=guarded')).length === 2, 'two guarded pods');

    // The taint goes again, so coredns (which does not tolerate it) can move to the new nodes during the roll.
    const untaint = await aws(
      'update-nodegroup-config',
      '--cluster-name',
      'skiff',
      '--nodegroup-name',
      'web',
      '--taints',
      'removeTaints=[{key=dedicated,value=web,effect=NO_SCHEDULE}]',
    );
    assert.equal((await settle(untaint.update.id)).status, 'Successful');
    for (const node of await nodes()) assert.equal(node.spec.taints, undefined);

    const version = await aws('update-nodegroup-version', '--cluster-name', 'skiff', '--nodegroup-name', 'web');
    let fewest = 2;
    const rolled = w.waitFor(
      async () => {
        fewest = Math.min(fewest, running(await w.pods('default', 'app=guarded')).length);
        const got = await aws(
          'describe-update',
          '--name',
          'skiff',
          '--nodegroup-name',
          'web',
          '--update-id',
          version.update.id,
        );
        return got.update.status !== 'InProgress' && got.update;
      },
      'the version update',
      600_000,
    );
    const done = await rolled;
    assert.equal(done.status, 'Successful');
    assert.ok(fewest >= 1, 'the budget kept a pod running');
    const rolledNodes = await nodes();
    assert.equal(rolledNodes.length, 2);
    for (const node of rolledNodes) {
      assert.notEqual(node.metadata.name, after[0].metadata.name);
      assert.notEqual(node.metadata.name, after[1].metadata.name);
      assert.match(node.status.nodeInfo.kubeletVersion, /^v1\.32\.9-eks-/);
    }
    const final = await aws('describe-nodegroup', '--cluster-name', 'skiff', '--nodegroup-name', 'web');
    assert.equal(final.nodegroup.releaseVersion, '1.32.9-20251120');
  } finally {
    await skiff.stop();
  }
});
