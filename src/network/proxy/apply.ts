// Puts a ruleset into the VPC namespace in one step: `iptables-restore` replaces the filter and nat tables
// atomically (the namespace is Skiff's own, so the whole tables are the proxy's). Bridged pod-to-pod frames must
// pass iptables too (conntrack un-DNATs a Service reply that goes straight from one pod to another over the
// bridge), so the namespace's own bridge-nf-call-iptables is switched on, as kube-proxy requires br_netfilter.
// Stale UDP flows are deleted with conntrack (it fails when there was none to delete, which is no error).
import { run, tryRun } from '../../agent/engine/network/run.js';

export async function enableBridgeFiltering(netns: string): Promise<void> {
  await run('ip', ['netns', 'exec', netns, 'sysctl', '-qw', 'net.bridge.bridge-nf-call-iptables=1']);
}

export async function applyRules(netns: string, rules: string): Promise<void> {
  await run('ip', ['netns', 'exec', netns, 'iptables-restore', '-w', '5'], rules);
}

export async function clearUdpFlows(netns: string, args: string[]): Promise<void> {
  await tryRun('ip', ['netns', 'exec', netns, 'conntrack', '-D', '-p', 'udp', ...args]);
}
