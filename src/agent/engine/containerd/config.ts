// Renders containerd's config.toml for Skiff: root, state, sockets and runc root under D/containerd/, the CRI plugin
// with Skiff's own sandbox image, CNI dirs and registry hosts dir, and the snapshotters that cannot work here disabled.
import type { EnginePaths } from '../paths.js';

export interface ContainerdConfigInput {
  paths: EnginePaths;
  sandboxImage: string;
  logLevel?: string;
  /** A base OCI runtime spec for runc containers (see base-spec.ts); containerd's built-in one when absent. */
  baseRuntimeSpec?: string;
}

const q = (value: string) => JSON.stringify(value);

export function renderContainerdConfig({
  paths,
  sandboxImage,
  logLevel = 'info',
  baseRuntimeSpec,
}: ContainerdConfigInput): string {
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  return `# Written by Skiff on every start; edits are overwritten.
version = 2
root = ${q(paths.root)}
state = ${q(paths.state)}
disabled_plugins = [
  "io.containerd.snapshotter.v1.aufs",
  "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.zfs",
  "io.containerd.tracing.processor.v1.otlp",
  "io.containerd.internal.v1.tracing",
]

[grpc]
  address = ${q(paths.socket)}

[ttrpc]
  address = ${q(paths.ttrpcSocket)}

[debug]
  level = ${q(logLevel)}

[plugins."io.containerd.internal.v1.opt"]
  path = ${q(paths.opt)}

[${cri}]
  sandbox_image = ${q(sandboxImage)}
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  max_container_log_line_size = 16384
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true

[${cri}.containerd]
  snapshotter = "overlayfs"
  default_runtime_name = "runc"

[${cri}.containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"${baseRuntimeSpec ? `\n  base_runtime_spec = ${q(baseRuntimeSpec)}` : ''}

[${cri}.containerd.runtimes.runc.options]
  SystemdCgroup = false
  Root = ${q(paths.runcRoot)}

[${cri}.cni]
  bin_dir = ${q(paths.cniBin)}
  conf_dir = ${q(paths.cniConf)}
  max_conf_num = 1

[${cri}.registry]
  config_path = ${q(paths.certsDir)}
`;
}
