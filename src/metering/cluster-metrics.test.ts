// The kube API's /metrics: a Fargate pod scheduled by fargate-scheduler and metered shows in the pod phase gauge,
// the per-profile pod count, provisioned vCPU/GB and cost rate, the burn rate, and the start latency histogram.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { setPodPhase } from '../controllers/job/testing.js';
import { callApi } from '../kube/testing/call.js';
import { boundPod, fargatePod, type Harness, startHarness } from '../scheduler/fargate/testing.js';
import { until } from '../testing/until.js';
import { ClusterMetrics } from './cluster-metrics.js';
import { MeteringController } from './controller.js';

let h: Harness;
let metering: MeteringController;
let metrics: ClusterMetrics;

before(async () => {
  h = await startHarness({ region: 'us-east-1' });
  metering = new MeteringController(h.client, { cluster: { cluster: 'skiff', region: 'us-east-1' } });
  metrics = new ClusterMetrics(h.client, { region: 'us-east-1', metering });
  h.api.ctx.metrics = metrics;
  await metering.start();
  await metrics.start();
});
after(async () => {
  metrics.stop();
  metering.stop();
  await h.close();
});

const scrape = async () => {
  const reply = await callApi({ url: h.api.server.url, caCert: h.api.caCert, token: h.api.token }, 'GET', '/metrics');
  assert.equal(reply.status, 200);
  return String(reply.body);
};

it('serves pods by phase, Fargate pods by profile, provisioned size, cost rate and start latency', async () => {
  await h.client.create(fargatePod('web', { containers: [{ name: 'app', image: 'nginx' }] }));
  const pod = await boundPod(h.client, 'web');
  await setPodPhase(h.client, pod, 'Running');
  await until(async () => metering.usageRecords().length === 1, 'usage record');
  const text = await scrape();
  assert.match(text, /^kube_pod_status_phase\{namespace="default",pod="web",uid="[^"]+",phase="Running"\} 1$/m);
  assert.match(text, /^kube_pod_status_phase\{namespace="default",pod="web",uid="[^"]+",phase="Pending"\} 0$/m);
  assert.match(text, /^skiff_fargate_pods\{profile="fp-default"\} 1$/m);
  assert.match(text, /^skiff_fargate_provisioned_vcpu\{profile="fp-default"\} 0\.25$/m);
  assert.match(text, /^skiff_fargate_provisioned_memory_gigabytes\{profile="fp-default"\} 0\.5$/m);
  assert.match(text, /^skiff_fargate_cost_usd_per_hour\{profile="fp-default"\} 0\.01234250*\d*$/m);
  assert.match(text, /^skiff_cost_usd_per_hour\{resource_type="FargatePod"\} 0\.01234250*\d*$/m);
  assert.match(
    text,
    /^skiff_cost_usd_total\{resource_type="FargatePod"\} 0\.0002057083\d*$/m,
    'the minute is owed at once',
  );
  assert.match(text, /^# TYPE skiff_pod_start_duration_seconds histogram$/m);
  assert.match(text, /^skiff_pod_start_duration_seconds_count 1$/m);
  assert.match(text, /^skiff_pod_start_duration_seconds_bucket\{le="3600"\} 1$/m);
  assert.match(text, /^process_cpu_seconds_total /m);
});

it('refuses /metrics without a token', async () => {
  const reply = await callApi({ url: h.api.server.url, caCert: h.api.caCert, token: 'nope' }, 'GET', '/metrics');
  assert.equal(reply.status, 401);
});
