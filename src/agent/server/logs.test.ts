// kubectl logs end to end in process: the real kube API over HTTPS relays GET pods/{name}/log to the agent's
// endpoint found through the Node and the host Lease; the simulated runtime's output; kube-apiserver's error texts.
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, describe, it } from 'node:test';
import {
  fastTimings,
  type Harness,
  hostName,
  nodeObject,
  podObject,
  podWhere,
  startHarness,
} from '../testing/harness.js';

let h: Harness;

function get(path: string): Promise<{ code: number; body: string; type?: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, h.api.server.url);
    const req = request(url, { ca: h.api.caCert, headers: { Authorization: `Bearer ${h.api.token}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body, type: res.headers['content-type'] }));
    });
    req.on('error', reject);
    req.end();
  });
}

const logs = (pod: string, query = '') => get(`/api/v1/namespaces/default/pods/${pod}/log${query ? `?${query}` : ''}`);
const statusOf = (body: string) => JSON.parse(body) as { code: number; reason: string; message: string };
const running = (pod: any) => pod.status?.containerStatuses?.every((s: any) => s.state?.running);

describe('pods/log through the agent', () => {
  before(async () => {
    h = await startHarness({ commandTimeScale: 0.05 });
    await h.client.create(
      nodeObject('ng-1', '10.0.1.5', {
        podIPs: ['10.0.1.10', '10.0.1.11', '10.0.1.12', '10.0.1.13', '10.0.1.14', '10.0.1.15'],
      }),
    );
  });
  after(() => h.close());

  it('publishes only the HTTPS endpoint on the host Lease', async () => {
    const lease = await h.client.get(
      { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: 'kube-system' },
      `skiff-host-${hostName}`,
    );
    assert.equal(lease.metadata.annotations?.['skiff.io/agent-endpoint'], h.agent.endpoint);
    assert.match(h.agent.endpoint ?? '', /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(lease.metadata.annotations?.['skiff.io/agent-token'], undefined);
  });

  it('serves what the container printed, with tailLines, timestamps and limitBytes', async () => {
    const script = 'for i in 1 2 3; do echo "line $i"; done; sleep 3600';
    await h.client.create(
      podObject('echo', 'ng-1', { containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', script] }] }),
    );
    await podWhere(h.client, 'echo', running, 'running');
    const all = await logs('echo');
    assert.equal(all.code, 200);
    assert.match(all.type ?? '', /^text\/plain/);
    assert.equal(all.body, 'line 1\nline 2\nline 3\n');
    assert.equal((await logs('echo', 'tailLines=1')).body, 'line 3\n');
    assert.match((await logs('echo', 'timestamps=true&tailLines=1')).body, /^\d{4}-\d\d-\d\dT[\d:.]+Z line 3\n$/);
    assert.equal((await logs('echo', 'limitBytes=8')).body, 'line 1\nl');
    assert.equal((await logs('echo', 'sinceSeconds=3600')).body, 'line 1\nline 2\nline 3\n');
  });

  it('nginx prints its start banner', async () => {
    await h.client.create(podObject('web', 'ng-1'));
    await podWhere(h.client, 'web', running, 'running');
    const { body } = await logs('web', 'container=web');
    assert.match(body, /^\/docker-entrypoint\.sh: \/docker-entrypoint\.d\/ is not empty/);
    assert.match(body, /\[notice\] 1#1: nginx\/1\.27\.0\n/);
  });

  it('follow streams until the container ends; previous shows the last attempt', async () => {
    const script = 'echo start; sleep 20; echo end; exit 1';
    await h.client.create(
      podObject('crash', 'ng-1', { containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', script] }] }),
    );
    await podWhere(h.client, 'crash', running, 'running');
    const followed = await logs('crash', 'follow=true');
    assert.equal(followed.body, 'start\nend\n');
    await podWhere(h.client, 'crash', (p) => p.status?.containerStatuses?.[0]?.lastState?.terminated, 'restarted');
    const previous = await logs('crash', 'previous=true');
    assert.equal(previous.code, 200);
    assert.equal(previous.body, 'start\nend\n');
  });

  it("answers with kube-apiserver's and the kubelet's error texts", async () => {
    const missing = await logs('nope');
    assert.equal(missing.code, 404);
    assert.equal(statusOf(missing.body).message, 'pods "nope" not found');

    await h.client.create(
      podObject('two', 'ng-1', {
        initContainers: [{ name: 'init', image: 'busybox', command: ['true'] }],
        containers: [
          { name: 'a', image: 'busybox', command: ['sleep', '3600'] },
          { name: 'b', image: 'busybox', command: ['sleep', '3600'] },
        ],
      }),
    );
    const choose = await logs('two');
    assert.equal(choose.code, 400);
    assert.deepEqual(
      [statusOf(choose.body).reason, statusOf(choose.body).message],
      ['BadRequest', 'a container name must be specified for pod two, choose one of: [init a b]'],
    );
    assert.equal(statusOf((await logs('two', 'container=zz')).body).message, 'container zz is not valid for pod two');

    await h.client.create(podObject('pulling', 'ng-1', { containers: [{ name: 'x', image: 'nginxx' }] }));
    await podWhere(
      h.client,
      'pulling',
      (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason?.includes('Image'),
      'pull failed',
    );
    const waiting = await logs('pulling');
    assert.equal(waiting.code, 400);
    assert.match(
      statusOf(waiting.body).message,
      /^container "x" in pod "pulling" is waiting to start: (image can't be pulled|trying and failing to pull image)$/,
    );

    await podWhere(h.client, 'echo', running, 'running');
    const noPrevious = await logs('echo', 'previous=true');
    assert.equal(noPrevious.code, 400);
    assert.equal(statusOf(noPrevious.body).message, 'previous terminated container "c" in pod "echo" not found');

    const invalid = await logs('echo', 'tailLines=-1');
    assert.equal(invalid.code, 422);
    assert.equal(
      statusOf(invalid.body).message,
      'PodLogOptions "echo" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0',
    );
  });

  it('waiting to start: ContainerCreating while the sandbox boots; an unreachable agent is a clear 500', async () => {
    const slow = await startHarness({ sandboxBootMs: { nodegroup: 60_000, fargate: 60_000 } });
    try {
      await slow.client.create(nodeObject('ng-2', '10.0.2.5', { podIPs: ['10.0.2.10'] }));
      await slow.client.create(podObject('boot', 'ng-2'));
      await podWhere(slow.client, 'boot', (p) => p.status?.containerStatuses?.[0]?.state?.waiting, 'waiting');
      const previousH = h;
      h = slow;
      const creating = await logs('boot');
      assert.equal(
        statusOf(creating.body).message,
        'container "web" in pod "boot" is waiting to start: ContainerCreating',
      );
      await slow.agent.stop();
      const down = await logs('boot');
      h = previousH;
      assert.equal(down.code, 500);
      assert.match(
        statusOf(down.body).message,
        /error trying to reach the agent of host "test-host" for node "ng-2" at https:\/\/127\.0\.0\.1:\d+: connect ECONNREFUSED/,
      );
    } finally {
      await slow.api.close();
    }
  });
});

void fastTimings;
