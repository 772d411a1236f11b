// The usage record: one cluster-scoped `UsageRecord` (metering.skiff.io/v1alpha1) per metered Fargate pod
// (`pod-<uid>`) or node-group node (`node-<uid>`), stored through the kube API like any object so it survives
// restarts and is shared by every Skiff process; the CustomResourceDefinition that serves it; reading one back.
import type { KubeObject } from '../kube/api/types.js';

export const usageGroup = 'metering.skiff.io';
export const usageVersion = 'v1alpha1';
export const usageRecordRef = { apiVersion: `${usageGroup}/${usageVersion}`, kind: 'UsageRecord' };

export type UsageResourceType = 'FargatePod' | 'Node';

export interface Workload {
  kind: string;
  name: string;
}

export interface UsageSpec {
  resourceType: UsageResourceType;
  cluster: string;
  region: string;
  /** Fargate pods: the pod; nodes: the node's name. */
  name: string;
  uid: string;
  namespace?: string;
  profile?: string;
  nodegroup?: string;
  node?: string;
  /** The owning workload, followed up through ReplicaSets and Jobs (Deployment, CronJob). */
  workload?: Workload;
  labels: Record<string, string>;
  capacityProvisioned?: string;
  vcpu: number;
  memoryGB: number;
  storageGB: number;
  instanceType?: string;
  /** EC2 instance ID of a node, from its providerID. */
  instanceId?: string;
  /** RFC 3339 with milliseconds. */
  start: string;
  /** All containers finished (a Completed or Failed pod still holding its node). */
  finished?: string;
  /** Deleted: metering stops. */
  stop?: string;
}

export interface UsageRecord extends KubeObject {
  spec: UsageSpec;
}

export const recordName = (type: UsageResourceType, uid: string) => `${type === 'Node' ? 'node' : 'pod'}-${uid}`;

const str = { type: 'string' };
const num = { type: 'number' };

export const usageRecordCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `usagerecords.${usageGroup}` },
  spec: {
    group: usageGroup,
    scope: 'Cluster',
    names: { plural: 'usagerecords', singular: 'usagerecord', kind: 'UsageRecord', shortNames: ['usage'] },
    versions: [
      {
        name: usageVersion,
        served: true,
        storage: true,
        additionalPrinterColumns: [
          { name: 'Type', type: 'string', jsonPath: '.spec.resourceType' },
          { name: 'Namespace', type: 'string', jsonPath: '.spec.namespace' },
          { name: 'Resource', type: 'string', jsonPath: '.spec.name' },
          { name: 'Size', type: 'string', jsonPath: '.spec.capacityProvisioned' },
          { name: 'Instance-Type', type: 'string', jsonPath: '.spec.instanceType', priority: 1 },
          { name: 'Start', type: 'string', jsonPath: '.spec.start' },
          { name: 'Stop', type: 'string', jsonPath: '.spec.stop' },
        ],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              apiVersion: str,
              kind: str,
              metadata: { type: 'object' },
              spec: {
                type: 'object',
                required: ['resourceType', 'cluster', 'region', 'name', 'uid', 'vcpu', 'memoryGB', 'start'],
                properties: {
                  resourceType: { type: 'string', enum: ['FargatePod', 'Node'] },
                  cluster: str,
                  region: str,
                  name: str,
                  uid: str,
                  namespace: str,
                  profile: str,
                  nodegroup: str,
                  node: str,
                  workload: { type: 'object', properties: { kind: str, name: str } },
                  labels: { type: 'object', additionalProperties: str },
                  capacityProvisioned: str,
                  vcpu: num,
                  memoryGB: num,
                  storageGB: num,
                  instanceType: str,
                  instanceId: str,
                  start: str,
                  finished: str,
                  stop: str,
                },
              },
            },
          },
        },
      },
    ],
  },
};

export const isOpen = (record: UsageRecord) => record.spec.stop === undefined;

export const toTime = (ms: number) => new Date(ms).toISOString();
