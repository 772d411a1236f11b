// The failures of the pod contract, carrying the kubelet's events: a container whose config cannot be built waits
// in CreateContainerConfigError (Warning Failed "Error: …"); a volume that cannot be set up keeps the whole pod
// from starting (Warning FailedMount).
import { LaunchError, SandboxSetupError } from '../lifecycle/runtime.js';

export function containerConfigError(message: string): LaunchError {
  return new LaunchError('CreateContainerConfigError', message, undefined, undefined, {
    type: 'Warning',
    reason: 'Failed',
    message: `Error: ${message}`,
  });
}

/** `MountVolume.SetUp failed for volume "x" : <why>`, as the kubelet's operation executor words it. */
export function mountError(volume: string, why: string): SandboxSetupError {
  return new SandboxSetupError({
    type: 'Warning',
    reason: 'FailedMount',
    message: `MountVolume.SetUp failed for volume "${volume}" : ${why}`,
  });
}

/** A volume no plugin of this node can set up: the volume manager's text, and the pod never starts. */
export function unmountableError(unmounted: string[], all: string[], why: string): SandboxSetupError {
  return new SandboxSetupError({
    type: 'Warning',
    reason: 'FailedMount',
    message: `Unable to attach or mount volumes: unmounted volumes=[${unmounted.join(' ')}], unattached volumes=[${all.join(' ')}]: ${why}`,
  });
}
