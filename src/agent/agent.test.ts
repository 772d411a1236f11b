// The agent against the real API: host registration and node heartbeats (Leases, conditions), a pod run from
// Pending to Running with its container status, conditions and kubelet events, pod IPs on node-group and Fargate
// nodes, and the Fargate node's refusal of pods another scheduler placed there.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { until } from '../testing/until.js';
import {
  eventsOf,
  type Harness,
  hostName,
  messagesOf,
  nodeObject,
  podObject,
  podRef,
  podWhere,
  startHarness,
} from './testing/harness.js';

const leaseRef = (namespace: string) => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace });
let h: Harness;

before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
  assert.deepEqual(h.errors, []);
});

describe('host and node heartbeats', () => {
  it('registers the host with its capacity and keeps renewing the Lease', async () => {
    const lease = await h.client.get(leaseRef('kube-system'), `skiff-host-${hostName}`);
    assert.equal(lease.metadata.labels?.['skiff.io/component'], 'host-agent');
    assert.deepEqual(JSON.parse(lease.metadata.annotations!['skiff.io/capacity']), {
      cpuMillis: 8000,
      memoryMiB: 16384,
      sandboxes: 100,
    });
    assert.equal(lease.spec.holderIdentity, hostName);
    assert.equal(lease.spec.leaseDurationSeconds, 40);
    assert.match(lease.spec.renewTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    await until(async () => {
      const later = await h.client.get(leaseRef('kube-system'), `skiff-host-${hostName}`);
      return later.spec.renewTime !== lease.spec.renewTime && later.spec.acquireTime === lease.spec.acquireTime;
    }, 'a renewed host lease');
  });

  it('keeps a Lease and the conditions of the nodes it carries, and only those', async () => {
    const node = await h.client.create(nodeObject('ng-heartbeat', '10.0.9.1'));
    await h.client.create(nodeObject('elsewhere', '10.0.9.2', { host: 'other-host' }));
    const lease = await until(
      () => h.client.get(leaseRef('kube-node-lease'), 'ng-heartbeat').catch(() => undefined),
      'the node lease',
    );
    assert.equal(lease.spec.holderIdentity, 'ng-heartbeat');
    assert.equal(lease.spec.leaseDurationSeconds, 40);
    assert.deepEqual(lease.metadata.ownerReferences, [
      { apiVersion: 'v1', kind: 'Node', name: 'ng-heartbeat', uid: node.metadata.uid },
    ]);
    await until(async () => {
      const later = await h.client.get(leaseRef('kube-node-lease'), 'ng-heartbeat');
      return later.spec.renewTime !== lease.spec.renewTime;
    }, 'a renewed node lease');
    const beating = await until(async () => {
      const current = await h.client.get({ apiVersion: 'v1', kind: 'Node' }, 'ng-heartbeat');
      const ready = current.status.conditions.find((c: any) => c.type === 'Ready');
      return ready.lastHeartbeatTime !== '2020-01-01T00:00:00Z' && current;
    }, 'a node heartbeat');
    const types = beating.status.conditions.map((c: any) => `${c.type}=${c.status}`).sort();
    assert.deepEqual(types, ['DiskPressure=False', 'MemoryPressure=False', 'PIDPressure=False', 'Ready=True']);
    assert.equal(
      beating.status.conditions.find((c: any) => c.type === 'Ready').lastTransitionTime,
      '2020-01-01T00:00:00Z',
    );
    assert.deepEqual(beating.status.daemonEndpoints, { kubeletEndpoint: { Port: 10250 } });
    await assert.rejects(h.client.get(leaseRef('kube-node-lease'), 'elsewhere'), { code: 404 });
  });

  it('drops the Lease of a node that is deleted', async () => {
    await h.client.create(nodeObject('ng-short-lived', '10.0.9.3'));
    await until(() => h.client.get(leaseRef('kube-node-lease'), 'ng-short-lived').catch(() => undefined), 'the lease');
    await h.client.delete({ apiVersion: 'v1', kind: 'Node' }, 'ng-short-lived');
    await until(
      async () => !(await h.client.get(leaseRef('kube-node-lease'), 'ng-short-lived').catch(() => undefined)),
      'the lease deleted',
    );
  });
});

describe('pods on a node-group node', () => {
  before(async () => {
    await h.client.create(nodeObject('ng-1', '10.0.1.5', { podIPs: ['10.0.1.10', '10.0.1.11'] }));
  });

  it('runs a pod to Running and reports it as the kubelet does', async () => {
    await h.client.create(podObject('web-1', 'ng-1'));
    const pod = await podWhere(h.client, 'web-1', (p) => p.status?.containerStatuses?.[0]?.ready, 'ready');
    const status = pod.status;
    assert.equal(status.phase, 'Running');
    assert.equal(status.hostIP, '10.0.1.5');
    assert.deepEqual(status.hostIPs, [{ ip: '10.0.1.5' }]);
    assert.equal(status.podIP, '10.0.1.10');
    assert.deepEqual(status.podIPs, [{ ip: '10.0.1.10' }]);
    assert.equal(status.qosClass, 'BestEffort');
    assert.match(status.startTime, /Z$/);
    const [web] = status.containerStatuses;
    assert.equal(web.name, 'web');
    assert.equal(web.image, 'docker.io/library/nginx:1.27');
    // The simulated runtime names itself instead of inventing a digest or a containerd ID.
    assert.equal(web.imageID, 'simulated://docker.io/library/nginx:1.27');
    assert.match(web.containerID, /^simulated:\/\/[0-9a-f]{64}$/);
    assert.match(web.state.running.startedAt, /Z$/);
    assert.deepEqual(web.lastState, {});
    assert.equal(web.restartCount, 0);
    assert.equal(web.started, true);
    assert.deepEqual(
      status.conditions.map((c: any) => `${c.type}=${c.status}`),
      ['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True'],
    );
    const events = await until(async () => {
      const list = await eventsOf(h.client, 'web-1');
      return list.length >= 4 && list;
    }, 'four events');
    const [pulling, pulled, created, started] = messagesOf(events);
    assert.equal(pulling, 'Pulling: Pulling image "nginx:1.27" (simulated)');
    assert.match(
      pulled,
      /^Pulled: Successfully pulled image "nginx:1\.27" in \d+ms \(\d+ms including waiting\) \(simulated: nothing was downloaded\)$/,
    );
    assert.equal(created, 'Created: Created container: web');
    assert.equal(started, 'Started: Started container web');
    for (const event of events) {
      assert.deepEqual(event.source, { component: 'kubelet', host: 'ng-1' });
      assert.equal(event.involvedObject.fieldPath, 'spec.containers{web}');
      assert.equal(event.involvedObject.uid, pod.metadata.uid);
      assert.equal(event.type, 'Normal');
    }
  });

  it('finds the image already present for the second pod and gives it the next free IP', async () => {
    await h.client.create(podObject('web-2', 'ng-1'));
    const pod = await podWhere(h.client, 'web-2', (p) => p.status?.phase === 'Running', 'Running');
    assert.equal(pod.status.podIP, '10.0.1.11');
    const events = await until(async () => {
      const list = messagesOf(await eventsOf(h.client, 'web-2'));
      return list.length >= 3 && list;
    }, 'events');
    assert.equal(events[0], 'Pulled: Container image "nginx:1.27" already present on machine (simulated)');
  });

  it('holds a pod while every secondary IP is taken, then gives it the one freed', async () => {
    await h.client.create(podObject('web-3', 'ng-1'));
    const events = await until(async () => {
      const list = messagesOf(await eventsOf(h.client, 'web-3'), 'FailedCreatePodSandBox');
      return list.length > 0 && list;
    }, 'FailedCreatePodSandBox');
    assert.match(events[0], /failed to assign an IP address to container$/);
    assert.equal((await h.client.get(podRef, 'web-3')).status.phase, 'Pending');
    await h.client.delete(podRef, 'web-1', { gracePeriodSeconds: 0 });
    const pod = await podWhere(h.client, 'web-3', (p) => p.status?.phase === 'Running', 'Running', 15_000);
    assert.equal(pod.status.podIP, '10.0.1.10');
  });
});

describe('pods on Fargate nodes', () => {
  it('gives the pod its node IP as pod IP and host IP', async () => {
    const nodeName = 'fargate-ip-10-0-130-7.ap-northeast-2.compute.internal';
    await h.client.create(nodeObject(nodeName, '10.0.130.7', { fargate: true }));
    await h.client.create(podObject('fg-1', nodeName, { schedulerName: 'fargate-scheduler' }));
    const pod = await podWhere(h.client, 'fg-1', (p) => p.status?.phase === 'Running', 'Running');
    assert.equal(pod.status.podIP, '10.0.130.7');
    assert.equal(pod.status.hostIP, '10.0.130.7');
  });

  it('fails a pod that another scheduler placed on a Fargate node', async () => {
    const nodeName = 'fargate-ip-10-0-130-8.ap-northeast-2.compute.internal';
    await h.client.create(nodeObject(nodeName, '10.0.130.8', { fargate: true }));
    await h.client.create(podObject('fg-wrong', nodeName));
    const pod = await podWhere(h.client, 'fg-wrong', (p) => p.status?.phase === 'Failed', 'Failed');
    assert.equal(pod.status.message, 'Pod not supported: SchedulerName is not fargate-scheduler');
    assert.equal(pod.status.containerStatuses, undefined);
    const events = await until(async () => {
      const list = (await eventsOf(h.client, 'fg-wrong')).filter((e) => e.type === 'Warning');
      return list.length > 0 && list;
    }, 'the rejection event');
    assert.equal(events[0].message, 'Pod not supported: SchedulerName is not fargate-scheduler');
    assert.equal(events[0].source.host, nodeName);
  });
});

describe('AppArmor', () => {
  it('refuses a pod whose AppArmor profile it cannot enforce, as the kubelet does, and runs one that is Unconfined', async () => {
    const nodeName = 'fargate-ip-10-0-130-9.ap-northeast-2.compute.internal';
    await h.client.create(nodeObject(nodeName, '10.0.130.9', { fargate: true }));
    const confined = {
      schedulerName: 'fargate-scheduler',
      securityContext: { appArmorProfile: { type: 'RuntimeDefault' } },
    };
    await h.client.create(podObject('aa-default', nodeName, confined));
    const pod = await podWhere(h.client, 'aa-default', (p) => p.status?.phase === 'Failed', 'Failed');
    assert.equal(pod.status.reason, 'AppArmor');
    assert.match(pod.status.message, /^Cannot enforce AppArmor: /);
    assert.equal(pod.status.containerStatuses, undefined, 'nothing started without its profile');
    const event = await until(
      async () => (await eventsOf(h.client, 'aa-default')).find((e) => e.reason === 'AppArmor'),
      'the AppArmor event',
    );
    assert.equal(event.type, 'Warning');
    assert.equal(event.message, pod.status.message);

    const other = 'fargate-ip-10-0-130-10.ap-northeast-2.compute.internal';
    await h.client.create(nodeObject(other, '10.0.130.10', { fargate: true }));
    const unconfined = {
      schedulerName: 'fargate-scheduler',
      securityContext: { appArmorProfile: { type: 'Unconfined' } },
    };
    await h.client.create(podObject('aa-unconfined', other, unconfined));
    await podWhere(h.client, 'aa-unconfined', (p) => p.status?.phase === 'Running', 'Running');
  });
});

describe('pods not on this host', () => {
  it('leaves pods on other hosts alone', async () => {
    await h.client.create(podObject('not-mine', 'elsewhere'));
    await podWhere(h.client, 'fg-1', (p) => p.status?.phase === 'Running', 'an unrelated pod running');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const pod = await h.client.get(podRef, 'not-mine');
    assert.equal(pod.status.phase, 'Pending');
    assert.equal(pod.status.containerStatuses, undefined);
    assert.deepEqual(await eventsOf(h.client, 'not-mine'), []);
  });
});
