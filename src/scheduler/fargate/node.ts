// The Node object fargate-scheduler creates for one pod: fargateNode()'s name, labels, taint, annotations and
// status, plus the host agent that runs it and the pod size it takes from that host. No owner: EKS nodes have none.

import { fargateNode } from '../../fargate/naming.js';
import type { PodSizing } from '../../fargate/sizing.js';
import type { KubeObject } from '../../kube/api/types.js';
import { hostAnnotation, reservedAnnotation } from '../hosts/room.js';

export interface NodeInput {
  ip: string;
  zone: string;
  region: string;
  host: string;
  sizing: PodSizing;
  kubeletVersion: string;
  now: Date;
}

export function fargateNodeObject(input: NodeInput): KubeObject {
  const { size, ephemeralStorageGiB } = input.sizing;
  const node = fargateNode({
    ip: input.ip,
    region: input.region,
    zone: input.zone,
    kubeletVersion: input.kubeletVersion,
    cpuMillis: size.cpuMillis,
    memoryMiB: size.memoryMiB,
    ephemeralStorageGiB,
    now: input.now.toISOString().replace(/\.\d+Z$/, 'Z'),
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      ...node.metadata,
      annotations: {
        ...node.metadata.annotations,
        [hostAnnotation]: input.host,
        [reservedAnnotation]: JSON.stringify({ cpuMillis: size.cpuMillis, memoryMiB: size.memoryMiB }),
      },
    },
    spec: node.spec,
    status: node.status,
  };
}
