import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContainerShape, PodShape, VolumeShape } from './pod-shape.js';
import { type ClaimFacts, notSupportedMessage } from './support.js';

const app: ContainerShape = { name: 'app' };
const pod = (spec: PodShape['spec']): PodShape => ({ spec: { containers: [app], ...spec } });
const privileged: ContainerShape = { name: 'p', securityContext: { privileged: true } };
const caps = (...add: string[]): ContainerShape => ({ name: 'c', securityContext: { capabilities: { add } } });
const vol = (name: string, source: Record<string, unknown>): VolumeShape => ({ name, ...source });
const claims: Record<string, ClaimFacts> = {
  'efs-claim': { volumeName: 'efs-pv', csiDriver: 'efs.csi.aws.com' },
  'prometheus-server': { volumeName: 'pvc-a996c34f-eba8-45d1-9820-e5bc19ce325c', csiDriver: 'ebs.csi.aws.com' },
  'in-tree': { volumeName: 'pv-1', volumeType: 'awsElasticBlockStore' },
  pending: {},
};
const ctx = { claim: (name: string) => claims[name] };

const cases: [string, PodShape, string | undefined][] = [
  ['a plain pod is supported', pod({}), undefined],
  [
    'supported volume types',
    pod({
      volumes: [
        vol('a', { emptyDir: {} }),
        vol('b', { configMap: { name: 'x' } }),
        vol('c', { secret: { secretName: 'x' } }),
        vol('d', { projected: { sources: [] } }),
        vol('e', { downwardAPI: {} }),
        vol('f', { persistentVolumeClaim: { claimName: 'efs-claim' } }),
        vol('g', { persistentVolumeClaim: { claimName: 'pending' } }),
      ],
    }),
    undefined,
  ],
  ['hostNetwork', pod({ hostNetwork: true }), 'Pod not supported on Fargate: fields not supported: HostNetwork'],
  [
    'privileged container',
    pod({ containers: [app, privileged] }),
    'Pod not supported on Fargate: invalid SecurityContext fields: Privileged',
  ],
  [
    'privileged init container',
    pod({ initContainers: [privileged] }),
    'Pod not supported on Fargate: invalid SecurityContext fields: Privileged',
  ],
  [
    'added capability, named as written',
    pod({ containers: [caps('CAP_CHOWN')] }),
    'Pod not supported on Fargate: invalid SecurityContext fields: Capabilities added: CAP_CHOWN',
  ],
  [
    'SYS_PTRACE is refused too',
    pod({ containers: [caps('SYS_PTRACE')] }),
    'Pod not supported on Fargate: invalid SecurityContext fields: Capabilities added: SYS_PTRACE',
  ],
  ['NET_BIND_SERVICE (EKS CoreDNS adds it) is allowed', pod({ containers: [caps('NET_BIND_SERVICE')] }), undefined],
  [
    'dropping capabilities is fine',
    pod({ containers: [{ securityContext: { capabilities: { drop: ['ALL'] } } }] }),
    undefined,
  ],
  ['privileged: false is fine', pod({ containers: [{ securityContext: { privileged: false } }] }), undefined],
  [
    'privileged and capabilities in one fragment, capabilities listed once',
    pod({ containers: [privileged, caps('NET_ADMIN'), caps('NET_ADMIN', 'SYS_TIME')] }),
    'Pod not supported on Fargate: invalid SecurityContext fields: Privileged, Capabilities added: NET_ADMIN, SYS_TIME',
  ],
  [
    'hostPort',
    pod({ containers: [{ ports: [{ containerPort: 80, hostPort: 8080 }] }] }),
    'Pod not supported on Fargate: port contains HostIP or HostPort',
  ],
  [
    'hostIP',
    pod({ containers: [{ ports: [{ containerPort: 80, hostIP: '0.0.0.0' }] }] }),
    'Pod not supported on Fargate: port contains HostIP or HostPort',
  ],
  ['containerPort alone is fine', pod({ containers: [{ ports: [{ containerPort: 80 }] }] }), undefined],
  [
    'the reference full example',
    pod({
      hostNetwork: true,
      containers: [{ securityContext: { privileged: true }, ports: [{ containerPort: 9909, hostPort: 9909 }] }],
    }),
    'Pod not supported on Fargate: fields not supported: HostNetwork, invalid SecurityContext fields: Privileged, port contains HostIP or HostPort',
  ],
  [
    'hostPath volume',
    pod({ volumes: [vol('docker', { hostPath: { path: '/var/run/docker.sock' } })] }),
    'Pod not supported on Fargate: volumes not supported: docker is of an unsupported volume Type',
  ],
  [
    'privileged with an unsupported volume (kube-s3)',
    pod({ containers: [privileged], volumes: [vol('mntdatas3fs', { hostPath: { path: '/mnt' } })] }),
    'Pod not supported on Fargate: invalid SecurityContext fields: Privileged, volumes not supported: mntdatas3fs is of an unsupported volume Type',
  ],
  [
    'inline CSI and ephemeral volumes',
    pod({ volumes: [vol('s', { csi: { driver: 'secrets-store.csi.k8s.io' } }), vol('e', { ephemeral: {} })] }),
    'Pod not supported on Fargate: volumes not supported: s is of an unsupported volume Type, e is of an unsupported volume Type',
  ],
  [
    'missing PVC',
    pod({ volumes: [vol('persistence', { persistentVolumeClaim: { claimName: 'test-pvc' } })] }),
    'Pod not supported on Fargate: volumes not supported: persistence not supported because: persistentvolumeclaim "test-pvc" not found',
  ],
  [
    'EBS-backed PVC',
    pod({ volumes: [vol('storage-volume', { persistentVolumeClaim: { claimName: 'prometheus-server' } })] }),
    'Pod not supported on Fargate: volumes not supported: storage-volume not supported because: PVC prometheus-server bound to invalid PV pvc-a996c34f-eba8-45d1-9820-e5bc19ce325c with CSI Driver: ebs.csi.aws.com',
  ],
  [
    'in-tree EBS PV',
    pod({ volumes: [vol('data', { persistentVolumeClaim: { claimName: 'in-tree' } })] }),
    'Pod not supported on Fargate: volumes not supported: data not supported because: PVC in-tree bound to invalid PV pv-1 with volume Type: awsElasticBlockStore',
  ],
  [
    'GPU limit',
    pod({ containers: [{ resources: { limits: { 'nvidia.com/gpu': '1' } } }] }),
    'Pod not supported on Fargate: resources not supported: nvidia.com/gpu',
  ],
  [
    'Inferentia request',
    pod({ containers: [{ resources: { requests: { 'aws.amazon.com/neuron': 1 } } }] }),
    'Pod not supported on Fargate: resources not supported: aws.amazon.com/neuron',
  ],
  ['a zero GPU limit is fine', pod({ containers: [{ resources: { limits: { 'nvidia.com/gpu': '0' } } }] }), undefined],
];

for (const [name, p, want] of cases) {
  test(`support: ${name}`, () => assert.equal(notSupportedMessage(p, ctx), want));
}

test('support: without a claim lookup claims are not checked', () => {
  const p = pod({ volumes: [vol('persistence', { persistentVolumeClaim: { claimName: 'test-pvc' } })] });
  assert.equal(notSupportedMessage(p), undefined);
});
