// The pods a Job owns: those its selector matches that name it as controller, after adopting matching orphans
// (as ClaimPods does) while the Job is neither finished nor being deleted. Read from the shared pod cache.
import { claimObjects } from '../../client/claim.js';
import type { Lister } from '../../client/lister.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { requirementsOf } from '../../kube/selectors/labels.js';
import { isJobFinished } from './conditions.js';

export async function claimPods(client: KubeClient, podLister: Lister, job: KubeObject): Promise<KubeObject[]> {
  if (requirementsOf(job.spec?.selector).length === 0) return [];
  return claimObjects(client, job, podLister.claimable(job), { adopt: !isJobFinished(job) });
}
