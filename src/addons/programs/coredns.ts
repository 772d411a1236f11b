// `coredns -conf <Corefile>`: CoreDNS' command line over Skiff's DNS server, the kubernetes plugin talking to the
// API as the pod (in-cluster config); SIGTERM and SIGINT stop it after the health plugin's lameduck.
import { inClusterClient } from '../coredns/server/kube-source.js';
import { coreDnsVersion, runCoreDns } from '../coredns/server/server.js';

export async function runCoreDnsProgram(args: string[]): Promise<void> {
  let conf = 'Corefile';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-conf' || arg === '--conf') conf = args[++i] ?? conf;
    else if (arg.startsWith('-conf=')) conf = arg.slice('-conf='.length);
    else if (arg === '-version') {
      console.log(
        `CoreDNS-${coreDnsVersion}\nlinux/${process.arch === 'x64' ? 'amd64' : process.arch}, node ${process.version}, skiff`,
      );
      return;
    } else throw new Error(`flag provided but not defined: ${arg}`);
  }
  const server = await runCoreDns({ corefilePath: conf, client: () => inClusterClient() });
  console.log(`CoreDNS-${coreDnsVersion}`);
  console.log(`linux/${process.arch === 'x64' ? 'amd64' : process.arch}, node ${process.version}, skiff`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.stop();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
