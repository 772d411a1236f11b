// The pod templates in a set of manifests (kubectl/Helm/kustomize YAML or JSON, multi-document, `List`s): each
// workload's pod as its controller would create it — namespace, template labels and annotations, an owner reference
// of the controlling kind (so a DaemonSet's pod is known as one) — with how many run at once.
import YAML from 'yaml';
import type { PodShape } from '../../fargate/pod-shape.js';

export interface PodTemplate {
  /** `Deployment`, `CronJob`, `Pod`… */
  kind: string;
  name: string;
  namespace: string;
  /** Pods running at once: replicas, a Job's parallelism; undefined for a DaemonSet (one per node). */
  replicas?: number;
  pod: PodShape;
  /** The workload object itself (ttlSecondsAfterFinished and the like). */
  object: Record<string, any>;
  source: string;
}

/** The kind that owns the pods of each workload kind. */
const podOwner: Record<string, string> = {
  Deployment: 'ReplicaSet',
  ReplicaSet: 'ReplicaSet',
  ReplicationController: 'ReplicationController',
  StatefulSet: 'StatefulSet',
  DaemonSet: 'DaemonSet',
  Job: 'Job',
  CronJob: 'Job',
};

function templateOf(object: Record<string, any>): Record<string, any> | undefined {
  switch (object.kind) {
    case 'Pod':
      return object;
    case 'CronJob':
      return object.spec?.jobTemplate?.spec?.template;
    case 'PodTemplate':
      return object.template;
    default:
      return podOwner[object.kind] ? object.spec?.template : undefined;
  }
}

function replicasOf(object: Record<string, any>): number | undefined {
  switch (object.kind) {
    case 'DaemonSet':
      return undefined;
    case 'Job':
      return object.spec?.parallelism ?? 1;
    case 'CronJob':
      return object.spec?.jobTemplate?.spec?.parallelism ?? 1;
    case 'Deployment':
    case 'ReplicaSet':
    case 'ReplicationController':
    case 'StatefulSet':
      return object.spec?.replicas ?? 1;
    default:
      return 1;
  }
}

export class ManifestError extends Error {}

/** Every document of a YAML (or JSON) stream, `List` items spread. */
export function parseManifests(text: string, source: string): Record<string, any>[] {
  const objects: Record<string, any>[] = [];
  for (const doc of YAML.parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new ManifestError(`${source}: ${doc.errors[0].message}`);
    const value = doc.toJS();
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new ManifestError(`${source}: a document is not an object`);
    }
    if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
      objects.push(...value.items);
    } else {
      objects.push(value);
    }
  }
  return objects;
}

export function podTemplates(objects: Record<string, any>[], source: string, defaultNamespace = 'default') {
  const templates: PodTemplate[] = [];
  for (const object of objects) {
    const template = templateOf(object);
    if (!template) continue;
    const namespace = object.metadata?.namespace ?? defaultNamespace;
    const owner = podOwner[object.kind];
    templates.push({
      kind: object.kind,
      name: object.metadata?.name ?? '<unnamed>',
      namespace,
      replicas: replicasOf(object),
      pod: {
        metadata: {
          name: object.kind === 'Pod' ? object.metadata?.name : undefined,
          namespace,
          labels: template.metadata?.labels ?? {},
          annotations: template.metadata?.annotations ?? {},
          ownerReferences: owner ? [{ kind: owner, controller: true }] : [],
        },
        spec: template.spec ?? {},
      },
      object,
      source,
    });
  }
  return templates;
}
