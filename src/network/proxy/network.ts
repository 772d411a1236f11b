// What the service proxy needs to know of the process runtime's VPC: its namespace, its CIDR, its link to the host
// (the namespace's end of the veth and the link's /30), read off the engine's VpcNetwork, and the Service CIDR.
import { formatCidr, intToIp, ipToInt, parseCidr } from '../../agent/engine/network/cidr.js';
import { UPLINK, type VpcNetwork } from '../../agent/engine/network/vpc.js';
import type { ProxyNetwork } from './controller.js';

export function proxyNetwork(vpc: VpcNetwork, serviceCidr: string): ProxyNetwork {
  const host = vpc.hostAddress;
  // The link is a /30: the host's end, then the VPC's.
  const hostLink = host
    ? { device: UPLINK, address: intToIp(ipToInt(host) + 1), cidr: formatCidr(parseCidr(`${host}/30`)) }
    : undefined;
  return { netns: vpc.netns, cidr: vpc.cidr, serviceCidr, ...(hostLink ? { hostLink } : {}) };
}
