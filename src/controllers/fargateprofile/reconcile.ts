// Stops the pods of a Fargate profile that is no longer ACTIVE (DELETING, or gone), as EKS does when a profile is
// deleted (reference §1.7): its running and pending pods are deleted; their controllers re-create them and the
// Fargate admission places the new pods with another matching profile, or leaves them to default-scheduler.
// Bare pods are deleted too and, having no controller, are not re-created. Finished pods are left as they are.
import { capturingProfile } from '../../admission/fargate/capture.js';
import type { Lister } from '../../client/lister.js';
import { profileLabel } from '../../fargate/matching.js';
import { ignoreNotFoundOrConflict } from '../../kube/api/errors.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';

export const component = 'fargate-profile-controller';

const isFinished = (pod: KubeObject) => ['Succeeded', 'Failed'].includes(pod.status?.phase);

/** A pod the named profile captured, still running or pending and not yet being deleted. */
export function isStoppable(pod: KubeObject, profile: string): boolean {
  return capturingProfile(pod) === profile && !pod.metadata.deletionTimestamp && !isFinished(pod);
}

export async function reconcileProfilePods(
  client: KubeClient,
  podLister: Lister,
  profile: string,
  isActive: (profile: string) => boolean,
): Promise<void> {
  if (isActive(profile)) return;
  const pods = podLister.list(undefined, [{ key: profileLabel, operator: 'In', values: [profile] }]);
  for (const pod of pods.filter((p) => isStoppable(p, profile))) {
    const { namespace, name, uid } = pod.metadata;
    try {
      await client.delete({ apiVersion: 'v1', kind: 'Pod', namespace }, name!, { preconditions: { uid } });
    } catch (error) {
      // Gone already, or replaced by a new pod of the same name: nothing of this profile's left to stop.
      ignoreNotFoundOrConflict(error);
    }
  }
}
