// The agent each created cluster gets on this host: the simulated one when `skiff up` runs simulated, else a
// process host on Skiff's own containerd and VPC (the built-in cluster's micro-VMs stay the built-in's: created
// clusters run their pods, Fargate ones included, as runc containers).
import type { ContainerEngine } from '../../agent/engine/engine.js';
import { engineVersions } from '../../agent/engine/versions.js';
import type { Logger } from '../../client/logger.js';
import type { StartHost } from './fleet.js';
import { startProcessHost, startSimulatedHost } from './host.js';

export function hostStarter(engine: ContainerEngine | undefined, dataDir: string, logger: Logger): StartHost {
  if (!engine) return (client, pkiDir) => startSimulatedHost(client, dataDir, pkiDir, logger);
  return async (client, pkiDir, sandboxesDir) =>
    startProcessHost(client, engine, await engineVersions(), pkiDir, logger, sandboxesDir);
}
