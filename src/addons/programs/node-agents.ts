// The node agents EKS runs on every EC2 node, as Skiff runs them: Skiff's service proxy programs every node's
// Services (iptables in the VPC namespace) and Skiff's VPC network gives pods their secondary IPs, so these programs
// read their configuration, say in their log which part of Skiff does their job, and stay up until stopped.
// aws-vpc-cni-init, an init container, exits once it has said so.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const flagValue = (args: string[], name: string) => {
  const at = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (at < 0) return undefined;
  return args[at]!.includes('=') ? args[at]!.slice(name.length + 1) : args[at + 1];
};

const stamp = () => new Date().toISOString();

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      console.log(`${stamp()} received a stop signal; exiting`);
      resolve();
      process.exit(0);
    };
    process.on('SIGTERM', done);
    process.on('SIGINT', done);
    setInterval(() => {}, 1 << 30);
  });
}

export async function runNodeAgent(program: string, args: string[]): Promise<void> {
  const node = process.env.NODE_NAME ?? process.env.MY_NODE_NAME ?? '';
  if (program === 'kube-proxy') {
    const configPath = flagValue(args, '--config');
    const config = configPath ? (parse(readFileSync(configPath, 'utf8')) ?? {}) : {};
    const hostname = flagValue(args, '--hostname-override') ?? node;
    console.log(
      `${stamp()} kube-proxy for node "${hostname}" (mode "${config.mode ?? 'iptables'}" in ${configPath ?? 'defaults'})`,
    );
    console.log(
      `${stamp()} Skiff's service proxy programs this node's Services (iptables in the VPC network namespace); this process programs no rules and serves no ports`,
    );
    return waitForSignal();
  }
  if (program === 'aws-vpc-cni-init') {
    console.log(
      `${stamp()} aws-vpc-cni-init: Skiff's VPC network is built in; no CNI plugin to copy into /host/opt/cni/bin`,
    );
    return;
  }
  if (program === 'aws-vpc-cni') {
    console.log(
      `${stamp()} aws-node on node "${node}": pod IPs are the node's secondary IPs, assigned by Skiff's agent`,
    );
    return waitForSignal();
  }
  if (program === 'aws-network-policy-agent') {
    console.log(
      `${stamp()} aws-network-policy-agent on node "${node}": ${args.includes('--enable-network-policy=false') ? 'network policies disabled' : 'network policies are not enforced by Skiff'}`,
    );
    return waitForSignal();
  }
  throw new Error(`unknown program ${program}`);
}
