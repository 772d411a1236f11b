// The service proxy against the real in-process API, with the EndpointSlice controller beside it and the apply
// step captured: a Service with ready endpoints gets rules; an endpoint turning unready is gone from the next
// apply; a Fargate node takes no NodePort; an unchanged ruleset is not applied again.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { createPod, setPodRunning } from '../../controllers/endpoints/testing.js';
import { EndpointSliceController } from '../../controllers/endpointslice/controller.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { inProcessClient } from '../../kube/index.js';
import { startTestApi, type TestApi } from '../../kube/testing/api.js';
import { until } from '../../testing/until.js';
import { ServiceProxy } from './controller.js';

let api: TestApi;
let client: KubeClient;
let slices: EndpointSliceController;
let proxy: ServiceProxy;
const applied: string[] = [];
const prepared: string[] = [];
const last = () => applied.at(-1) ?? '';

const node = (name: string, ip: string, fargate: boolean): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {
    name,
    labels: fargate ? { 'eks.amazonaws.com/compute-type': 'fargate' } : ({} as Record<string, string>),
  },
  status: { addresses: [{ type: 'InternalIP', address: ip }] },
});

before(async () => {
  api = await startTestApi();
  client = inProcessClient(api.ctx);
  slices = new EndpointSliceController(client, { onError: () => {} });
  proxy = new ServiceProxy(
    client,
    { netns: 'skiff-test', cidr: '10.0.0.0/16' },
    {
      apply: async (netns, rules) => {
        assert.equal(netns, 'skiff-test');
        applied.push(rules);
      },
      prepare: async (network) => {
        prepared.push(network.netns);
      },
    },
  );
  await slices.start();
  await proxy.start();
  await client.create(node('ip-10-0-1-4.ec2.internal', '10.0.1.4', false));
  await client.create(node('fargate-ip-10-0-2-9.ec2.internal', '10.0.2.9', true));
});
after(async () => {
  proxy.stop();
  slices.stop();
  await api.close();
});

it('prepares the namespace once and applies a ruleset at start', async () => {
  assert.deepEqual(prepared, ['skiff-test']);
  await until(() => applied.length > 0, 'a first apply');
  assert.match(last(), /^\*filter/);
});

it('routes a Service to its ready endpoints and drops one that turns unready', async () => {
  await client.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      type: 'NodePort',
      clusterIP: '10.100.20.20',
      selector: { app: 'web' },
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', nodePort: 30080 }],
    },
  });
  for (const [name, ip] of [
    ['web-a', '10.0.1.10'],
    ['web-b', '10.0.1.11'],
  ] as const) {
    await createPod(client, name, {
      labels: { app: 'web' },
      nodeName: 'ip-10-0-1-4.ec2.internal',
      ports: [{ name: 'http', containerPort: 8080 }],
    });
    await setPodRunning(client, name, ip, true);
  }
  await until(() => last().includes('10.0.1.10:8080') && last().includes('10.0.1.11:8080'), 'both endpoints');
  assert.match(last(), /-d 10\.0\.1\.4\/32 -p tcp -m tcp --dport 30080/);
  assert.doesNotMatch(last(), /10\.0\.2\.9/, 'no NodePort on a Fargate node');
  const count = applied.length;
  await setPodRunning(client, 'web-b', '10.0.1.11', false);
  await until(() => applied.length > count && !last().includes('10.0.1.11:8080'), 'the unready endpoint gone');
  assert.ok(last().includes('10.0.1.10:8080'));
});
