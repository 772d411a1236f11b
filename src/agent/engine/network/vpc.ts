// The cluster VPC's network namespace: a bridge holding the VPC gateway address (pods' veths join it by CNI), and one
// veth to the host's namespace with a route for the VPC CIDR, so the host reaches pods and nothing else of the pods
// shows in the host. Set-up is idempotent (it keeps what a previous run left running); tear-down removes it all.
import { existsSync } from 'node:fs';
import type { EnginePaths } from '../paths.js';
import { formatCidr, gatewayOf, parseCidr } from './cidr.js';
import { run, tryRun } from './run.js';

export const BRIDGE = 'skiffbr0';
export const UPLINK = 'uplink0';

export interface VpcNetwork {
  netns: string;
  netnsPath: string;
  cidr: string;
  gateway: string;
  prefix: number;
  /** Address of the host end of the host link, or undefined without one. */
  hostAddress?: string;
}

function linkAddresses(id: string): { host: string; vpc: string } {
  const a = (Number.parseInt(id.slice(0, 2), 16) % 254) + 1;
  const b = (Number.parseInt(id.slice(2, 4), 16) % 64) * 4;
  return { host: `169.254.${a}.${b + 1}`, vpc: `169.254.${a}.${b + 2}` };
}

/** The host end of the host link a data dir's VPC gets (stable for the data dir): where pods reach the host. */
export const hostLinkAddress = (paths: Pick<EnginePaths, 'id'>) => linkAddresses(paths.id).host;

const ipIn = (netns: string, args: string[]) => run('ip', ['-n', netns, ...args]);

export async function setUpVpcNetwork(paths: EnginePaths, cidrText: string, hostLink = true): Promise<VpcNetwork> {
  const cidr = parseCidr(cidrText);
  const gateway = gatewayOf(cidr);
  const netns = paths.netns;
  const netnsPath = `/run/netns/${netns}`;
  if (!existsSync(netnsPath)) {
    await run('ip', ['netns', 'add', netns]);
    await ipIn(netns, ['link', 'set', 'lo', 'up']);
    await run('ip', ['netns', 'exec', netns, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
  }
  if (!(await tryRun('ip', ['-n', netns, 'link', 'show', BRIDGE]))) {
    await ipIn(netns, ['link', 'add', BRIDGE, 'type', 'bridge']);
    await ipIn(netns, ['addr', 'add', `${gateway}/${cidr.prefix}`, 'dev', BRIDGE]);
    await ipIn(netns, ['link', 'set', BRIDGE, 'up']);
  }
  const network: VpcNetwork = { netns, netnsPath, cidr: formatCidr(cidr), gateway, prefix: cidr.prefix };
  if (!hostLink) return network;
  const { host, vpc } = linkAddresses(paths.id);
  if (!(await tryRun('ip', ['link', 'show', paths.hostLink]))) {
    await run('ip', ['link', 'add', paths.hostLink, 'type', 'veth', 'peer', 'name', UPLINK, 'netns', netns]);
    await run('ip', ['addr', 'add', `${host}/30`, 'dev', paths.hostLink]);
    await run('ip', ['link', 'set', paths.hostLink, 'up']);
    await ipIn(netns, ['addr', 'add', `${vpc}/30`, 'dev', UPLINK]);
    await ipIn(netns, ['link', 'set', UPLINK, 'up']);
    await ipIn(netns, ['route', 'replace', 'default', 'via', host]);
    await run('ip', ['route', 'replace', network.cidr, 'via', vpc, 'dev', paths.hostLink]);
  }
  return { ...network, hostAddress: host };
}

/** Removes the host link (and with it the route) and the namespace with the bridge and any veth left in it. */
export async function tearDownVpcNetwork(paths: EnginePaths): Promise<void> {
  await tryRun('ip', ['link', 'del', paths.hostLink]);
  if (existsSync(`/run/netns/${paths.netns}`)) await run('ip', ['netns', 'del', paths.netns]);
}
