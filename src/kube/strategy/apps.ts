// Strategies for workload kinds (apps/v1, batch/v1): the defaults kube-apiserver fills in and the selector rule
// (spec.selector must be given and must select the pod template's labels).
import { isDeepStrictEqual } from 'node:util';
import type { FieldCause } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import { labelSelectorOf, matchesLabels, requirementsOf } from '../selectors/labels.js';
import { defaultContainer } from './core.js';
import { validatePodSpec } from './pod-spec.js';
import type { Strategy } from './types.js';

function validateSelector(object: KubeObject): FieldCause[] {
  const selector = labelSelectorOf(object);
  if (!selector || (!selector.matchLabels && !selector.matchExpressions)) {
    return [{ field: 'spec.selector', reason: 'FieldValueRequired', message: 'Required value' }];
  }
  const labels = object.spec?.template?.metadata?.labels;
  if (!matchesLabels(requirementsOf(selector), labels)) {
    return [
      {
        field: 'spec.template.metadata.labels',
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${JSON.stringify(labels ?? {})}: \`selector\` does not match template \`labels\``,
      },
    ];
  }
  return [];
}

function defaultPodTemplate(object: KubeObject): void {
  const spec = object.spec?.template?.spec;
  if (!spec) return;
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.securityContext ??= {};
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) defaultContainer(c);
}

/** The selector rule (where the kind requires a selector) and the pod template's spec with the restart policies allowed. */
function validateWorkload(selectorRequired: boolean, restartPolicies: readonly string[]) {
  return (object: KubeObject): FieldCause[] => [
    ...(selectorRequired ? validateSelector(object) : []),
    ...validatePodSpec(object.spec?.template?.spec, 'spec.template.spec', restartPolicies),
  ];
}

const alwaysRestarts = ['Always'] as const;
const jobRestartPolicies = ['OnFailure', 'Never'] as const;

function workload(
  defaults: (spec: any) => void,
  selectorRequired = true,
  restartPolicies: readonly string[] = alwaysRestarts,
): Strategy {
  return {
    prepareForCreate(object) {
      object.spec ??= {};
      defaults(object.spec);
      defaultPodTemplate(object);
      object.status = {};
    },
    prepareForUpdate(object) {
      object.spec ??= {};
      defaults(object.spec);
      defaultPodTemplate(object);
    },
    validate: validateWorkload(selectorRequired, restartPolicies),
  };
}

const rollingPercent = { maxSurge: '25%', maxUnavailable: '25%' };

export const deploymentStrategy = workload((spec) => {
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  spec.strategy ??= { type: 'RollingUpdate' };
  if (spec.strategy.type === 'RollingUpdate') spec.strategy.rollingUpdate ??= { ...rollingPercent };
});

export const replicaSetStrategy = workload((spec) => {
  spec.replicas ??= 1;
});

/** core/v1 ReplicationController: its selector, a label map, defaults to the template's labels. */
export const replicationControllerStrategy = workload((spec) => {
  spec.replicas ??= 1;
  const labels = spec.template?.metadata?.labels;
  if ((!spec.selector || Object.keys(spec.selector).length === 0) && labels) spec.selector = { ...labels };
});

export const statefulSetStrategy = workload((spec) => {
  spec.replicas ??= 1;
  spec.podManagementPolicy ??= 'OrderedReady';
  spec.revisionHistoryLimit ??= 10;
  spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
  spec.persistentVolumeClaimRetentionPolicy ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
});

const daemonSetDefaults = workload((spec) => {
  spec.revisionHistoryLimit ??= 10;
  spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } };
});

/** apps/v1 carries a DaemonSet's templateGeneration (raised on each template change) in this annotation. */
const templateGeneration = 'deprecated.daemonset.template.generation';

function setTemplateGeneration(ds: KubeObject, generation: number): void {
  ds.metadata.annotations = { ...ds.metadata.annotations, [templateGeneration]: String(generation) };
}

export const daemonSetStrategy: Strategy = {
  ...daemonSetDefaults,
  prepareForCreate(ds) {
    daemonSetDefaults.prepareForCreate!(ds);
    setTemplateGeneration(ds, 1);
  },
  prepareForUpdate(ds, old) {
    daemonSetDefaults.prepareForUpdate!(ds, old);
    const previous = Number(old.metadata.annotations?.[templateGeneration]) || 1;
    const changed = !isDeepStrictEqual(ds.spec?.template, old.spec?.template);
    setTemplateGeneration(ds, changed ? previous + 1 : previous);
  },
};

const jobDefaults = workload(
  (spec) => {
    spec.parallelism ??= 1;
    spec.completions ??= spec.completions === null ? undefined : 1;
    spec.backoffLimit ??= 6;
    spec.completionMode ??= 'NonIndexed';
    spec.suspend ??= false;
    if (spec.template?.spec) spec.template.spec.restartPolicy ??= 'Never';
  },
  false,
  jobRestartPolicies,
);

/** Without `manualSelector`, the server labels a Job's pods with its uid and name and selects on the uid. */
function generateJobSelector(job: KubeObject): void {
  if (job.spec?.manualSelector) return;
  const uid = job.metadata.uid!;
  const labels = {
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': job.metadata.name!,
    'controller-uid': uid,
    'job-name': job.metadata.name!,
  };
  job.spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
  job.spec.template ??= {};
  const template = job.spec.template;
  template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, ...labels } };
}

export const jobStrategy: Strategy = {
  ...jobDefaults,
  prepareForCreate(job) {
    jobDefaults.prepareForCreate!(job);
    generateJobSelector(job);
  },
  validate: validateWorkload(true, jobRestartPolicies),
};

export const cronJobStrategy: Strategy = {
  prepareForCreate(object) {
    object.spec ??= {};
    const spec = object.spec;
    spec.concurrencyPolicy ??= 'Allow';
    spec.suspend ??= false;
    spec.successfulJobsHistoryLimit ??= 3;
    spec.failedJobsHistoryLimit ??= 1;
    object.status = {};
  },
  validate: (cronJob) =>
    validatePodSpec(
      cronJob.spec?.jobTemplate?.spec?.template?.spec,
      'spec.jobTemplate.spec.template.spec',
      jobRestartPolicies,
    ),
};
