// The built-in resources Skiff serves, as kube-apiserver 1.32 lists them in discovery (names, short names,
// categories, verbs, subresources).
import { allVerbs, type ResourceInfo, type SubresourceInfo } from './types.js';

interface Spec {
  gv: string;
  resource: string;
  kind: string;
  cluster?: boolean;
  short?: string[];
  all?: boolean;
  verbs?: string[];
  status?: boolean;
  scale?: boolean;
  extra?: [name: string, kind: string, verbs: string[], gv?: string][];
}

const readWrite = ['get', 'patch', 'update'];
const noCollection = allVerbs.filter((v) => v !== 'deletecollection');

const specs: Spec[] = [
  { gv: 'v1', resource: 'bindings', kind: 'Binding', verbs: ['create'] },
  // Computed on each read (src/kube/componentstatus/), never stored.
  {
    gv: 'v1',
    resource: 'componentstatuses',
    kind: 'ComponentStatus',
    cluster: true,
    short: ['cs'],
    verbs: ['get', 'list'],
  },
  { gv: 'v1', resource: 'configmaps', kind: 'ConfigMap', short: ['cm'] },
  { gv: 'v1', resource: 'endpoints', kind: 'Endpoints', short: ['ep'] },
  { gv: 'v1', resource: 'events', kind: 'Event', short: ['ev'] },
  { gv: 'v1', resource: 'limitranges', kind: 'LimitRange', short: ['limits'] },
  {
    gv: 'v1',
    resource: 'namespaces',
    kind: 'Namespace',
    cluster: true,
    short: ['ns'],
    verbs: noCollection,
    status: true,
    extra: [['finalize', 'Namespace', ['update']]],
  },
  { gv: 'v1', resource: 'nodes', kind: 'Node', cluster: true, short: ['no'], status: true },
  { gv: 'v1', resource: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', short: ['pvc'], status: true },
  { gv: 'v1', resource: 'persistentvolumes', kind: 'PersistentVolume', cluster: true, short: ['pv'], status: true },
  {
    gv: 'v1',
    resource: 'pods',
    kind: 'Pod',
    short: ['po'],
    all: true,
    status: true,
    extra: [
      ['attach', 'PodAttachOptions', ['create', 'get']],
      ['binding', 'Binding', ['create']],
      ['ephemeralcontainers', 'Pod', ['get', 'patch', 'update']],
      ['eviction', 'Eviction', ['create'], 'policy/v1'],
      ['exec', 'PodExecOptions', ['create', 'get']],
      ['log', 'Pod', ['get']],
      ['portforward', 'PodPortForwardOptions', ['create', 'get']],
    ],
  },
  { gv: 'v1', resource: 'podtemplates', kind: 'PodTemplate' },
  {
    gv: 'v1',
    resource: 'replicationcontrollers',
    kind: 'ReplicationController',
    short: ['rc'],
    all: true,
    status: true,
    scale: true,
  },
  { gv: 'v1', resource: 'resourcequotas', kind: 'ResourceQuota', short: ['quota'], status: true },
  { gv: 'v1', resource: 'secrets', kind: 'Secret' },
  {
    gv: 'v1',
    resource: 'serviceaccounts',
    kind: 'ServiceAccount',
    short: ['sa'],
    extra: [['token', 'TokenRequest', ['create'], 'authentication.k8s.io/v1']],
  },
  {
    gv: 'v1',
    resource: 'services',
    kind: 'Service',
    short: ['svc'],
    all: true,
    verbs: noCollection.concat('deletecollection').sort(),
    status: true,
  },
  {
    gv: 'admissionregistration.k8s.io/v1',
    resource: 'mutatingwebhookconfigurations',
    kind: 'MutatingWebhookConfiguration',
    cluster: true,
  },
  {
    gv: 'admissionregistration.k8s.io/v1',
    resource: 'validatingwebhookconfigurations',
    kind: 'ValidatingWebhookConfiguration',
    cluster: true,
  },
  {
    gv: 'apiextensions.k8s.io/v1',
    resource: 'customresourcedefinitions',
    kind: 'CustomResourceDefinition',
    cluster: true,
    short: ['crd', 'crds'],
    status: true,
  },
  {
    gv: 'authentication.k8s.io/v1',
    resource: 'tokenreviews',
    kind: 'TokenReview',
    cluster: true,
    verbs: ['create'],
  },
  {
    gv: 'authentication.k8s.io/v1',
    resource: 'selfsubjectreviews',
    kind: 'SelfSubjectReview',
    cluster: true,
    verbs: ['create'],
  },
  {
    gv: 'authorization.k8s.io/v1',
    resource: 'selfsubjectaccessreviews',
    kind: 'SelfSubjectAccessReview',
    cluster: true,
    verbs: ['create'],
  },
  {
    gv: 'authorization.k8s.io/v1',
    resource: 'selfsubjectrulesreviews',
    kind: 'SelfSubjectRulesReview',
    cluster: true,
    verbs: ['create'],
  },
  {
    gv: 'authorization.k8s.io/v1',
    resource: 'subjectaccessreviews',
    kind: 'SubjectAccessReview',
    cluster: true,
    verbs: ['create'],
  },
  {
    gv: 'authorization.k8s.io/v1',
    resource: 'localsubjectaccessreviews',
    kind: 'LocalSubjectAccessReview',
    verbs: ['create'],
  },
  { gv: 'rbac.authorization.k8s.io/v1', resource: 'clusterrolebindings', kind: 'ClusterRoleBinding', cluster: true },
  { gv: 'rbac.authorization.k8s.io/v1', resource: 'clusterroles', kind: 'ClusterRole', cluster: true },
  { gv: 'rbac.authorization.k8s.io/v1', resource: 'rolebindings', kind: 'RoleBinding' },
  { gv: 'rbac.authorization.k8s.io/v1', resource: 'roles', kind: 'Role' },
  { gv: 'apps/v1', resource: 'daemonsets', kind: 'DaemonSet', short: ['ds'], all: true, status: true },
  {
    gv: 'apps/v1',
    resource: 'deployments',
    kind: 'Deployment',
    short: ['deploy'],
    all: true,
    status: true,
    scale: true,
  },
  { gv: 'apps/v1', resource: 'replicasets', kind: 'ReplicaSet', short: ['rs'], all: true, status: true, scale: true },
  {
    gv: 'apps/v1',
    resource: 'statefulsets',
    kind: 'StatefulSet',
    short: ['sts'],
    all: true,
    status: true,
    scale: true,
  },
  { gv: 'apps/v1', resource: 'controllerrevisions', kind: 'ControllerRevision' },
  {
    gv: 'autoscaling/v2',
    resource: 'horizontalpodautoscalers',
    kind: 'HorizontalPodAutoscaler',
    short: ['hpa'],
    all: true,
    status: true,
  },
  // Stored as autoscaling/v2 (listed first: the version controllers track); src/kube/conversion/ converts.
  {
    gv: 'autoscaling/v1',
    resource: 'horizontalpodautoscalers',
    kind: 'HorizontalPodAutoscaler',
    short: ['hpa'],
    all: true,
    status: true,
  },
  { gv: 'batch/v1', resource: 'cronjobs', kind: 'CronJob', short: ['cj'], all: true, status: true },
  { gv: 'batch/v1', resource: 'jobs', kind: 'Job', all: true, status: true },
  { gv: 'coordination.k8s.io/v1', resource: 'leases', kind: 'Lease' },
  { gv: 'discovery.k8s.io/v1', resource: 'endpointslices', kind: 'EndpointSlice' },
  { gv: 'events.k8s.io/v1', resource: 'events', kind: 'Event', short: ['ev'] },
  // Served by metrics-server on a real cluster; here the agents write them and everyone reads them (kubectl top).
  { gv: 'metrics.k8s.io/v1beta1', resource: 'nodes', kind: 'NodeMetrics', cluster: true },
  { gv: 'metrics.k8s.io/v1beta1', resource: 'pods', kind: 'PodMetrics' },
  { gv: 'networking.k8s.io/v1', resource: 'ingressclasses', kind: 'IngressClass', cluster: true },
  { gv: 'networking.k8s.io/v1', resource: 'ingresses', kind: 'Ingress', short: ['ing'], status: true },
  { gv: 'networking.k8s.io/v1', resource: 'networkpolicies', kind: 'NetworkPolicy', short: ['netpol'] },
  // kube-apiserver serves it with --runtime-config=networking.k8s.io/v1beta1=true; Skiff's VPC address claims.
  { gv: 'networking.k8s.io/v1beta1', resource: 'ipaddresses', kind: 'IPAddress', cluster: true, short: ['ip'] },
  { gv: 'policy/v1', resource: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', short: ['pdb'], status: true },
  { gv: 'scheduling.k8s.io/v1', resource: 'priorityclasses', kind: 'PriorityClass', cluster: true, short: ['pc'] },
  { gv: 'storage.k8s.io/v1', resource: 'csidrivers', kind: 'CSIDriver', cluster: true },
  { gv: 'storage.k8s.io/v1', resource: 'csinodes', kind: 'CSINode', cluster: true },
  { gv: 'storage.k8s.io/v1', resource: 'storageclasses', kind: 'StorageClass', cluster: true, short: ['sc'] },
  { gv: 'storage.k8s.io/v1', resource: 'volumeattachments', kind: 'VolumeAttachment', cluster: true, status: true },
];

function splitGroupVersion(gv: string): { group: string; version: string } {
  const slash = gv.indexOf('/');
  return slash < 0 ? { group: '', version: gv } : { group: gv.slice(0, slash), version: gv.slice(slash + 1) };
}

function toInfo(spec: Spec): ResourceInfo {
  const { group, version } = splitGroupVersion(spec.gv);
  const sub = (name: string, kind: string, verbs: string[], gv = spec.gv): SubresourceInfo => ({
    name,
    kind,
    verbs,
    ...splitGroupVersion(gv),
  });
  const subresources: SubresourceInfo[] = [];
  for (const [name, kind, verbs, gv] of spec.extra ?? []) subresources.push(sub(name, kind, verbs, gv));
  if (spec.scale) subresources.push(sub('scale', 'Scale', readWrite, 'autoscaling/v1'));
  if (spec.status) subresources.push(sub('status', spec.kind, readWrite));
  return {
    group,
    version,
    resource: spec.resource,
    kind: spec.kind,
    listKind: `${spec.kind}List`,
    singular: spec.kind.toLowerCase(),
    namespaced: !spec.cluster,
    shortNames: spec.short ?? [],
    categories: spec.all ? ['all'] : [],
    verbs: spec.verbs ?? allVerbs,
    subresources: subresources.sort((a, b) => a.name.localeCompare(b.name)),
    hasStatus: spec.status ?? false,
    scale: spec.scale
      ? {
          specReplicasPath: '.spec.replicas',
          statusReplicasPath: '.status.replicas',
          labelSelectorPath: '.status.selector',
        }
      : undefined,
  };
}

export const builtinResources: ResourceInfo[] = specs.map(toInfo);
