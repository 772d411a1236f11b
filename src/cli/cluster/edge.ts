// The VPC's edge on the process runtime, started beside the service proxy: the NAT gateway that lets pods out
// (network/egress/) and the AWS Load Balancer Controller's ALBs and NLBs listening on the `--host` address
// (network/loadbalancer/). `stop` closes the listeners and removes the NAT rules.
import type { ContainerEngine } from '../../agent/engine/index.js';
import type { KubeClient } from '../../kube/client/types.js';
import { startNatGateway } from '../../network/egress/nat-gateway.js';
import { LoadBalancerController } from '../../network/loadbalancer/controller.js';
import type { SkiffConfig } from '../config.js';

export async function startEdge(
  client: KubeClient,
  engine: ContainerEngine,
  config: Pick<SkiffConfig, 'name' | 'region' | 'host'>,
): Promise<{ stop(): Promise<void> }> {
  const nat = engine.vpc.hostAddress
    ? await startNatGateway({ cidr: engine.vpc.cidr, hostLink: engine.paths.hostLink })
    : undefined;
  if (nat?.notice) console.error(`skiff: ${nat.notice}`);
  const balancers = new LoadBalancerController(client, {
    clusterName: config.name,
    region: config.region,
    host: config.host,
  });
  try {
    await balancers.start();
  } catch (error) {
    balancers.stop();
    await nat?.close();
    throw error;
  }
  return {
    async stop() {
      balancers.stop();
      await nat?.close();
    },
  };
}
