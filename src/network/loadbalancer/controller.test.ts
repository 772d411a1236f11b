// The load balancer controller against the real in-process API, with a backend on loopback standing for a pod: the
// chart's IngressClass, an Ingress's address and listener, the events it records, a port in use reported (event
// and the status port's error) then taken once free, a refused Ingress, and teardown when an object leaves.
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { after, before, it } from 'node:test';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { inProcessClient } from '../../kube/index.js';
import { startTestApi, type TestApi } from '../../kube/testing/api.js';
import { until } from '../../testing/until.js';
import { LoadBalancerController } from './controller.js';

let api: TestApi;
let client: KubeClient;
let controller: LoadBalancerController;
let backend: Server;
let backendPort: number;

async function freePort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const ingressRef = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', namespace: 'default' };
const ingress = (name: string, port: number, annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/listen-ports': JSON.stringify([{ HTTP: port }]),
      ...annotations,
    },
  },
  spec: { ingressClassName: 'alb', defaultBackend: { service: { name: 'web', port: { number: 80 } } } },
});

const address = async (name: string) =>
  (await client.get(ingressRef, name)).status?.loadBalancer?.ingress?.[0] as
    | { hostname: string; ports?: { port: number; error: string }[] }
    | undefined;
const events = async (name: string) =>
  (await client.list({ apiVersion: 'v1', kind: 'Event', namespace: 'default' })).items.filter(
    (e: any) => e.involvedObject.name === name,
  ) as any[];

function get(port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { host } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(`${res.statusCode} ${body}`));
    });
    req.on('error', reject);
    req.end();
  });
}

before(async () => {
  backend = createServer((_req, res) => res.end('pod'));
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  backendPort = (backend.address() as { port: number }).port;
  api = await startTestApi();
  client = inProcessClient(api.ctx);
  controller = new LoadBalancerController(client, {
    clusterName: 'skiff',
    region: 'ap-northeast-2',
    host: '127.0.0.1',
    retryMs: 100,
    onError: (error) => console.error(error),
  });
  await controller.start();
  await client.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: backendPort }] },
  });
  await client.create({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'web-x', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: backendPort, protocol: 'TCP' }],
    endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true } }],
  });
});
after(async () => {
  controller.stop();
  await api.close();
  backend.close();
});

it('installs the IngressClass alb and its IngressClassParams as the chart does', async () => {
  const cls = await client.get({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass' }, 'alb');
  assert.equal(cls.spec.controller, 'ingress.k8s.aws/alb');
  const params = await client.get({ apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'IngressClassParams' }, 'alb');
  assert.equal(params.metadata.name, 'alb');
});

it('gives an Ingress its address, serves it, and records SuccessfullyReconciled once', async () => {
  const port = await freePort();
  await client.create(ingress('web', port, { 'alb.ingress.kubernetes.io/scheme': 'internet-facing' }));
  const status = await until(() => address('web'), 'the address');
  assert.match(status.hostname, /^k8s-default-web-[0-9a-f]{10}-\d+\.ap-northeast-2\.elb\.localhost$/);
  assert.equal(
    await until(async () => {
      const answer = await get(port, status.hostname).catch(() => '');
      return answer === '200 pod' && answer;
    }, 'the pod through the listener'),
    '200 pod',
  );
  const recorded = await until(async () => {
    const list = await events('web');
    return list.length ? list : undefined;
  }, 'the event');
  assert.deepEqual(
    recorded.map((e) => [e.type, e.reason, e.message, e.source.component]),
    [['Normal', 'SuccessfullyReconciled', 'Successfully reconciled', 'ingress']],
  );
  await client.delete(ingressRef, 'web');
  await until(() => !controller.ports().includes(port), 'the port closed');
});

it('keeps serving an Ingress as it last was when its new model fails, saying why', async () => {
  const port = await freePort();
  await client.create(ingress('edited', port));
  const status = await until(() => address('edited'), 'the address');
  await until(async () => (await get(port, status.hostname).catch(() => '')) === '200 pod', 'served');
  await client.patch(
    ingressRef,
    'edited',
    { metadata: { annotations: { 'alb.ingress.kubernetes.io/certificate-arn': 'arn:aws:acm:x' } } },
    'merge',
  );
  const refused = await until(
    async () => (await events('edited')).find((e) => e.reason === 'FailedBuildModel'),
    'event',
  );
  assert.match(refused.message, /certificate-arn is not served by Skiff's ALB$/);
  assert.equal((await address('edited'))?.hostname, status.hostname);
  assert.equal(await get(port, status.hostname), '200 pod');
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal((await events('edited')).length, 2, 'no event repeated');
  await client.delete(ingressRef, 'edited');
  await until(() => !controller.ports().includes(port), 'the port closed');
});

it('reports a listener port in use with FailedDeployModel and the status port error, then takes it once free', async () => {
  const port = await freePort();
  const holder = createTcpServer();
  await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
  await client.create(ingress('busy', port));
  const status = await until(async () => {
    const s = await address('busy');
    return s?.ports?.length ? s : undefined;
  }, 'the port error in the status');
  assert.deepEqual(status.ports, [{ port, protocol: 'TCP', error: 'skiff.io/PortInUse' }]);
  const warning = await until(
    async () => (await events('busy')).find((e) => e.reason === 'FailedDeployModel'),
    'event',
  );
  assert.equal(warning.type, 'Warning');
  assert.equal(warning.message, `Failed deploy model due to port ${port} on 127.0.0.1 is in use`);
  await new Promise((resolve) => holder.close(resolve));
  await until(async () => {
    const s = await address('busy');
    return s && !s.ports;
  }, 'the port taken once free');
  assert.ok(controller.ports().includes(port));
  await client.delete(ingressRef, 'busy');
});

it('refuses instance targets with FailedBuildModel and gives no address; an Ingress leaving the class loses its', async () => {
  const port = await freePort();
  await client.create(ingress('inst', port, { 'alb.ingress.kubernetes.io/target-type': 'instance' }));
  const refused = await until(async () => (await events('inst')).find((e) => e.reason === 'FailedBuildModel'), 'event');
  assert.equal(
    refused.message,
    "Failed build model due to ingress: default/inst: TargetGroup port is empty. When using Instance targets, your service must be of type 'NodePort' or 'LoadBalancer'",
  );
  assert.equal(await address('inst'), undefined);

  await client.create(ingress('moving', port));
  await until(() => address('moving'), 'the address');
  await client.patch(ingressRef, 'moving', { spec: { ingressClassName: 'nginx' } }, 'merge');
  await until(async () => (await address('moving')) === undefined, 'the address cleared');
  await until(() => !controller.ports().includes(port), 'the port closed');
});
