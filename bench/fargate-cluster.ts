// The cluster the Fargate benches run against, in one process: the kube API on SQLite, the Fargate admission, the
// whole control plane with one ACTIVE profile for namespace `bench`, and one agent on the simulated runtime.
import { createSimulatedDriver, type SimulatedTimingsOverride, startAgent } from '../src/agent/index.js';
import { registerAdmission, startControlPlane } from '../src/cli/cluster/control-plane.js';
import { simulatedHostCapacity } from '../src/cli/cluster/host.js';
import { defaultSubnets, StaticClusterFacts } from '../src/cloud/static.js';
import { inProcessClient } from '../src/kube/index.js';
import { startTestApi } from '../src/kube/testing/api.js';

/** Every simulated step instant: what is left is Skiff's own overhead. */
export const instant: SimulatedTimingsOverride = {
  sandboxBootMs: { nodegroup: 0, fargate: 0 },
  imagePullMs: { default: 0 },
  imageRecheckMs: 0,
  containerCreateMs: 0,
  containerStartMs: 0,
};

/** A pod of namespace `bench` (which the profile captures) asking for `cpu` and 512Mi. */
export function benchPod(name: string, cpu: string) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'bench', labels: { app: 'bench' } },
    spec: { containers: [{ name: 'nginx', image: 'nginx', resources: { requests: { cpu, memory: '512Mi' } } }] },
  };
}

export async function startFargateCluster(timings: SimulatedTimingsOverride) {
  const api = await startTestApi({ store: 'sqlite' });
  const client = inProcessClient(api.ctx);
  const facts = new StaticClusterFacts();
  const privateSubnets = defaultSubnets(facts.region)
    .filter((s) => !s.public)
    .map((s) => s.subnetId);
  facts.setProfiles([
    {
      name: 'bench',
      status: 'ACTIVE',
      selectors: [{ namespace: 'bench' }],
      subnets: privateSubnets,
      podExecutionRoleArn: 'arn:aws:iam::111122223333:role/bench',
    },
  ]);
  const admission = await registerAdmission(api.ctx, facts);
  const controlPlane = await startControlPlane({ ctx: api.ctx, facts });
  const agent = await startAgent({
    client,
    hostName: 'bench-host',
    capacity: simulatedHostCapacity,
    driver: createSimulatedDriver(timings),
  });
  await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
  return {
    api,
    client,
    async stop() {
      await agent.stop();
      await controlPlane.stop();
      await admission.stop();
      await api.close();
    },
  };
}
