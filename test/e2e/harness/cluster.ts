// For end-to-end walkthroughs on a running Skiff: the `skiff` CLI and the real `aws` CLI pointed at it (the
// environment `skiff env` prints), and kubectl JSON reads of pods and nodes.
import { join } from 'node:path';
import { until } from '../../../src/testing/until.js';
import { run, type SkiffProcess, skiffBin } from './skiff.js';

export interface Walkthrough {
  skiff(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  aws(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  kubectlJson<T = any>(...args: string[]): Promise<T>;
  /** `skiff create nodegroup --cluster skiff --name N --nodes K`; throws with its stderr if it fails. */
  nodegroup(name: string, nodes: number): Promise<void>;
  /** `skiff create fargateprofile --cluster skiff --name N --namespace NS`; throws with its stderr if it fails. */
  fargateProfile(name: string, namespace: string): Promise<void>;
  pods(namespace: string, selector?: string): Promise<any[]>;
  nodes(selector?: string): Promise<any[]>;
  events(namespace: string, podName: string): Promise<any[]>;
  waitFor<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs?: number): Promise<T>;
}

/** The variables `skiff env --data-dir D` exports (AWS endpoint, credentials, region, KUBECONFIG). */
export async function skiffEnv(dataDir: string): Promise<Record<string, string>> {
  const out = await run(skiffBin, ['env', '--data-dir', dataDir]);
  return Object.fromEntries([...out.stdout.matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1]!, m[2]!]));
}

export async function walkthrough(cluster: SkiffProcess): Promise<Walkthrough> {
  const vars = await skiffEnv(cluster.dataDir);
  const env = { ...vars, SKIFF_DATA_DIR: cluster.dataDir, AWS_PAGER: '' };
  const kubectlJson = async (...args: string[]) => {
    const out = await cluster.kubectl([...args, '-o', 'json']);
    if (out.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${out.stderr}`);
    return JSON.parse(out.stdout);
  };
  const self: Walkthrough = {
    skiff: (...args) => run(skiffBin, args, { env, timeoutMs: 120_000 }),
    aws: (...args) => run('aws', args, { env }),
    kubectlJson,
    async nodegroup(name, nodes) {
      const args = ['create', 'nodegroup', '--cluster', 'skiff', '--name', name, '--nodes', String(nodes)];
      const out = await self.skiff(...args);
      if (out.code !== 0) throw new Error(`skiff ${args.join(' ')}: ${out.stderr}`);
    },
    async fargateProfile(name, namespace) {
      const args = ['create', 'fargateprofile', '--cluster', 'skiff', '--name', name, '--namespace', namespace];
      const out = await self.skiff(...args);
      if (out.code !== 0) throw new Error(`skiff ${args.join(' ')}: ${out.stderr}`);
    },
    async pods(namespace, selector) {
      const args = ['get', 'pods', '-n', namespace, ...(selector ? ['-l', selector] : [])];
      return (await kubectlJson(...args)).items;
    },
    async nodes(selector) {
      return (await kubectlJson('get', 'nodes', ...(selector ? ['-l', selector] : []))).items;
    },
    async events(namespace, podName) {
      const list = await kubectlJson(
        'get',
        'events',
        '-n',
        namespace,
        '--field-selector',
        `involvedObject.name=${podName}`,
      );
      return list.items;
    },
    waitFor: (check, what, timeoutMs = 60_000) =>
      until(
        async () => {
          const value = await check();
          if (!value) await new Promise((resolve) => setTimeout(resolve, 200));
          return value;
        },
        what,
        timeoutMs,
      ),
  };
  return self;
}

/** EKS' "Update CoreDNS" step for Fargate: kubectl's arguments that remove coredns' compute-type annotation. */
export const coreDnsToFargate = [
  'patch',
  'deployment',
  'coredns',
  '-n',
  'kube-system',
  '--type',
  'json',
  '-p=[{"op":"remove","path":"/spec/template/metadata/annotations/eks.amazonaws.com~1compute-type"}]',
];

export const fixtures = (name: string) => join(new URL('../fixtures/', import.meta.url).pathname, name);

export const running = (pods: any[]) =>
  pods.filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);

export const internalIp = (node: any) =>
  node.status?.addresses?.find((a: { type: string }) => a.type === 'InternalIP')?.address as string | undefined;
