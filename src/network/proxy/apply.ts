// Puts a ruleset into the VPC namespace in one step: `iptables-restore` replaces the filter and nat tables
// atomically (the namespace is Skiff's own, so the whole tables are the proxy's). Bridged pod-to-pod frames must
// pass iptables too (conntrack un-DNATs a Service reply that goes straight from one pod to another over the
// bridge), so the namespace's own bridge-nf-call-iptables is switched on, as kube-proxy requires br_netfilter.
// The host routes the Service CIDR to the VPC, as an EKS node reaches ClusterIPs (hostNetwork pods too).
// Stale UDP flows are deleted with conntrack (it fails when there was none to delete, which is no error).
import { run, tryRun } from '../../agent/engine/network/run.js';
import type { ProxyNetwork } from './controller.js';

/** Bridge filtering on in the namespace; the Service CIDR routed from the host over the host link. */
export async function prepareNetwork(network: ProxyNetwork): Promise<void> {
  await run('ip', ['netns', 'exec', network.netns, 'sysctl', '-qw', 'net.bridge.bridge-nf-call-iptables=1']);
  if (network.hostLink && network.serviceCidr) {
    await run('ip', ['route', 'replace', network.serviceCidr, 'via', network.hostLink.address]);
  }
}

export async function applyRules(netns: string, rules: string): Promise<void> {
  await run('ip', ['netns', 'exec', netns, 'iptables-restore', '-w', '5'], rules);
}

export async function clearUdpFlows(netns: string, args: string[]): Promise<void> {
  await tryRun('ip', ['netns', 'exec', netns, 'conntrack', '-D', '-p', 'udp', ...args]);
}
