// The base OCI runtime spec every container starts from (containerd's `base_runtime_spec`): containerd's own
// default spec (`ctr oci spec`) with the pod contract's rlimits, so the container's first process already runs with
// them (prlimit after the start would race a short-lived command), and no_new_privs left to the securityContext
// (containerd's default sets it for every process, Kubernetes only when allowPrivilegeEscalation is false).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

export interface SpecRlimit {
  /** nofile, nproc… */
  name: string;
  soft: number;
  hard: number;
}

export function baseRuntimeSpec(defaultSpec: string, rlimits: SpecRlimit[]): string {
  const spec = JSON.parse(defaultSpec);
  spec.process.rlimits = rlimits.map((l) => ({ type: `RLIMIT_${l.name.toUpperCase()}`, hard: l.hard, soft: l.soft }));
  spec.process.noNewPrivileges = false;
  return `${JSON.stringify(spec, null, 2)}\n`;
}

/** Writes the base spec to `file` from containerd's default (`ctr oci spec`); throws when ctr cannot give it. */
export function writeBaseRuntimeSpec(file: string, rlimits: SpecRlimit[]): void {
  let defaults: string;
  try {
    defaults = execFileSync('ctr', ['oci', 'spec'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error: any) {
    const why = error?.code === 'ENOENT' ? 'ctr is not installed (it comes with containerd)' : error?.message;
    throw new Error(`cannot read containerd's default runtime spec with \`ctr oci spec\`: ${why}`);
  }
  writeFileSync(file, baseRuntimeSpec(defaults, rlimits));
}
