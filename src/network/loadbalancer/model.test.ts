// The model the AWS Load Balancer Controller would build: names and addresses, which Ingresses and Services it takes,
// group merging and rule order, targets from ready endpoints, and what it (or Skiff) refuses with which text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../kube/api/types.js';
import { buildModel, type ModelInput } from './model.js';
import { loadBalancerAddress, loadBalancerName } from './names.js';
import { matchRule } from './rules.js';

const albClass: KubeObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'IngressClass',
  metadata: { name: 'alb' },
  spec: { controller: 'ingress.k8s.aws/alb' },
};

const service = (name: string, type = 'ClusterIP', namespace = 'default'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace, uid: `uid-${name}` },
  spec: {
    type,
    ports: [{ name: 'http', port: 80, targetPort: 8080, ...(type !== 'ClusterIP' ? { nodePort: 30080 } : {}) }],
  },
});

const slice = (svc: string, ips: [string, boolean][], namespace = 'default'): KubeObject => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: `${svc}-abc`, namespace, labels: { 'kubernetes.io/service-name': svc } },
  addressType: 'IPv4',
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  endpoints: ips.map(([ip, ready]) => ({ addresses: [ip], conditions: { ready } })),
});

const backend = (name: string) => ({ service: { name, port: { number: 80 } } });

const ingress = (name: string, annotations: Record<string, string>, spec: any, namespace = 'default'): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: {
    name,
    namespace,
    uid: `uid-${name}`,
    annotations: { 'alb.ingress.kubernetes.io/target-type': 'ip', ...annotations },
  },
  spec: { ingressClassName: 'alb', ...spec },
});

const input = (objects: Partial<ModelInput>): ModelInput => ({
  clusterName: 'skiff',
  region: 'ap-northeast-2',
  ingresses: [],
  ingressClasses: [albClass],
  services: [],
  slices: [],
  ...objects,
});

describe('load balancer names and addresses', () => {
  it('names one Ingress k8s-<ns 8>-<name 8>-<hash 10> and an explicit group k8s-<group 17>-<hash 10>', () => {
    const one = loadBalancerName({ clusterName: 'c', groupId: 'game-2048/ingress-2048', scheme: 'internet-facing' });
    assert.match(one, /^k8s-game2048-ingress2-[0-9a-f]{10}$/);
    const group = loadBalancerName({
      clusterName: 'c',
      groupId: 'my-shared.group',
      scheme: 'internal',
      explicitGroup: true,
    });
    assert.match(group, /^k8s-mysharedgroup-[0-9a-f]{10}$/);
  });
  it('gives ALB and NLB addresses ELB’s shape under .localhost, internal- for internal ones, stable', () => {
    const names = { clusterName: 'c', groupId: 'fargate-game-2048/ingress-2048', scheme: 'internet-facing' as const };
    const alb = loadBalancerAddress('application', names, 'ap-northeast-2');
    assert.match(alb, /^k8s-fargateg-ingress2-[0-9a-f]{10}-\d+\.ap-northeast-2\.elb\.localhost$/);
    assert.equal(loadBalancerAddress('application', names, 'ap-northeast-2'), alb);
    const nlb = loadBalancerAddress('network', { ...names, scheme: 'internal' }, 'ap-northeast-2');
    assert.match(nlb, /^internal-k8s-fargateg-ingress2-[0-9a-f]{10}-[0-9a-f]{16}\.elb\.ap-northeast-2\.localhost$/);
    assert.ok(alb.split('.')[0]!.length <= 63);
  });
});

describe('ALBs from Ingresses', () => {
  it('takes Ingresses of class alb (by name, by annotation, by default class) and no others', () => {
    const model = buildModel(
      input({
        services: [service('web')],
        ingressClasses: [
          albClass,
          { ...albClass, metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } },
        ],
        ingresses: [
          ingress('by-name', {}, { defaultBackend: backend('web') }),
          ingress(
            'by-annotation',
            { 'kubernetes.io/ingress.class': 'alb' },
            { ingressClassName: undefined, defaultBackend: backend('web') },
          ),
          ingress('nginx', {}, { ingressClassName: 'nginx', defaultBackend: backend('web') }),
          ingress('none', {}, { ingressClassName: undefined, defaultBackend: backend('web') }),
        ],
      }),
    );
    assert.deepEqual(model.loadBalancers.map((lb) => lb.id).sort(), [
      'ingress/default/by-annotation',
      'ingress/default/by-name',
    ]);
  });

  it('targets the ready endpoints by IP at the port the slices resolve; the scheme defaults to internal', () => {
    const model = buildModel(
      input({
        services: [service('web')],
        slices: [
          slice('web', [
            ['10.0.1.5', true],
            ['10.0.1.6', false],
          ]),
        ],
        ingresses: [
          ingress(
            'i',
            { 'alb.ingress.kubernetes.io/healthcheck-path': '/healthz' },
            { defaultBackend: backend('web') },
          ),
        ],
      }),
    );
    const [lb] = model.loadBalancers;
    assert.equal(lb!.scheme, 'internal');
    assert.match(lb!.address, /^internal-k8s-default-i-/);
    const [group] = lb!.targetGroups.values();
    assert.deepEqual(group!.targets, [{ ip: '10.0.1.5', port: 8080 }]);
    assert.equal(group!.healthCheck.path, '/healthz');
    assert.deepEqual(
      lb!.listeners.map((l) => l.port),
      [80],
    );
  });

  it('merges a group: members ordered by group.order then name, listeners per listen-ports, one address', () => {
    const model = buildModel(
      input({
        services: [service('a'), service('b'), service('c', 'ClusterIP', 'other')],
        ingresses: [
          ingress(
            'late',
            { 'alb.ingress.kubernetes.io/group.name': 'shared', 'alb.ingress.kubernetes.io/group.order': '10' },
            {
              rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('a') }] } }],
            },
          ),
          ingress(
            'early',
            { 'alb.ingress.kubernetes.io/group.name': 'shared', 'alb.ingress.kubernetes.io/group.order': '-1' },
            {
              rules: [
                { host: 'b.example.com', http: { paths: [{ path: '/b', pathType: 'Exact', backend: backend('b') }] } },
              ],
            },
          ),
          ingress(
            'other',
            {
              'alb.ingress.kubernetes.io/group.name': 'shared',
              'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}, {"HTTP": 8080}]',
            },
            { rules: [{ http: { paths: [{ path: '/c', pathType: 'Prefix', backend: backend('c') }] } }] },
            'other',
          ),
        ],
      }),
    );
    assert.equal(model.problems.length, 0, JSON.stringify(model.problems.map((p) => p.message)));
    assert.equal(model.loadBalancers.length, 1);
    const [lb] = model.loadBalancers;
    assert.match(lb!.name, /^k8s-shared-[0-9a-f]{10}$/);
    assert.deepEqual(
      lb!.owners.map((o) => o.metadata.name),
      ['early', 'other', 'late'],
    );
    const [p80, p8080] = lb!.listeners;
    assert.deepEqual(
      p80!.rules.map((r) => [r.priority, r.ingress, r.paths.join(' ')]),
      [
        [1, 'default/early', '/b'],
        [2, 'other/other', '/c /c/*'],
        [3, 'default/late', '/*'],
      ],
    );
    assert.equal(p8080!.port, 8080);
    assert.deepEqual(
      p8080!.rules.map((r) => r.ingress),
      ['other/other'],
    );
    assert.equal((matchRule(p80!.rules, 'x', '/c/d')!.action as any).targetGroup, 'other/other:other/c:80');
    assert.deepEqual(p80!.defaultAction, { type: 'fixed-response', statusCode: 404 });
  });

  it('refuses conflicting schemes and two default backends in one group', () => {
    const group = { 'alb.ingress.kubernetes.io/group.name': 'g' };
    const model = buildModel(
      input({
        services: [service('a')],
        ingresses: [
          ingress(
            'x',
            { ...group, 'alb.ingress.kubernetes.io/scheme': 'internet-facing' },
            { defaultBackend: backend('a') },
          ),
          ingress('y', group, { defaultBackend: backend('a') }),
        ],
      }),
    );
    assert.deepEqual(
      model.problems.map((p) => p.message),
      [
        'Failed build model due to conflicting scheme: internal, internet-facing',
        'Failed build model due to conflicting scheme: internal, internet-facing',
      ],
    );
    const again = buildModel(
      input({
        services: [service('a')],
        ingresses: [
          ingress('x', group, { defaultBackend: backend('a') }),
          ingress('y', group, { defaultBackend: backend('a') }),
        ],
      }),
    );
    assert.equal(
      again.problems[0]!.message,
      'Failed build model due to multiple ingress defined default backend: [default/x default/y]',
    );
  });

  it('checks group.order as the controller does', () => {
    const order = (value: string) =>
      buildModel(
        input({
          services: [service('a')],
          ingresses: [
            ingress('o', { 'alb.ingress.kubernetes.io/group.order': value }, { defaultBackend: backend('a') }),
          ],
        }),
      ).problems[0]?.message;
    assert.equal(
      order('x'),
      'Failed build model due to failed to load Ingress group order for ingress: default/o: failed to parse int64 annotation, alb.ingress.kubernetes.io/group.order: x: strconv.ParseInt: parsing "x": invalid syntax',
    );
    assert.equal(
      order('1001'),
      'Failed build model due to explicit Ingress group order must be within [-1000:1000], Ingress: default/o, order: 1001',
    );
    assert.equal(order('-1000'), undefined);
  });

  it('refuses instance targets: a ClusterIP backend with the controller’s text, a NodePort one saying why', () => {
    const instance = { 'alb.ingress.kubernetes.io/target-type': 'instance' };
    const model = buildModel(
      input({
        services: [service('cip'), service('np', 'NodePort')],
        ingresses: [
          ingress('a', instance, { defaultBackend: backend('cip') }),
          ingress('b', instance, { defaultBackend: backend('np') }),
        ],
      }),
    );
    assert.equal(model.loadBalancers.length, 0);
    const [a, b] = model.problems;
    assert.equal(a!.reason, 'FailedBuildModel');
    assert.equal(
      a!.message,
      "Failed build model due to ingress: default/a: TargetGroup port is empty. When using Instance targets, your service must be of type 'NodePort' or 'LoadBalancer'",
    );
    assert.match(b!.message, /^Failed build model due to ingress: default\/b: instance targets are not supported: /);
  });

  it('says which service is missing, and refuses HTTPS listeners (no ACM)', () => {
    const model = buildModel(
      input({
        services: [service('a')],
        ingresses: [
          ingress('missing', {}, { defaultBackend: backend('nope') }),
          ingress(
            'tls',
            { 'alb.ingress.kubernetes.io/listen-ports': '[{"HTTPS": 443}]' },
            { defaultBackend: backend('a') },
          ),
        ],
      }),
    );
    assert.deepEqual(
      model.problems.map((p) => p.message),
      [
        'Failed build model due to ingress: default/missing: services "nope" not found',
        'Failed build model due to ingress: default/tls: HTTPS listener on port 443: its certificate would come from ACM, which Skiff does not serve; listen on HTTP',
      ],
    );
  });
});

describe('what Skiff’s ALB does not serve, and the names users choose', () => {
  const one = (name: string, annotations: Record<string, string>, spec: any = {}) =>
    buildModel(
      input({
        services: [service('a')],
        ingresses: [ingress(name, annotations, { defaultBackend: backend('a'), ...spec })],
      }),
    );
  it('refuses certificates, actions and a TLS Ingress’s default HTTPS listener, naming what', () => {
    assert.equal(
      one('cert', { 'alb.ingress.kubernetes.io/certificate-arn': 'arn:aws:acm:x' }).problems[0]!.message,
      "Failed build model due to ingress: default/cert: alb.ingress.kubernetes.io/certificate-arn is not served by Skiff's ALB",
    );
    assert.match(
      one('act', { 'alb.ingress.kubernetes.io/actions.redirect': '{}' }).problems[0]!.message,
      /actions\.redirect is not served/,
    );
    assert.match(
      one('tls', {}, { tls: [{ hosts: ['a.example.com'] }] }).problems[0]!.message,
      /HTTPS listener on port 443: its certificate would come from ACM/,
    );
    assert.equal(one('tags', { 'alb.ingress.kubernetes.io/tags': 'team=a' }).problems.length, 0);
  });
  it('takes load-balancer-name as the name, and inbound-cidrs as the clients let in', () => {
    const model = one('named', {
      'alb.ingress.kubernetes.io/load-balancer-name': 'my-alb',
      'alb.ingress.kubernetes.io/inbound-cidrs': '10.0.0.0/8, 127.0.0.1/32',
      'alb.ingress.kubernetes.io/scheme': 'internet-facing',
    });
    const [lb] = model.loadBalancers;
    assert.equal(lb!.name, 'my-alb');
    assert.match(lb!.address, /^my-alb-\d+\.ap-northeast-2\.elb\.localhost$/);
    assert.ok(lb!.sources!.check('127.0.0.1', 'ipv4'));
    assert.ok(!lb!.sources!.check('192.0.2.1', 'ipv4'));
    assert.match(
      one('bad', { 'alb.ingress.kubernetes.io/inbound-cidrs': '10.0.0.0/99' }).problems[0]!.message,
      /invalid CIDR: 10\.0\.0\.0\/99$/,
    );
  });
});

describe('NLBs from Services', () => {
  const nlb = (annotations: Record<string, string>, spec: any = {}): KubeObject => ({
    ...service('lb', 'LoadBalancer'),
    metadata: { name: 'lb', namespace: 'default', uid: 'u', annotations },
    spec: { ...service('lb', 'LoadBalancer').spec, ...spec },
  });
  it('takes external + ip Services, with a listener per port and ready targets', () => {
    const model = buildModel(
      input({
        services: [
          nlb({
            'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
            'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
            'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
          }),
        ],
        slices: [slice('lb', [['10.0.2.9', true]])],
      }),
    );
    const [lb] = model.loadBalancers;
    assert.equal(lb!.type, 'network');
    assert.match(lb!.address, /^k8s-default-lb-[0-9a-f]{10}-[0-9a-f]{16}\.elb\.ap-northeast-2\.localhost$/);
    assert.deepEqual(
      lb!.listeners.map((l) => [l.port, l.protocol]),
      [[80, 'TCP']],
    );
    assert.deepEqual([...lb!.targetGroups.values()][0]!.targets, [{ ip: '10.0.2.9', port: 8080 }]);
  });
  it('refuses instance targets (the default) and leaves other controllers’ Services alone', () => {
    const model = buildModel(
      input({
        services: [
          nlb({ 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' }),
          {
            ...nlb({}),
            metadata: {
              name: 'intree',
              namespace: 'default',
              annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' },
            },
          },
          nlb({}, { loadBalancerClass: 'example.com/other' }),
        ],
      }),
    );
    assert.equal(model.loadBalancers.length, 0);
    assert.equal(model.problems.length, 1);
    assert.match(
      model.problems[0]!.message,
      /instance targets are not supported: .*aws-load-balancer-nlb-target-type: ip$/,
    );
  });
});
