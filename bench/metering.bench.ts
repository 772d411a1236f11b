// What metering costs per pod: 500 Fargate pods (bound, sized, each with its `Pulling` event) in the kube API on
// SQLite; the metering controller starts and writes one UsageRecord each (ms per pod); then the bill over all
// records (`skiff cost`'s report and its CUR CSV) and one /metrics scrape of the control plane's gauges.
import { performance } from 'node:perf_hooks';
import { fargateNodeName } from '../src/fargate/naming.js';
import type { KubeObject } from '../src/kube/api/types.js';
import { inProcessClient } from '../src/kube/index.js';
import { startTestApi } from '../src/kube/testing/api.js';
import { ClusterMetrics } from '../src/metering/cluster-metrics.js';
import { MeteringController } from '../src/metering/controller.js';
import { costCsv, costReport } from '../src/metering/report/report.js';
import { until } from '../src/testing/until.js';
import type { BenchResult } from './run.js';

const total = 500;
const round = (x: number, places = 0) => Number(x.toFixed(places));

export default async function (): Promise<BenchResult[]> {
  const api = await startTestApi({ store: 'sqlite' });
  const client = inProcessClient(api.ctx);
  await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  for (let i = 0; i < total; i++) {
    const ip = `10.0.${128 + Math.floor(i / 250)}.${(i % 250) + 2}`;
    const pod = await client.create<KubeObject>({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `p-${i}`,
        namespace: 'bench',
        labels: { app: `app-${i % 10}`, 'eks.amazonaws.com/fargate-profile': 'fp-bench' },
        annotations: { CapacityProvisioned: i % 2 ? '0.25vCPU 0.5GB' : '1vCPU 2GB' },
      },
      spec: {
        nodeName: fargateNodeName(ip, 'us-east-1'),
        schedulerName: 'fargate-scheduler',
        containers: [{ name: 'c', image: 'nginx' }],
      },
    });
    await client.create({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `p-${i}.pulling`, namespace: 'bench' },
      involvedObject: { kind: 'Pod', namespace: 'bench', name: pod.metadata.name, uid: pod.metadata.uid },
      reason: 'Pulling',
      message: 'Pulling image "nginx"',
      type: 'Normal',
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    });
  }
  const metering = new MeteringController(client, { cluster: { cluster: 'bench', region: 'us-east-1' } });
  const metrics = new ClusterMetrics(client, { region: 'us-east-1', metering });
  const start = performance.now();
  await metering.start();
  await until(() => metering.usageRecords().length === total, 'records', 300_000);
  const recorded = performance.now() - start;
  await metrics.start();
  const records = metering.usageRecords();
  const t0 = performance.now();
  const report = costReport(records, { nowMs: Date.now() + 3_600_000, by: 'workload' });
  const csv = costCsv(report, '111122223333');
  const reportMs = performance.now() - t0;
  const t1 = performance.now();
  const scraped = await metrics.metrics();
  const scrapeMs = performance.now() - t1;
  metrics.stop();
  metering.stop();
  await api.close();
  return [
    {
      name: `${total} pods metered`,
      value: round(recorded),
      unit: 'ms',
      note: 'controller start → every record written',
    },
    { name: 'metering per pod', value: round(recorded / total, 2), unit: 'ms' },
    {
      name: `bill of ${total} records (report + CUR CSV)`,
      value: round(reportMs, 1),
      unit: 'ms',
      note: `${csv.length} bytes of CSV`,
    },
    {
      name: `/metrics scrape with ${total} pods`,
      value: round(scrapeMs, 1),
      unit: 'ms',
      note: `${scraped.length} bytes`,
    },
  ];
}
