// fargate-scheduler against the real API: the node of a captured pod, sizing, events and rejections.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { until } from '../../testing/until.js';
import { boundPod, eventWith, fargatePod, type Harness, nodeRef, podEvents, podRef, startHarness } from './testing.js';

describe('fargate-scheduler', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('gives a captured pod its own node, binds it and records Logging then Scheduled', async () => {
    await h.client.create(
      fargatePod(
        'web-1',
        {},
        {
          annotations: { Logging: 'LoggingDisabled: LOGGING_CONFIGMAP_NOT_FOUND', CapacityProvisioned: '16vCPU 120GB' },
        },
      ),
    );
    const pod: any = await boundPod(h.client, 'web-1');
    const node: any = await h.client.get(nodeRef, pod.spec.nodeName);
    const ip = node.status.addresses.find((a: any) => a.type === 'InternalIP').address;
    assert.match(ip, /^10\.0\.(1(2[89]|[3-8]\d|9[01])|(19[2-9]|2\d\d))\.\d+$/, 'an IP of a private subnet');
    const dashed = ip.replaceAll('.', '-');
    assert.equal(node.metadata.name, `fargate-ip-${dashed}.ap-northeast-2.compute.internal`);
    const zone = node.metadata.labels['topology.kubernetes.io/zone'];
    assert.ok(['ap-northeast-2a', 'ap-northeast-2b'].includes(zone));
    assert.deepEqual(node.metadata.labels, {
      'beta.kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/os': 'linux',
      'eks.amazonaws.com/compute-type': 'fargate',
      'failure-domain.beta.kubernetes.io/region': 'ap-northeast-2',
      'failure-domain.beta.kubernetes.io/zone': zone,
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/hostname': `ip-${dashed}.ap-northeast-2.compute.internal`,
      'kubernetes.io/os': 'linux',
      'topology.kubernetes.io/region': 'ap-northeast-2',
      'topology.kubernetes.io/zone': zone,
    });
    assert.deepEqual(node.spec.taints, [
      { key: 'eks.amazonaws.com/compute-type', value: 'fargate', effect: 'NoSchedule' },
    ]);
    assert.equal(node.metadata.annotations['skiff.io/host'], 'host-1');
    assert.equal(node.metadata.annotations['node.alpha.kubernetes.io/ttl'], '0');
    assert.equal(node.metadata.ownerReferences, undefined);
    assert.equal(node.status.capacity.pods, '1');
    assert.equal(node.status.nodeInfo.osImage, 'Amazon Linux 2');
    assert.match(node.status.nodeInfo.kubeletVersion, /^v1\.32\.\d+-eks-[0-9a-f]{7}$/);
    assert.match(node.status.nodeInfo.containerRuntimeVersion, /^containerd:\/\//);
    assert.equal(node.status.conditions.find((c: any) => c.type === 'Ready').status, 'True');
    assert.equal(node.status.daemonEndpoints.kubeletEndpoint.Port, 10250);

    assert.equal(pod.metadata.annotations.CapacityProvisioned, '0.25vCPU 0.5GB', 'the user value is overwritten');
    assert.equal(pod.status.conditions.find((c: any) => c.type === 'PodScheduled').status, 'True');
    await eventWith(h.client, 'web-1', 'Scheduled');
    const events = await podEvents(h.client, 'web-1');
    assert.deepEqual(
      events.map((e) => [e.type, e.reason, e.source.component, e.message]),
      [
        [
          'Warning',
          'LoggingDisabled',
          'fargate-scheduler',
          'Disabled logging because aws-logging configmap was not found. configmap "aws-logging" not found',
        ],
        ['Normal', 'Scheduled', 'fargate-scheduler', `Successfully assigned default/web-1 to ${node.metadata.name}`],
      ],
    );
  });

  const sizes: [string, Record<string, unknown>, string][] = [
    [
      '1 vCPU + 8 GB',
      { containers: [{ name: 'a', image: 'x', resources: { requests: { cpu: '1', memory: '8Gi' } } }] },
      '2vCPU 9GB',
    ],
    [
      '1 vCPU + 2.5G',
      { containers: [{ name: 'a', image: 'x', resources: { requests: { cpu: '1', memory: '2.5G' } } }] },
      '1vCPU 3GB',
    ],
    [
      'a larger init container',
      {
        initContainers: [{ name: 'i', image: 'x', resources: { requests: { cpu: '2', memory: '1Gi' } } }],
        containers: [
          { name: 'a', image: 'x', resources: { requests: { cpu: '500m', memory: '1Gi' } } },
          { name: 'b', image: 'x', resources: { requests: { cpu: '500m', memory: '3Gi' } } },
        ],
      },
      '2vCPU 5GB',
    ],
  ];
  for (const [what, spec, expected] of sizes) {
    it(`sizes ${what} as ${expected}`, async () => {
      const name = `size-${expected.replaceAll(/[^0-9a-z]/gi, '').toLowerCase()}`;
      await h.client.create(fargatePod(name, spec));
      const pod: any = await boundPod(h.client, name);
      assert.equal(pod.metadata.annotations.CapacityProvisioned, expected);
      const node: any = await h.client.get(nodeRef, pod.spec.nodeName);
      assert.ok(Number(node.status.capacity.cpu) >= Number.parseFloat(expected), 'the host holds the pod');
    });
  }

  async function rejected(name: string): Promise<string> {
    const event = await eventWith(h.client, name, 'FailedScheduling');
    assert.equal(event.type, 'Warning');
    assert.equal(event.source.component, 'fargate-scheduler');
    const pod = await h.client.get(podRef, name);
    assert.equal(pod.spec.nodeName, undefined);
    assert.equal(pod.status.phase, 'Pending');
    return event.message;
  }

  it('rejects what Fargate does not run with the comma-joined message, once', async () => {
    await h.client.create(
      fargatePod('unsupported', {
        hostNetwork: true,
        containers: [
          {
            name: 'a',
            image: 'x',
            securityContext: { privileged: true },
            ports: [{ containerPort: 80, hostPort: 80 }],
          },
        ],
      }),
    );
    assert.equal(
      await rejected('unsupported'),
      'Pod not supported on Fargate: fields not supported: HostNetwork, invalid SecurityContext fields: Privileged, port contains HostIP or HostPort',
    );
    await h.client.patch(podRef, 'unsupported', { metadata: { labels: { touched: 'yes' } } }, 'merge');
    await until(() => h.scheduler.cachedPod('default/unsupported')?.metadata.labels?.touched, 'the change seen');
    await h.scheduler.queue.drained();
    const failures = (await podEvents(h.client, 'unsupported')).filter((e) => e.reason === 'FailedScheduling');
    assert.equal(failures.length, 1);
  });

  it('rejects hostPath volumes and a missing claim', async () => {
    await h.client.create(
      fargatePod('volumes', {
        volumes: [
          { name: 'docker', hostPath: { path: '/var/run/docker.sock' } },
          { name: 'data', persistentVolumeClaim: { claimName: 'test-pvc' } },
        ],
      }),
    );
    assert.equal(
      await rejected('volumes'),
      'Pod not supported on Fargate: volumes not supported: docker is of an unsupported volume Type, ' +
        'data not supported because: persistentvolumeclaim "test-pvc" not found',
    );
  });

  it('runs a claim bound to an EFS volume and rejects one bound to EBS', async () => {
    const volume = (name: string, driver: string) => ({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name },
      spec: {
        capacity: { storage: '5Gi' },
        accessModes: ['ReadWriteMany'],
        csi: { driver, volumeHandle: `${name}-handle` },
      },
    });
    const claim = (name: string, volumeName: string) => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name, namespace: 'default' },
      spec: { accessModes: ['ReadWriteMany'], resources: { requests: { storage: '5Gi' } }, volumeName },
    });
    await h.client.create(volume('pv-efs', 'efs.csi.aws.com'));
    await h.client.create(volume('pv-ebs', 'ebs.csi.aws.com'));
    await h.client.create(claim('efs-claim', 'pv-efs'));
    await h.client.create(claim('ebs-claim', 'pv-ebs'));
    const mounting = (claimName: string) => ({ volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }] });
    await h.client.create(fargatePod('on-efs', mounting('efs-claim')));
    await h.client.create(fargatePod('on-ebs', mounting('ebs-claim')));
    await boundPod(h.client, 'on-efs');
    assert.equal(
      await rejected('on-ebs'),
      'Pod not supported on Fargate: volumes not supported: data not supported because: ' +
        'PVC ebs-claim bound to invalid PV pv-ebs with CSI Driver: ebs.csi.aws.com',
    );
  });

  it('rejects GPU requests', async () => {
    const gpu = { limits: { 'nvidia.com/gpu': '1' }, requests: { 'nvidia.com/gpu': '1' } };
    await h.client.create(fargatePod('gpu', { containers: [{ name: 'a', image: 'x', resources: gpu }] }));
    assert.equal(await rejected('gpu'), 'Pod not supported on Fargate: resources not supported: nvidia.com/gpu');
  });

  it('gives 20 GiB of ephemeral storage by default and refuses more than 175 GiB', async () => {
    const storage = (q: string) => ({
      containers: [{ name: 'a', image: 'x', resources: { requests: { 'ephemeral-storage': q } } }],
    });
    await h.client.create(fargatePod('disk-100', storage('100Gi')));
    await h.client.create(fargatePod('disk-200', storage('200Gi')));
    const big: any = await h.client.get(nodeRef, (await boundPod(h.client, 'disk-100')).spec.nodeName);
    const small: any = await h.client.get(nodeRef, (await boundPod(h.client, 'web-1')).spec.nodeName);
    const gib = (q: string) => Number(q.replace('Ki', '')) / 2 ** 20;
    assert.equal(gib(big.status.capacity['ephemeral-storage']) - gib(small.status.capacity['ephemeral-storage']), 95);
    assert.equal(
      await rejected('disk-200'),
      'Pod ephemeral-storage request of 200GiB exceeds the Fargate maximum of 175GiB',
    );
  });

  it('rejects a request beyond the largest size with a clear message', async () => {
    await h.client.create(
      fargatePod('huge', {
        containers: [{ name: 'a', image: 'x', resources: { requests: { cpu: '17', memory: '8Gi' } } }],
      }),
    );
    assert.match(await rejected('huge'), /exceed the largest Fargate pod size 16vCPU 120GB: requested 17vCPU/);
  });

  it('leaves a pod of a profile that is not ACTIVE pending, and schedules it once the profile is', async () => {
    await h.client.create(fargatePod('later', {}, { labels: { 'eks.amazonaws.com/fargate-profile': 'fp-later' } }));
    assert.equal(await rejected('later'), 'Fargate profile fp-later is not an ACTIVE profile');
    const current = await h.facts.profiles();
    h.facts.setProfiles([...current, { ...current[0]!, name: 'fp-later' }]);
    await boundPod(h.client, 'later');
  });

  it('spreads pods across availability zones', async () => {
    const names = ['spread-1', 'spread-2', 'spread-3', 'spread-4'];
    for (const name of names) await h.client.create(fargatePod(name));
    const zones = [];
    for (const name of names) {
      const node: any = await h.client.get(nodeRef, (await boundPod(h.client, name)).spec.nodeName);
      zones.push(node.metadata.labels['topology.kubernetes.io/zone']);
    }
    assert.deepEqual(zones.filter((z) => z === 'ap-northeast-2a').length, 2);
    await until(() => h.errors.length === 0, 'no errors');
  });
});
