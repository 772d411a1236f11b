// The VPC's NAT gateway: pods sit in private subnets and reach the outside through the host, as EKS Fargate pods
// reach it through the VPC's NAT gateway. Their packets leave the VPC namespace by its default route over Skiff's
// host link; the host forwards what comes in on that link (`net.ipv4.conf.<link>.forwarding=1`: Skiff's own
// interface, not the machine-wide `ip_forward`) and masquerades it behind its own address when it leaves for
// anything outside the VPC, and lets the replies back in. Replies arrive on the host's outward interface, whose own
// `forwarding` must be on for the kernel to pass them on: Skiff does not change that machine setting, it says so
// (`notice`) when it is off. Nothing new comes in: the VPC namespace admits from its link only the host itself and
// NodePorts (network/proxy/render.ts). `close` removes the rules.
import { readFileSync } from 'node:fs';
import { run, tryRun } from '../../agent/engine/network/run.js';

export interface NatGatewayOptions {
  /** The VPC CIDR. */
  cidr: string;
  /** The host's end of the VPC's host link. */
  hostLink: string;
}

export interface NatGateway {
  /** Why pods cannot reach outside yet, when the host's outward interface does not forward. */
  notice?: string;
  close(): Promise<void>;
}

function rules(options: NatGatewayOptions): { table: string; chain: string; spec: string[] }[] {
  const { cidr, hostLink } = options;
  const comment = ['-m', 'comment', '--comment', `skiff NAT gateway for ${hostLink}`];
  return [
    {
      table: 'nat',
      chain: 'POSTROUTING',
      spec: ['-s', cidr, '!', '-d', cidr, '!', '-o', hostLink, ...comment, '-j', 'MASQUERADE'],
    },
    { table: 'filter', chain: 'FORWARD', spec: ['-i', hostLink, '!', '-d', cidr, ...comment, '-j', 'ACCEPT'] },
    {
      table: 'filter',
      chain: 'FORWARD',
      spec: ['-o', hostLink, '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', ...comment, '-j', 'ACCEPT'],
    },
  ];
}

const forwardingFile = (device: string) => `/proc/sys/net/ipv4/conf/${device}/forwarding`;

/** The interface of the host's default route, and whether it forwards. */
async function outward(): Promise<{ device: string; forwarding: boolean } | undefined> {
  const route = await run('ip', ['-o', 'route', 'show', 'default']).catch(() => '');
  const device = route.match(/ dev (\S+)/)?.[1];
  if (!device) return undefined;
  try {
    return { device, forwarding: readFileSync(forwardingFile(device), 'utf8').trim() === '1' };
  } catch {
    return undefined;
  }
}

export async function startNatGateway(options: NatGatewayOptions): Promise<NatGateway> {
  await run('sysctl', ['-qw', `net.ipv4.conf.${options.hostLink}.forwarding=1`]);
  const added = rules(options);
  for (const rule of added) {
    const args = ['-w', '5', '-t', rule.table];
    if (!(await tryRun('iptables', [...args, '-C', rule.chain, ...rule.spec]))) {
      await run('iptables', [...args, '-I', rule.chain, '1', ...rule.spec]);
    }
  }
  const out = await outward();
  const notice =
    out && !out.forwarding
      ? `pods reach outside the VPC through this host only once it forwards on ${out.device}, its default route's ` +
        `interface: net.ipv4.conf.${out.device}.forwarding is 0 and Skiff leaves machine settings alone ` +
        `(sysctl -w net.ipv4.conf.${out.device}.forwarding=1 turns it on)`
      : undefined;
  return {
    ...(notice ? { notice } : {}),
    async close() {
      for (const rule of added) {
        await tryRun('iptables', ['-w', '5', '-t', rule.table, '-D', rule.chain, ...rule.spec]);
      }
    },
  };
}
