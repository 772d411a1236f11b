// containerd's CNI set-up for the VPC: Debian's bridge, loopback and static plugins linked into Skiff's own bin dir,
// plus two sh shims: `skiff-bridge` runs the bridge plugin inside the VPC namespace (containerd itself stays in the
// host's, where registries on 127.0.0.1 are), and `skiff-ipam` looks up the IP Skiff assigned to the pod (by
// namespace and name, from CNI_ARGS) and hands it to the static IPAM plugin: each sandbox gets exactly that address.
import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnginePaths } from '../paths.js';
import { BRIDGE, type VpcNetwork } from './vpc.js';

export const CNI_PLUGIN_DIR = '/usr/lib/cni';
const PLUGINS = ['bridge', 'loopback', 'static', 'host-local'];

function ipamScript(ipsDir: string, staticPlugin: string): string {
  return `#!/bin/sh
# Skiff's IPAM shim: gives the pod the address Skiff wrote to ${ipsDir}/<namespace>_<name>, through the static plugin.
ns=; name=
IFS=';'
for kv in $CNI_ARGS; do
  case "$kv" in K8S_POD_NAMESPACE=*) ns=\${kv#*=} ;; K8S_POD_NAME=*) name=\${kv#*=} ;; esac
done
unset IFS
if [ "$CNI_COMMAND" = ADD ] || [ "$CNI_COMMAND" = CHECK ]; then
  file="${ipsDir}/\${ns}_\${name}"
  if [ ! -r "$file" ]; then
    printf '{"cniVersion":"0.4.0","code":11,"msg":"skiff-ipam: no IP assigned to pod %s/%s"}\\n' "$ns" "$name"
    exit 1
  fi
  read -r ip gateway < "$file"
  CNI_ARGS="$CNI_ARGS;IP=$ip;GATEWAY=$gateway"
  export CNI_ARGS
fi
exec ${staticPlugin} "$@"
`;
}

function bridgeScript(netnsPath: string, bridgePlugin: string): string {
  return `#!/bin/sh
# Skiff's bridge shim: the VPC bridge and the pods' host-side veths live in ${netnsPath}.
exec nsenter --net=${netnsPath} ${bridgePlugin} "$@"
`;
}

function writeScript(path: string, text: string): void {
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}

export function writeCniConfig(paths: EnginePaths, vpc: VpcNetwork, pluginDir = CNI_PLUGIN_DIR): void {
  rmSync(paths.cniBin, { recursive: true, force: true });
  mkdirSync(paths.cniBin, { recursive: true });
  mkdirSync(paths.cniConf, { recursive: true });
  mkdirSync(paths.podIps, { recursive: true });
  for (const plugin of PLUGINS) symlinkSync(join(pluginDir, plugin), join(paths.cniBin, plugin));
  writeScript(join(paths.cniBin, 'skiff-ipam'), ipamScript(paths.podIps, join(pluginDir, 'static')));
  writeScript(join(paths.cniBin, 'skiff-bridge'), bridgeScript(vpc.netnsPath, join(pluginDir, 'bridge')));
  const conf = {
    cniVersion: '0.4.0',
    name: 'skiff-vpc',
    plugins: [
      {
        type: 'skiff-bridge',
        bridge: BRIDGE,
        isGateway: false,
        ipMasq: false,
        hairpinMode: true,
        ipam: { type: 'skiff-ipam', routes: [{ dst: '0.0.0.0/0', gw: vpc.gateway }] },
      },
    ],
  };
  writeFileSync(join(paths.cniConf, '10-skiff-vpc.conflist'), `${JSON.stringify(conf, null, 2)}\n`);
}

const ipFile = (paths: EnginePaths, namespace: string, name: string) => join(paths.podIps, `${namespace}_${name}`);

/** Records the IP the pod's sandbox must get; call before RunPodSandbox. */
export function assignPodIp(paths: EnginePaths, vpc: VpcNetwork, namespace: string, name: string, ip: string): void {
  mkdirSync(paths.podIps, { recursive: true });
  writeFileSync(ipFile(paths, namespace, name), `${ip}/${vpc.prefix} ${vpc.gateway}\n`);
}

export function releasePodIp(paths: EnginePaths, namespace: string, name: string): void {
  rmSync(ipFile(paths, namespace, name), { force: true });
}
