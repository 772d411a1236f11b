// The streaming subresources and the agent's private endpoint, in process with the simulated runtime: exec,
// attach and port-forward answer with a Status naming the runtime (SPDY and WebSocket alike), kube-apiserver's
// refusals come before any upgrade, the agent takes only the kube API's client certificate, and
// pods/ephemeralcontainers adds debug containers that the agent then runs.
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { issueAgentServingCert } from '../../kube/pki/agent-certs.js';
import { execInPod, exitCodeOf } from '../../streams/exec-client.js';
import { type Harness, nodeObject, podObject, podWhere, startHarness } from '../testing/harness.js';

let h: Harness;

interface Answer {
  code: number;
  body: string;
}

/** An upgrade request to the kube API as kubectl sends it (SPDY/3.1, or a WebSocket with v5.channel.k8s.io). */
function upgrade(path: string, protocol: 'spdy' | 'websocket', method = 'POST'): Promise<Answer> {
  const headers: Record<string, string> =
    protocol === 'spdy'
      ? { Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'v4.channel.k8s.io' }
      : {
          Connection: 'Upgrade',
          Upgrade: 'websocket',
          'Sec-WebSocket-Version': '13',
          'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
          'Sec-WebSocket-Protocol': 'v5.channel.k8s.io',
        };
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, h.api.server.url), {
      method,
      ca: h.api.caCert,
      headers: { ...headers, Authorization: `Bearer ${h.api.token}` },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ code: res.statusCode ?? 0, body: '' });
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const message = (answer: Answer) => JSON.parse(answer.body).message as string;

describe('pods/exec, attach, portforward and ephemeralcontainers', () => {
  before(async () => {
    h = await startHarness();
    await h.client.create(nodeObject('ng-1', '10.0.1.5', { podIPs: ['10.0.1.10', '10.0.1.11'] }));
    await h.client.create(
      podObject('sh', 'ng-1', { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] }),
    );
    await podWhere(h.client, 'sh', (p) => p.status?.containerStatuses?.[0]?.state?.running, 'running');
  });
  after(() => h.close());

  it('names the simulated runtime instead of a 404, over SPDY and WebSocket', async () => {
    const base = '/api/v1/namespaces/default/pods/sh';
    const cases: [string, string][] = [
      [`${base}/exec?command=true&stdout=true&container=c`, 'pods/exec'],
      [`${base}/attach?stdout=true&container=c`, 'pods/attach'],
      [`${base}/portforward?ports=80`, 'pods/portforward'],
    ];
    for (const [path, subresource] of cases) {
      for (const protocol of ['spdy', 'websocket'] as const) {
        const answer = await upgrade(path, protocol, protocol === 'websocket' ? 'GET' : 'POST');
        assert.equal(answer.code, 400, `${subresource} over ${protocol}`);
        assert.equal(
          message(answer),
          `${subresource} is not available on the simulated runtime: start skiff with --runtime process`,
        );
      }
    }
  });

  it('the exec client reads exit codes from the Status and reports refusals', async () => {
    assert.equal(exitCodeOf({ status: 'Success' }), 0);
    const failure = {
      status: 'Failure',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    };
    assert.equal(exitCodeOf(failure), 3);
    const target = {
      server: h.api.server.url,
      token: h.api.token,
      ca: h.api.caCert,
      namespace: 'default',
      pod: 'sh',
    };
    await assert.rejects(execInPod(target, ['true']), /pods\/exec is not available on the simulated runtime/);
  });

  it('refuses as kube-apiserver does before any upgrade', async () => {
    const base = '/api/v1/namespaces/default/pods';
    const missing = await upgrade(`${base}/nope/exec?command=true&stdout=true`, 'spdy');
    assert.deepEqual([missing.code, message(missing)], [404, 'pods "nope" not found']);
    const noStreams = await upgrade(`${base}/sh/exec?command=true`, 'spdy');
    assert.equal(message(noStreams), 'you must specify at least 1 of stdin, stdout, stderr');
    const badContainer = await upgrade(`${base}/sh/exec?command=true&stdout=true&container=x`, 'spdy');
    assert.equal(message(badContainer), 'container x is not valid for pod sh');
    const plain = await new Promise<Answer>((resolve, reject) => {
      const req = request(new URL(`${base}/sh/exec?command=true&stdout=true`, h.api.server.url), {
        method: 'POST',
        ca: h.api.caCert,
        headers: { Authorization: `Bearer ${h.api.token}` },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
    assert.deepEqual([plain.code, message(plain)], [400, 'Upgrade request required']);
  });

  it("takes only the kube API's client certificate", async () => {
    const endpoint = h.agent.endpoint!;
    const call = (options: { cert?: string; key?: string }) =>
      new Promise<number | string>((resolve) => {
        const req = request(new URL('/containerLogs/default/sh/c', endpoint), { ca: h.api.caCert, ...options });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', (error: any) => resolve(error.code ?? error.message));
        req.end();
      });
    const anonymous = await call({});
    assert.notEqual(anonymous, 200);
    assert.equal(typeof anonymous, 'string', 'refused in the TLS handshake');
    const other = await issueAgentServingCert(`${h.api.dir}/pki`, 'someone-else');
    const stranger = await call({ cert: other.cert, key: other.key });
    assert.notEqual(stranger, 200);
    const { cert, key } = h.api.ctx.agentClient!;
    assert.equal(await call({ cert, key }), 200);
  });

  it('adds ephemeral containers and runs them; existing ones may not change', async () => {
    const ref = { apiVersion: 'v1', kind: 'Pod', namespace: 'default' };
    const debug = { name: 'dbg', image: 'busybox', command: ['sleep', '3600'], targetContainerName: 'c' };
    const patched = await h.client.patch(ref, 'sh', { spec: { ephemeralContainers: [debug] } }, 'strategic', {
      subresource: 'ephemeralcontainers',
    });
    assert.equal(patched.spec.ephemeralContainers[0].terminationMessagePolicy, 'File');
    const running = await podWhere(
      h.client,
      'sh',
      (p) => p.status?.ephemeralContainerStatuses?.[0]?.state?.running,
      'the debug container running',
    );
    assert.equal(running.status.ephemeralContainerStatuses[0].name, 'dbg');
    await assert.rejects(
      h.client.patch(
        ref,
        'sh',
        [{ op: 'replace', path: '/spec/ephemeralContainers/0/image', value: 'nginx' }],
        'json',
        { subresource: 'ephemeralcontainers' },
      ),
      /existing ephemeral containers "dbg" may not be changed/,
    );
    const current = await h.client.get(ref, 'sh');
    await assert.rejects(
      h.client.update(
        { ...current, spec: { ...current.spec, ephemeralContainers: [] } },
        { subresource: 'ephemeralcontainers' },
      ),
      /existing ephemeral containers \\"dbg\\" may not be removed/,
    );
    const taken = { name: 'c', image: 'busybox' };
    await assert.rejects(
      h.client.patch(ref, 'sh', { spec: { ephemeralContainers: [taken] } }, 'strategic', {
        subresource: 'ephemeralcontainers',
      }),
      /spec\.ephemeralContainers\[\d\]\.name: Duplicate value: "c"/,
    );
  });
});
