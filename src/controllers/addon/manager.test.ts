// The add-on manager against an in-process kube API over the add-ons Skiff creates at start: an apply with
// configuration values and another version's image, refused on conflicts under NONE (nothing changed), PRESERVE
// keeping a user's field, OVERWRITE taking it, ACTIVE once the workload is ready, DEGRADED after the grace period,
// and a removal that deletes the objects (or, preserved, keeps them).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ensureAddons } from '../../addons/apply.js';
import type { AddonInfo } from '../../cloud/facts.js';
import { StaticClusterFacts } from '../../cloud/static.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { inProcessClient } from '../../kube/index.js';
import { startTestApi, type TestApi } from '../../kube/testing/api.js';
import { until } from '../../testing/until.js';
import { AddonManager } from './manager.js';

const values = { region: 'ap-northeast-2', clusterDns: '10.100.0.10', apiServer: 'https://10.0.0.1:6443' };
const deployRef = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'kube-system' };
let api: TestApi;
let client: KubeClient;
let facts: StaticClusterFacts;
let manager: AddonManager;
let generation = 0;

function coredns(over: Partial<AddonInfo> = {}): AddonInfo {
  return {
    name: 'coredns',
    status: 'CREATING',
    version: 'v1.11.3-eksbuild.2',
    manifest: 'coredns',
    workload: { kind: 'Deployment', name: 'coredns' },
    images: { 'eks/coredns': 'v1.11.3-eksbuild.2' },
    ...over,
  };
}

async function settle(addon: AddonInfo) {
  const before = facts.addonReports.length;
  facts.setAddons([addon]);
  await until(
    () => facts.addonReports.slice(before).find((r) => r.report.generation === addon.intent?.generation),
    'the intent settled',
  );
  return facts.addonReports.slice(before).find((r) => r.report.generation === addon.intent?.generation)!.report;
}

const intent = (resolveConflicts: 'OVERWRITE' | 'NONE' | 'PRESERVE', action: 'apply' | 'remove' = 'apply') => ({
  action,
  resolveConflicts,
  generation: ++generation,
});

async function markReady(replicas: number) {
  const d = await client.get<KubeObject>(deployRef, 'coredns');
  await client.update(
    {
      ...d,
      status: {
        observedGeneration: d.metadata.generation,
        replicas,
        readyReplicas: replicas,
        updatedReplicas: replicas,
      },
    },
    { subresource: 'status' },
  );
}

before(async () => {
  api = await startTestApi();
  client = inProcessClient(api.ctx);
  await ensureAddons(client, values);
  facts = new StaticClusterFacts();
  manager = new AddonManager({ client, facts, values, graceMs: 1500 });
  await manager.start();
});
after(async () => {
  manager?.stop();
  await api?.close();
});

describe('the add-on manager', () => {
  it('NONE refuses a change of fields another manager owns, and changes nothing', async () => {
    const report = await settle(coredns({ configurationValues: '{"replicaCount":3}', intent: intent('NONE') }));
    assert.equal(report.status, 'CREATE_FAILED');
    assert.equal(report.issues[0].code, 'ConfigurationConflict');
    assert.match(
      report.issues[0].message,
      /^Conflicts found when trying to apply\. Will not continue due to resolve conflicts mode\. Conflicts:\n/,
    );
    assert.match(report.issues[0].message, /Deployment\.apps coredns - \.spec\.replicas/);
    assert.equal((await client.get<any>(deployRef, 'coredns')).spec.replicas, 2);
  });

  it('OVERWRITE applies the configuration and the version, ACTIVE once the replicas are ready', async () => {
    const pending = settle(
      coredns({ configurationValues: '{"replicaCount":3,"podLabels":{"team":"dns"}}', intent: intent('OVERWRITE') }),
    );
    const d = await until(async () => {
      const got = await client.get<any>(deployRef, 'coredns');
      return got.spec.replicas === 3 && got;
    }, 'three replicas');
    assert.equal(d.spec.template.metadata.labels.team, 'dns');
    assert.match(d.spec.template.spec.containers[0].image, /eks\/coredns:v1\.11\.3-eksbuild\.2$/);
    await markReady(3);
    assert.deepEqual(await pending, { generation, status: 'ACTIVE', issues: [] });
  });

  it("PRESERVE keeps a user's value and applies the rest", async () => {
    await client.patch(deployRef, 'coredns', { spec: { replicas: 5 } }, 'merge', { fieldManager: 'kubectl-scale' });
    const pending = settle(
      coredns({
        status: 'UPDATING',
        configurationValues: '{"replicaCount":4,"podLabels":{"team":"net"}}',
        intent: intent('PRESERVE'),
      }),
    );
    await until(
      async () => (await client.get<any>(deployRef, 'coredns')).spec.template.metadata.labels.team === 'net',
      'the label',
    );
    const d = await client.get<any>(deployRef, 'coredns');
    assert.equal(d.spec.replicas, 5);
    await markReady(5);
    assert.equal((await pending).status, 'ACTIVE');
  });

  it('DEGRADED when the replicas are not ready within the grace period', async () => {
    await markReady(1);
    const report = await settle(
      coredns({ status: 'UPDATING', configurationValues: '{"replicaCount":5}', intent: intent('OVERWRITE') }),
    );
    assert.deepEqual(
      report.issues.map((i) => i.code),
      ['InsufficientNumberOfReplicas'],
    );
    assert.equal(report.status, 'DEGRADED');
  });

  it('removal deletes the objects; preserve keeps them', async () => {
    assert.equal(
      (await settle(coredns({ status: 'DELETING', intent: { ...intent('NONE', 'remove'), preserve: true } }))).status,
      'DELETED',
    );
    await client.get(deployRef, 'coredns');
    assert.equal((await settle(coredns({ status: 'DELETING', intent: intent('NONE', 'remove') }))).status, 'DELETED');
    await assert.rejects(client.get(deployRef, 'coredns'), /not found/);
    await assert.rejects(
      client.get({ apiVersion: 'v1', kind: 'Service', namespace: 'kube-system' }, 'kube-dns'),
      /not found/,
    );
  });
});
