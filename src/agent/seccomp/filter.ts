// The filter a micro-VM container runs under: none for Unconfined and privileged containers (as containerd), else
// RuntimeDefault or the Localhost profile resolved for the container's capabilities and compiled to BPF.

import type { SecurityProfile } from '../engine/cri/types.js';
import { compileFilter } from './compile.js';
import { readProfile, rulesFor, runtimeDefaultProfile } from './profile.js';
import { x86SyscallNumbers } from './syscalls.js';

export function seccompFilterFor(
  choice: SecurityProfile,
  capabilities: Set<string>,
  privileged: boolean,
): Buffer | undefined {
  if (privileged || choice.profileType === 'Unconfined') return undefined;
  try {
    const profile =
      choice.profileType === 'Localhost' ? readProfile(choice.localhostRef ?? '') : runtimeDefaultProfile();
    return compileFilter(profile, rulesFor(profile, capabilities), x86SyscallNumbers());
  } catch (error: any) {
    throw new Error(`failed to generate seccomp spec opts: ${error?.message ?? error}`);
  }
}
