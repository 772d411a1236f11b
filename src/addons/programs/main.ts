// The programs of the add-on images, one bundle (built by ../images/bundle.ts): each image's executable
// (/coredns, kube-proxy, /app/aws-vpc-cni, …) is a two-line script that calls `run` with its program's name.
// coredns is Skiff's DNS server (../coredns/server/); kube-proxy and the VPC CNI programs say what does their job in
// Skiff and stay up until they are stopped (node-agents.ts).
import { runCoreDnsProgram } from './coredns.js';
import { runNodeAgent } from './node-agents.js';

export const programs = [
  'coredns',
  'kube-proxy',
  'aws-vpc-cni-init',
  'aws-vpc-cni',
  'aws-network-policy-agent',
] as const;
export type Program = (typeof programs)[number];

export async function run(program: Program, args: string[]): Promise<void> {
  try {
    if (program === 'coredns') await runCoreDnsProgram(args);
    else await runNodeAgent(program, args);
  } catch (error) {
    console.error((error as Error).message ?? error);
    process.exit(1);
  }
}
