// The metrics.k8s.io/v1beta1 definitions (PodMetrics, NodeMetrics and their lists), which metrics-server publishes
// and the Kubernetes API's own document lacks; merged into the built-in definitions by load.ts.
import type { Schema } from './types.js';

const prefix = 'io.k8s.metrics.pkg.apis.metrics.v1beta1.';
const ref = (name: string) => ({ $ref: `#/definitions/${name}` });
const quantity = ref('io.k8s.apimachinery.pkg.api.resource.Quantity');
const gvk = (kind: string) => [{ group: 'metrics.k8s.io', kind, version: 'v1beta1' }];
const usage = {
  additionalProperties: quantity,
  description: 'The memory and CPU used over the window, by resource name.',
  type: 'object',
};

function typed(properties: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: { description: 'The versioned schema of this representation of an object.', type: 'string' },
    kind: { description: 'The REST resource this object represents.', type: 'string' },
    ...properties,
  };
}

function measured(kind: string, what: string, properties: Record<string, unknown>, required: string[]): Schema {
  return {
    description: `${kind} sets the resource usage metrics of a ${what}.`,
    properties: typed({
      metadata: { ...ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'), description: 'Standard object metadata.' },
      timestamp: {
        ...ref('io.k8s.apimachinery.pkg.apis.meta.v1.Time'),
        description: 'The end of the window over which the usage was measured.',
      },
      window: { description: 'The length of the measuring window, as a duration ("15s").', type: 'string' },
      ...properties,
    }),
    required: ['timestamp', 'window', ...required],
    type: 'object',
    'x-kubernetes-group-version-kind': gvk(kind),
  } as Schema;
}

function list(kind: string): Schema {
  return {
    description: `${kind}List is a list of ${kind}.`,
    properties: typed({
      items: { description: `The ${kind} objects.`, items: ref(`${prefix}${kind}`), type: 'array' },
      metadata: { ...ref('io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta'), description: 'Standard list metadata.' },
    }),
    required: ['items'],
    type: 'object',
    'x-kubernetes-group-version-kind': gvk(`${kind}List`),
  } as Schema;
}

export const metricsDefinitions: Record<string, Schema> = {
  [`${prefix}ContainerMetrics`]: {
    description: 'ContainerMetrics sets the resource usage metrics of a container.',
    properties: { name: { description: 'Container name, as in the pod spec.', type: 'string' }, usage },
    required: ['name', 'usage'],
    type: 'object',
  } as Schema,
  [`${prefix}NodeMetrics`]: measured('NodeMetrics', 'node', { usage }, ['usage']),
  [`${prefix}NodeMetricsList`]: list('NodeMetrics'),
  [`${prefix}PodMetrics`]: measured(
    'PodMetrics',
    'pod',
    {
      containers: {
        description: 'The usage of each container of the pod.',
        items: ref(`${prefix}ContainerMetrics`),
        type: 'array',
        'x-kubernetes-list-map-keys': ['name'],
        'x-kubernetes-list-type': 'map',
      },
    },
    ['containers'],
  ),
  [`${prefix}PodMetricsList`]: list('PodMetrics'),
};
