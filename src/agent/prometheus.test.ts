// The agent's /metrics, as the kubelet's: reached with the kube API's client certificate only, it counts the
// running pods and containers of its host, their phases, and observes each pod's start in the kubelet's histogram.
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, it } from 'node:test';
import { type Harness, nodeObject, podObject, podWhere, startHarness } from './testing/harness.js';

let h: Harness;

before(async () => {
  h = await startHarness();
  await h.client.create(nodeObject('ng-1', '10.0.1.5', { podIPs: ['10.0.1.10', '10.0.1.11'] }));
});
after(() => h.close());

function scrape(withCert: boolean): Promise<{ code: number; body: string }> {
  const tls = h.api.ctx.agentClient!;
  return new Promise((resolve, reject) => {
    const req = request(
      new URL('/metrics', h.agent.endpoint),
      withCert ? { ca: tls.ca, cert: tls.cert, key: tls.key } : { ca: tls.ca },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

it('serves the kubelet metrics of its pods', async () => {
  await h.client.create(podObject('web', 'ng-1'));
  await podWhere(h.client, 'web', (p) => p.status?.phase === 'Running', 'running');
  const { code, body } = await scrape(true);
  assert.equal(code, 200);
  assert.match(body, /^kubelet_running_pods 1$/m);
  assert.match(body, /^kubelet_running_containers\{container_state="running"\} 1$/m);
  assert.match(body, /^kubelet_pod_start_duration_seconds_count 1$/m);
  assert.match(body, /^kube_pod_status_phase\{namespace="default",pod="web",uid="[^"]+",phase="Running"\} 1$/m);
});

it('refuses a client without the kube API certificate', async () => {
  await assert.rejects(scrape(false));
});
