// What the service proxy needs to know of the process runtime's VPC: its namespace, its CIDR and its link to the
// host (the namespace's end of the veth and the link's /30), read off the engine's VpcNetwork.
import { formatCidr, parseCidr } from '../../agent/engine/network/cidr.js';
import { UPLINK, type VpcNetwork } from '../../agent/engine/network/vpc.js';
import type { ProxyNetwork } from './controller.js';

export function proxyNetwork(vpc: VpcNetwork): ProxyNetwork {
  const hostLink = vpc.hostAddress
    ? { device: UPLINK, cidr: formatCidr(parseCidr(`${vpc.hostAddress}/30`)) }
    : undefined;
  return { netns: vpc.netns, cidr: vpc.cidr, ...(hostLink ? { hostLink } : {}) };
}
