// What the AWS Load Balancer Controller's Helm chart installs for Ingresses: the IngressClassParams CRD
// (elbv2.k8s.aws/v1beta1, cluster-scoped), the IngressClassParams `alb` and the IngressClass `alb` of controller
// `ingress.k8s.aws/alb` pointing at it. Created when missing, left alone when present (a user's edits stay).
// The controller reads a class's params for `scheme` and `group.name` (model.ts); the rest of the spec is refused
// there, as Skiff has no subnets, certificates or tags to give a load balancer.
import { ApiError } from '../../kube/api/errors.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { albController } from './model.js';

const labels = {
  'app.kubernetes.io/name': 'aws-load-balancer-controller',
  'app.kubernetes.io/instance': 'aws-load-balancer-controller',
};

const paramsCrd: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'ingressclassparams.elbv2.k8s.aws', labels },
  spec: {
    group: 'elbv2.k8s.aws',
    names: {
      kind: 'IngressClassParams',
      listKind: 'IngressClassParamsList',
      plural: 'ingressclassparams',
      singular: 'ingressclassparams',
    },
    scope: 'Cluster',
    versions: [
      {
        name: 'v1beta1',
        served: true,
        storage: true,
        additionalPrinterColumns: [
          { name: 'GROUP-NAME', type: 'string', description: 'The Ingress Group name', jsonPath: '.spec.group.name' },
          { name: 'SCHEME', type: 'string', description: 'The AWS Load Balancer scheme', jsonPath: '.spec.scheme' },
          {
            name: 'IP-ADDRESS-TYPE',
            type: 'string',
            description: 'The AWS Load Balancer ipAddressType',
            jsonPath: '.spec.ipAddressType',
          },
          { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
        schema: {
          openAPIV3Schema: {
            description: 'IngressClassParams is the Schema for the IngressClassParams API',
            type: 'object',
            properties: {
              apiVersion: { type: 'string' },
              kind: { type: 'string' },
              metadata: { type: 'object' },
              spec: {
                description: 'IngressClassParamsSpec defines the desired state of IngressClassParams',
                type: 'object',
                'x-kubernetes-preserve-unknown-fields': true,
                properties: {
                  group: {
                    type: 'object',
                    properties: {
                      name: { type: 'string', maxLength: 63, pattern: '^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$' },
                    },
                    required: ['name'],
                  },
                  scheme: { type: 'string', enum: ['internal', 'internet-facing'] },
                  ipAddressType: { type: 'string', enum: ['ipv4', 'dualstack', 'dualstack-without-public-ipv4'] },
                  namespaceSelector: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                },
              },
            },
          },
        },
      },
    ],
  },
};

const params: KubeObject = {
  apiVersion: 'elbv2.k8s.aws/v1beta1',
  kind: 'IngressClassParams',
  metadata: { name: 'alb', labels },
};

const ingressClass: KubeObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'IngressClass',
  metadata: { name: 'alb', labels },
  spec: {
    controller: albController,
    parameters: { apiGroup: 'elbv2.k8s.aws', kind: 'IngressClassParams', name: 'alb' },
  },
};

async function createMissing(client: KubeClient, object: KubeObject): Promise<void> {
  try {
    await client.create(structuredClone(object));
  } catch (error) {
    if (!(error instanceof ApiError && error.code === 409)) throw error;
  }
}

export async function ensureIngressClass(client: KubeClient): Promise<void> {
  await createMissing(client, paramsCrd);
  await createMissing(client, params);
  await createMissing(client, ingressClass);
}
