// Field selectors: `metadata.name=web,status.phase!=Running`. Each resource supports a fixed set of fields, as
// kube-apiserver does; any other field is a 400 BadRequest rather than silently ignored.
import { badRequest } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';

export interface FieldRequirement {
  field: string;
  equal: boolean;
  value: string;
}

type Getter = (o: KubeObject) => string | undefined;

const common: Record<string, Getter> = {
  'metadata.name': (o) => o.metadata.name,
  'metadata.namespace': (o) => o.metadata.namespace ?? '',
};

const byResource: Record<string, Record<string, Getter>> = {
  pods: {
    'spec.nodeName': (o) => o.spec?.nodeName ?? '',
    'spec.schedulerName': (o) => o.spec?.schedulerName ?? '',
    'spec.serviceAccountName': (o) => o.spec?.serviceAccountName ?? '',
    'spec.restartPolicy': (o) => o.spec?.restartPolicy ?? '',
    'spec.hostNetwork': (o) => String(o.spec?.hostNetwork ?? false),
    'status.phase': (o) => o.status?.phase ?? '',
    'status.podIP': (o) => o.status?.podIP ?? '',
    'status.nominatedNodeName': (o) => o.status?.nominatedNodeName ?? '',
  },
  events: {
    'involvedObject.kind': (o) => o.involvedObject?.kind ?? o.regarding?.kind ?? '',
    'involvedObject.namespace': (o) => o.involvedObject?.namespace ?? o.regarding?.namespace ?? '',
    'involvedObject.name': (o) => o.involvedObject?.name ?? o.regarding?.name ?? '',
    'involvedObject.uid': (o) => o.involvedObject?.uid ?? o.regarding?.uid ?? '',
    'involvedObject.apiVersion': (o) => o.involvedObject?.apiVersion ?? o.regarding?.apiVersion ?? '',
    'involvedObject.resourceVersion': (o) => o.involvedObject?.resourceVersion ?? '',
    'involvedObject.fieldPath': (o) => o.involvedObject?.fieldPath ?? '',
    reason: (o) => o.reason ?? '',
    reportingComponent: (o) => o.reportingComponent ?? '',
    source: (o) => o.source?.component ?? '',
    type: (o) => o.type ?? '',
  },
  namespaces: { 'status.phase': (o) => o.status?.phase ?? '' },
  nodes: { 'spec.unschedulable': (o) => String(o.spec?.unschedulable ?? false) },
  secrets: { type: (o) => o.type ?? '' },
  replicasets: { 'status.replicas': (o) => String(o.status?.replicas ?? 0) },
  jobs: { 'status.successful': (o) => String(o.status?.succeeded ?? 0) },
};

const gettersByResource = new Map<string, Record<string, Getter>>();

/** The fields a resource can be selected by: the common ones and its own (merged once per resource). */
function gettersOf(resource: string): Record<string, Getter> {
  let getters = gettersByResource.get(resource);
  if (!getters) {
    getters = { ...common, ...byResource[resource] };
    gettersByResource.set(resource, getters);
  }
  return getters;
}

export function parseFieldSelector(selector: string | undefined, resource: string): FieldRequirement[] {
  if (!selector) return [];
  const getters = gettersOf(resource);
  return selector
    .split(',')
    .filter((t) => t.trim() !== '')
    .map((text) => {
      const m = /^\s*([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(text);
      if (!m) throw badRequest(`invalid selector: '${selector}'; can't understand '${text}'`);
      const [, field, op, value] = m;
      if (!getters[field]) {
        throw badRequest(`field label not supported: ${field}`);
      }
      return { field, equal: op !== '!=', value };
    });
}

export function matchesFields(requirements: FieldRequirement[], resource: string, object: KubeObject): boolean {
  if (requirements.length === 0) return true;
  const getters = gettersOf(resource);
  return requirements.every((r) => (getters[r.field](object) === r.value) === r.equal);
}
