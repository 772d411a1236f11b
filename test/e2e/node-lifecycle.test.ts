// Node lifecycle on `skiff up --runtime simulated` with the real kubectl 1.32 and 1.28: the test plays a kubelet
// (node status heartbeats through `kubectl patch --subresource=status`) that then stops; the node turns Unknown
// (NodeStatusUnknown), `kubectl describe node` shows its Conditions and the unreachable taints, the taint manager
// evicts its Deployment pod after the pod's tolerationSeconds and the ReplicaSet's replacement runs on a node-group
// node. A node whose kubelet never posts is Unknown with NodeStatusNeverUpdated. `kubectl get cs` answers from
// the control plane that runs them.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Walkthrough, walkthrough } from './harness/cluster.js';
import { run, type SkiffProcess, startSkiff } from './harness/skiff.js';

const kubectl128 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.28';
const kubectls = [
  { version: '1.32', bin: 'kubectl' },
  ...(existsSync(kubectl128) ? [{ version: '1.28', bin: kubectl128 }] : []),
];

let skiff: SkiffProcess;
let w: Walkthrough;

before(async () => {
  skiff = await startSkiff([
    '--runtime',
    'simulated',
    // Above the agents' 10 s Lease renewals, as kube's 50 s is.
    '--node-monitor-grace-period',
    '15s',
    '--node-startup-grace-period',
    '15s',
  ]);
  w = await walkthrough(skiff);
  await w.nodegroup('workers', 1);
  await w.waitFor(async () => {
    const nodes = await w.nodes('eks.amazonaws.com/nodegroup=workers');
    return nodes.some((n) => n.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'));
  }, 'the node group node Ready');
});
after(() => skiff?.stop());

const deployment = (ns: string, ghost: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ${ns}}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      affinity:
        nodeAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 100
              preference: {matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [${ghost}]}]}
      tolerations:
        - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 3}
      containers: [{name: web, image: nginx:1.27}]
`;

for (const k of kubectls) {
  describe(`with kubectl ${k.version}`, () => {
    const kubectl = (...args: string[]) => run(k.bin, args, { env: { KUBECONFIG: skiff.kubeconfig } });
    const json = async (...args: string[]) => {
      const out = await kubectl(...args, '-o', 'json');
      assert.equal(out.code, 0, out.stderr);
      return JSON.parse(out.stdout);
    };
    const ns = `nl-${k.version.replace('.', '')}`;
    const ghost = `ghost-${k.version.replace('.', '')}`;
    const ready = (c: any) => c.type === 'Ready';

    /** The kubelet's status post: Ready True with a fresh heartbeat, and what it can hold. */
    async function heartbeat(): Promise<void> {
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      const conditions = [
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
      ].map((c) => ({ ...c, lastHeartbeatTime: now, lastTransitionTime: now }));
      const room = { cpu: '4', memory: '8Gi', pods: '110' };
      const status = { conditions, capacity: room, allocatable: room };
      const out = await kubectl(
        'patch',
        'node',
        ghost,
        '--subresource=status',
        '--type=merge',
        '-p',
        JSON.stringify({ status }),
      );
      assert.equal(out.code, 0, out.stderr);
    }

    it('a node whose kubelet stops posting goes Unknown, is tainted, and its Deployment pod is replaced elsewhere', async () => {
      assert.equal((await kubectl('create', 'namespace', ns)).code, 0);
      const node = {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: ghost, labels: { 'kubernetes.io/hostname': ghost } },
      };
      assert.equal(
        (await run(k.bin, ['apply', '-f', '-'], { env: { KUBECONFIG: skiff.kubeconfig }, input: JSON.stringify(node) }))
          .code,
        0,
      );
      await heartbeat();
      let beating = true;
      const kubelet = (async () => {
        while (beating) {
          await heartbeat();
          await sleep(1000);
        }
      })();
      const applied = await run(k.bin, ['apply', '-f', '-'], {
        env: { KUBECONFIG: skiff.kubeconfig },
        input: deployment(ns, ghost),
      });
      assert.equal(applied.code, 0, applied.stderr);
      const first = await w.waitFor(async () => {
        const pods = (await json('get', 'pods', '-n', ns)).items;
        return pods.find((p: any) => p.spec.nodeName === ghost);
      }, 'the pod bound to the node');
      beating = false;
      await kubelet;

      const unknown = await w.waitFor(
        async () => {
          const got = await json('get', 'node', ghost);
          const condition = got.status.conditions.find(ready);
          return condition?.status === 'Unknown' && condition;
        },
        'Ready=Unknown',
        60_000,
      );
      assert.equal(unknown.reason, 'NodeStatusUnknown');
      assert.equal(unknown.message, 'Kubelet stopped posting node status.');
      await w.waitFor(async () => {
        const taints = (await json('get', 'node', ghost)).spec.taints ?? [];
        return taints.some((t: any) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute');
      }, 'the unreachable NoExecute taint');
      const described = await kubectl('describe', 'node', ghost);
      assert.match(
        described.stdout,
        /Conditions:\n\s+Type\s+Status\s+LastHeartbeatTime\s+LastTransitionTime\s+Reason\s+Message/,
      );
      assert.match(described.stdout, /Ready\s+Unknown\s+.*NodeStatusUnknown\s+Kubelet stopped posting node status\./);
      assert.match(
        described.stdout,
        /Taints:\s+node\.kubernetes\.io\/unreachable:NoExecute\n\s+node\.kubernetes\.io\/unreachable:NoSchedule/,
      );
      assert.match((await kubectl('get', 'node', ghost)).stdout, new RegExp(`${ghost}\\s+NotReady`));

      const replaced = await w.waitFor(
        async () => {
          const pods = (await json('get', 'pods', '-n', ns)).items;
          const old = pods.find((p: any) => p.metadata.uid === first.metadata.uid);
          const fresh = pods.find((p: any) => p.metadata.uid !== first.metadata.uid && p.spec.nodeName);
          return old?.metadata.deletionTimestamp && fresh && { old, fresh };
        },
        'the pod evicted and replaced',
        60_000,
      );
      assert.notEqual(replaced.fresh.spec.nodeName, ghost);
      const target = replaced.old.status.conditions.find((c: any) => c.type === 'DisruptionTarget');
      assert.equal(target?.reason, 'DeletionByTaintManager');
      const events = await kubectl('get', 'events', '-n', ns);
      assert.match(events.stdout, /TaintManagerEviction\s+pod\/web-\S+\s+Marking for deletion Pod nl-\d+\/web-/);
    });

    it('kubectl get cs: the scheduler, the controller manager and the store answer', async () => {
      const out = await kubectl('get', 'cs');
      assert.equal(out.code, 0, out.stderr);
      assert.match(out.stderr, /Warning: v1 ComponentStatus is deprecated in v1\.19\+/);
      assert.match(out.stdout, /^NAME\s+STATUS\s+MESSAGE\s+ERROR$/m);
      for (const name of ['scheduler', 'controller-manager', 'etcd-0'])
        assert.match(out.stdout, new RegExp(`^${name}\\s+Healthy\\s+ok`, 'm'));
    });

    it('a node whose kubelet never posts is Unknown with NodeStatusNeverUpdated', async () => {
      const mute = `mute-${k.version.replace('.', '')}`;
      const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: mute } };
      assert.equal(
        (
          await run(k.bin, ['create', '-f', '-'], {
            env: { KUBECONFIG: skiff.kubeconfig },
            input: JSON.stringify(node),
          })
        ).code,
        0,
      );
      const conditions = await w.waitFor(
        async () => {
          const got = await json('get', 'node', mute);
          return got.status?.conditions?.length === 4 && got.status.conditions;
        },
        'the conditions',
        60_000,
      );
      for (const c of conditions) {
        assert.equal(c.status, 'Unknown');
        assert.equal(c.reason, 'NodeStatusNeverUpdated');
        assert.equal(c.message, 'Kubelet never posted node status.');
      }
      const described = await kubectl('describe', 'node', mute);
      assert.match(
        described.stdout,
        /MemoryPressure\s+Unknown\s+.*NodeStatusNeverUpdated\s+Kubelet never posted node status\./,
      );
    });
  });
}
