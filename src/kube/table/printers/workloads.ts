// Pod-template owners: Deployment, ReplicaSet, ReplicationController, StatefulSet, DaemonSet, Job and CronJob, as
// printers.go prints them.
import type { KubeObject } from '../../api/types.js';
import { labelSelectorOf } from '../../selectors/labels.js';
import { ageColumn, column, nameColumn, templateColumns } from '../columns.js';
import { between, since } from '../duration.js';
import {
  boolText,
  conditionTrue,
  containerCells,
  formatLabelSelector,
  formatLabels,
  int,
  selectorString,
  templateSpec,
} from '../format.js';
import type { Printer } from '../types.js';

/** spec.replicas as the defaulted object has it (1 when unset). */
const desired = (obj: KubeObject): number => (typeof obj.spec?.replicas === 'number' ? obj.spec.replicas : 1);
const age = (obj: KubeObject, now: Date) => since(obj.metadata.creationTimestamp, now);

export const deploymentPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Ready', 'string', 'Number of the pod with ready state'),
    column('Up-to-date', 'string', 'apps.v1.DeploymentStatus#updatedReplicas'),
    column('Available', 'string', 'apps.v1.DeploymentStatus#availableReplicas'),
    ageColumn(),
    ...templateColumns('apps.v1.DeploymentSpec#selector'),
  ],
  cells: (d, now) => [
    d.metadata.name,
    `${int(d.status?.readyReplicas)}/${desired(d)}`,
    int(d.status?.updatedReplicas),
    int(d.status?.availableReplicas),
    age(d, now),
    ...containerCells(templateSpec(d)),
    selectorString(d.spec?.selector),
  ],
};

export const replicaSetPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Desired', 'integer', 'apps.v1.ReplicaSetSpec#replicas'),
    column('Current', 'integer', 'apps.v1.ReplicaSetStatus#replicas'),
    column('Ready', 'integer', 'apps.v1.ReplicaSetStatus#readyReplicas'),
    ageColumn(),
    ...templateColumns('apps.v1.ReplicaSetSpec#selector'),
  ],
  cells: (rs, now) => [
    rs.metadata.name,
    desired(rs),
    int(rs.status?.replicas),
    int(rs.status?.readyReplicas),
    age(rs, now),
    ...containerCells(templateSpec(rs)),
    formatLabelSelector(rs.spec?.selector),
  ],
};

export const replicationControllerPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Desired', 'integer', 'core.v1.ReplicationControllerSpec#replicas'),
    column('Current', 'integer', 'core.v1.ReplicationControllerStatus#replicas'),
    column('Ready', 'integer', 'core.v1.ReplicationControllerStatus#readyReplicas'),
    ageColumn(),
    ...templateColumns('core.v1.ReplicationControllerSpec#selector'),
  ],
  cells: (rc, now) => [
    rc.metadata.name,
    desired(rc),
    int(rc.status?.replicas),
    int(rc.status?.readyReplicas),
    age(rc, now),
    ...containerCells(templateSpec(rc)),
    formatLabelSelector(labelSelectorOf(rc)),
  ],
};

export const statefulSetPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Ready', 'string', 'Number of the pod with ready state'),
    ageColumn(),
    ...templateColumns(),
  ],
  cells: (ss, now) => [
    ss.metadata.name,
    `${int(ss.status?.readyReplicas)}/${desired(ss)}`,
    age(ss, now),
    ...containerCells(templateSpec(ss)),
  ],
};

export const daemonSetPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Desired', 'integer', 'apps.v1.DaemonSetStatus#desiredNumberScheduled'),
    column('Current', 'integer', 'apps.v1.DaemonSetStatus#currentNumberScheduled'),
    column('Ready', 'integer', 'apps.v1.DaemonSetStatus#numberReady'),
    column('Up-to-date', 'integer', 'apps.v1.DaemonSetStatus#updatedNumberScheduled'),
    column('Available', 'integer', 'apps.v1.DaemonSetStatus#numberAvailable'),
    column('Node Selector', 'string', 'core.v1.PodSpec#nodeSelector'),
    ageColumn(),
    ...templateColumns('apps.v1.DaemonSetSpec#selector'),
  ],
  cells: (ds, now) => [
    ds.metadata.name,
    int(ds.status?.desiredNumberScheduled),
    int(ds.status?.currentNumberScheduled),
    int(ds.status?.numberReady),
    int(ds.status?.updatedNumberScheduled),
    int(ds.status?.numberAvailable),
    formatLabels(templateSpec(ds)?.nodeSelector),
    age(ds, now),
    ...containerCells(templateSpec(ds)),
    formatLabelSelector(ds.spec?.selector),
  ],
};

function jobCompletions(job: KubeObject): string {
  const succeeded = int(job.status?.succeeded);
  if (typeof job.spec?.completions === 'number') return `${succeeded}/${job.spec.completions}`;
  const parallelism = int(job.spec?.parallelism);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(job: KubeObject, now: Date): string {
  const start = job.status?.startTime;
  if (!start) return '';
  return between(start, job.status?.completionTime ?? now.toISOString());
}

function jobStatus(job: KubeObject): string {
  const conditions = job.status?.conditions;
  if (conditionTrue(conditions, 'Complete')) return 'Complete';
  if (conditionTrue(conditions, 'Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (conditionTrue(conditions, 'Suspended')) return 'Suspended';
  if (conditionTrue(conditions, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

export const jobPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Status', 'string', 'Status of the job.'),
    column('Completions', 'string', 'batch.v1.JobStatus#succeeded'),
    column('Duration', 'string', 'Time required to complete the job.'),
    ageColumn(),
    ...templateColumns('batch.v1.JobSpec#selector'),
  ],
  cells: (job, now) => [
    job.metadata.name,
    jobStatus(job),
    jobCompletions(job),
    jobDuration(job, now),
    age(job, now),
    ...containerCells(templateSpec(job)),
    formatLabelSelector(job.spec?.selector),
  ],
};

export const cronJobPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Schedule', 'string', 'batch.v1.CronJobSpec#schedule'),
    column('Timezone', 'string', 'batch.v1.CronJobSpec#timeZone'),
    column('Suspend', 'boolean', 'batch.v1.CronJobSpec#suspend'),
    column('Active', 'integer', 'batch.v1.CronJobStatus#active'),
    column('Last Schedule', 'string', 'batch.v1.CronJobStatus#lastScheduleTime'),
    ageColumn(),
    ...templateColumns('batch.v1.JobSpec#selector'),
  ],
  cells: (cj, now) => {
    const jobSpec = cj.spec?.jobTemplate?.spec;
    const last = cj.status?.lastScheduleTime;
    return [
      cj.metadata.name,
      cj.spec?.schedule ?? '',
      cj.spec?.timeZone ?? '<none>',
      boolText(cj.spec?.suspend),
      (cj.status?.active ?? []).length,
      last ? since(last, now) : '<none>',
      age(cj, now),
      ...containerCells(jobSpec?.template?.spec),
      formatLabelSelector(jobSpec?.selector),
    ];
  },
};
