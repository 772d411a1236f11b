// Every path and name the container engine uses under its data dir `D/containerd/`, plus the host-wide names
// (network namespace, host link, cgroup parent) derived from the data dir so that two Skiffs on one host never collide.
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';

export function enginePaths(containerdDir: string) {
  const d = resolve(containerdDir);
  const id = createHash('sha256').update(d).digest('hex').slice(0, 8);
  return {
    dir: d,
    id,
    config: join(d, 'config.toml'),
    root: join(d, 'root'),
    state: join(d, 'state'),
    socket: join(d, 'containerd.sock'),
    ttrpcSocket: join(d, 'containerd.sock.ttrpc'),
    pidFile: join(d, 'containerd.pid'),
    log: join(d, 'containerd.log'),
    runcRoot: join(d, 'runc'),
    opt: join(d, 'opt'),
    /** containerd's registry hosts dir: one `<host>/hosts.toml` per registry. */
    certsDir: join(d, 'certs.d'),
    cniBin: join(d, 'cni', 'bin'),
    cniConf: join(d, 'cni', 'conf'),
    /** One file per pod (`<namespace>_<name>`) holding the IP the pod must get. */
    podIps: join(d, 'cni', 'ips'),
    images: join(d, 'images'),
    /** The network namespace holding the VPC bridge, the pods' veths and containerd itself. */
    netns: `skiff-${id}`,
    /** The one link in the host's namespace (a veth into the VPC namespace). */
    hostLink: `skv${id}`,
    /** cgroup parent (cgroupfs syntax) of every pod, removed on stop. */
    cgroupParent: `/skiff-${id}`,
  };
}

export type EnginePaths = ReturnType<typeof enginePaths>;
