// The metrics.k8s.io API with the real kubectl: PodMetrics and NodeMetrics written through the API (as the agents
// write them) are listed in discovery and shown by `kubectl top pod` and `kubectl top node`; `kubectl autoscale`
// (an autoscaling/v1 HPA in protobuf) is served and `kubectl get hpa` prints its targets.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type SkiffProcess, startSkiff } from './harness/skiff.js';

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

const podMetrics = (name: string, cpu: string, memory: string) =>
  JSON.stringify({
    apiVersion: 'metrics.k8s.io/v1beta1',
    kind: 'PodMetrics',
    metadata: { name, namespace: 'default', labels: { app: 'web' } },
    timestamp: now(),
    window: '15s',
    containers: [
      { name: 'nginx', usage: { cpu, memory } },
      { name: 'sidecar', usage: { cpu: '5m', memory: '8Mi' } },
    ],
  });

const node = JSON.stringify({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'fargate-ip-10-0-130-7.ap-northeast-2.compute.internal' },
  status: {
    capacity: { cpu: '2', memory: '4Gi', pods: '1' },
    allocatable: { cpu: '2', memory: '4Gi', pods: '1' },
  },
});

const nodeMetrics = JSON.stringify({
  apiVersion: 'metrics.k8s.io/v1beta1',
  kind: 'NodeMetrics',
  metadata: { name: 'fargate-ip-10-0-130-7.ap-northeast-2.compute.internal' },
  timestamp: now(),
  window: '15s',
  usage: { cpu: '500m', memory: '1Gi' },
});

describe('kubectl top against skiff up', () => {
  let skiff: SkiffProcess;
  before(async () => {
    skiff = await startSkiff(['--runtime', 'simulated']);
  });
  after(async () => {
    await skiff?.stop();
  });

  const ok = async (args: string[], input?: string) => {
    const result = await skiff.kubectl(args, input);
    assert.equal(result.code, 0, `kubectl ${args.join(' ')} failed: ${result.stderr}`);
    return result.stdout;
  };

  it('lists the metrics API in discovery', async () => {
    const resources = await ok(['api-resources', '--api-group', 'metrics.k8s.io']);
    assert.match(resources, /^nodes\s+metrics\.k8s\.io\/v1beta1\s+false\s+NodeMetrics$/m);
    assert.match(resources, /^pods\s+metrics\.k8s\.io\/v1beta1\s+true\s+PodMetrics$/m);
  });

  it('shows pod usage with kubectl top pod, per container and summed', async () => {
    await ok(['create', '-f', '-'], podMetrics('web-1', '245m', '60Mi'));
    await ok(['create', '-f', '-'], podMetrics('web-2', '95m', '24Mi'));
    assert.match(
      await ok(['top', 'pod']),
      /^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*\nweb-1\s+250m\s+68Mi\s*\nweb-2\s+100m\s+32Mi\s*$/m,
    );
    assert.match(await ok(['top', 'pod', 'web-1', '--containers']), /^web-1\s+nginx\s+245m\s+60Mi\s*$/m);
    assert.match(await ok(['top', 'pod', '-l', 'app=web', '--sum']), /^\s+350m\s+100Mi\s*$/m);
  });

  it('follows updates written through the API', async () => {
    const current = JSON.parse(
      await ok(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web-2']),
    );
    current.containers[0].usage.cpu = '495m';
    await ok(['replace', '-f', '-'], JSON.stringify(current));
    assert.match(await ok(['top', 'pod', 'web-2']), /^web-2\s+500m\s+32Mi\s*$/m);
    assert.match(await ok(['get', 'podmetrics']), /^NAME\s+.*\nweb-1\s+.*\nweb-2\s+/m);
  });

  it('shows node usage against allocatable with kubectl top node', async () => {
    await ok(['create', '-f', '-'], node);
    await ok(['create', '-f', '-'], nodeMetrics);
    assert.match(
      await ok(['top', 'node']),
      /^NAME\s+CPU\(cores\)\s+CPU(\(%\)|%)\s+MEMORY\(bytes\)\s+MEMORY(\(%\)|%)\s*\nfargate-ip-10-0-130-7\.ap-northeast-2\.compute\.internal\s+500m\s+25%\s+1024Mi\s+25%\s*$/m,
    );
  });

  it('creates an HPA with kubectl autoscale and prints its targets', async () => {
    await ok(['create', 'deployment', 'web', '--image=nginx']);
    assert.equal(
      (await ok(['autoscale', 'deployment', 'web', '--cpu-percent=50', '--min=1', '--max=5'])).trim(),
      'horizontalpodautoscaler.autoscaling/web autoscaled',
    );
    assert.match(
      await ok(['get', 'hpa']),
      /^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE\nweb\s+Deployment\/web\s+cpu: <unknown>\/50%\s+1\s+5\s+[01]\s+\d+s$/m,
    );
    const status = {
      status: {
        currentReplicas: 2,
        desiredReplicas: 2,
        currentMetrics: [
          { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 40, averageValue: '40m' } } },
        ],
      },
    };
    await ok(['patch', 'hpa', 'web', '--subresource=status', '--type=merge', '-p', JSON.stringify(status)]);
    assert.match(await ok(['get', 'hpa', 'web']), /^web\s+Deployment\/web\s+cpu: 40%\/50%\s+1\s+5\s+2\s+/m);
    const v1 = JSON.parse(
      await ok(['get', '--raw', '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/web']),
    );
    assert.equal(v1.spec.targetCPUUtilizationPercentage, 50);
    assert.equal(v1.status.currentCPUUtilizationPercentage, 40);
  });

  it('answers NotFound for a pod without metrics', async () => {
    const result = await skiff.kubectl(['top', 'pod', 'nothing-here']);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /^Error from server \(NotFound\): .*metrics\.k8s\.io ".*nothing-here" not found$/m);
  });
});
