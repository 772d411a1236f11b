// Which launch failures already have their events: the image step (Pulling/Failed/ErrImageNeverPull/InspectFailed,
// as the kubelet's image manager records them) reports its own; every other failure to create or start a container
// gets the kubelet's Warning `Failed` "Error: …" event from the pod lifecycle.
import { LaunchError } from './runtime.js';

const reportedByImageStep = new Set(['ErrImagePull', 'ImagePullBackOff', 'ErrImageNeverPull', 'InvalidImageName']);

export function needsFailedEvent(error: unknown): boolean {
  return !(error instanceof LaunchError) || !reportedByImageStep.has(error.reason);
}
