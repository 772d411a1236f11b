// The coredns EKS add-on on a cluster (`skiff up --runtime simulated`: the API and controllers are what is tested)
// with the real aws CLI: create-addon with configuration values taking over the coredns Skiff started with, the
// addon-active waiter, the Deployment at the configured replicas and ready, update-addon settled as a Successful
// AddonUpdate, then delete-addon with the addon-deleted waiter and the objects gone.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { walkthrough } from './harness/cluster.js';
import { startSkiff } from './harness/skiff.js';

it('installs, configures and deletes the coredns add-on with its waiters', {
  timeout: 600_000,
}, async () => {
  const skiff = await startSkiff(['--runtime', 'simulated']);
  try {
    const w = await walkthrough(skiff);
    await w.nodegroup('ng', 1);
    const aws = async (...args: string[]) => {
      const out = await w.aws('eks', ...args);
      assert.equal(out.code, 0, `aws eks ${args.join(' ')}: ${out.stderr}`);
      return out.stdout ? JSON.parse(out.stdout) : {};
    };
    const deployment = () => w.kubectlJson('get', 'deployment', 'coredns', '-n', 'kube-system');

    const created = await aws(
      'create-addon',
      '--cluster-name',
      'skiff',
      '--addon-name',
      'coredns',
      '--resolve-conflicts',
      'OVERWRITE',
      '--configuration-values',
      '{"replicaCount":3}',
    );
    assert.equal(created.addon.status, 'CREATING');
    await aws('wait', 'addon-active', '--cluster-name', 'skiff', '--addon-name', 'coredns');
    const d = await deployment();
    assert.equal(d.spec.replicas, 3);
    assert.equal(d.status.readyReplicas, 3);
    const { addon } = await aws('describe-addon', '--cluster-name', 'skiff', '--addon-name', 'coredns');
    assert.equal(addon.status, 'ACTIVE');
    assert.deepEqual(addon.health, { issues: [] });

    const { update } = await aws(
      'update-addon',
      '--cluster-name',
      'skiff',
      '--addon-name',
      'coredns',
      '--configuration-values',
      '{"replicaCount":2,"podLabels":{"team":"dns"}}',
    );
    assert.equal(update.type, 'AddonUpdate');
    const settled = await w.waitFor(
      async () => {
        const got = await aws(
          'describe-update',
          '--name',
          'skiff',
          '--addon-name',
          'coredns',
          '--update-id',
          update.id,
        );
        return got.update.status !== 'InProgress' && got.update;
      },
      'the add-on update to settle',
      120_000,
    );
    assert.equal(settled.status, 'Successful', JSON.stringify(settled.errors));
    const after = await deployment();
    assert.equal(after.spec.replicas, 2);
    assert.equal(after.spec.template.metadata.labels.team, 'dns');

    await aws('delete-addon', '--cluster-name', 'skiff', '--addon-name', 'coredns');
    await aws('wait', 'addon-deleted', '--cluster-name', 'skiff', '--addon-name', 'coredns');
    const gone = await skiff.kubectl(['get', 'deployment', 'coredns', '-n', 'kube-system']);
    assert.match(gone.stderr, /NotFound/);
    assert.deepEqual((await aws('list-addons', '--cluster-name', 'skiff')).addons, []);
  } finally {
    await skiff.stop();
  }
});
