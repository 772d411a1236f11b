// What eksctl does after creating a profile that selects kube-system: annotate the CoreDNS Deployment's pod template
// with eks.amazonaws.com/compute-type=fargate, then wait until its pods run on fargate-* nodes.

import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import type { ConfigSelector } from './cluster-config.js';
import { log } from './log.js';

const COMPONENT_LABEL = 'eks.amazonaws.com/component';
const deployments = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'kube-system' };
const pods = { apiVersion: 'v1', kind: 'Pod', namespace: 'kube-system' };

/** A selector that would capture CoreDNS: kube-system with no labels, or exactly the CoreDNS component label. */
export function selectsCoreDNS(selectors: ConfigSelector[]): boolean {
  return selectors.some((s) => {
    if (s.namespace !== 'kube-system') return false;
    const labels = Object.entries(s.labels ?? {});
    return (
      labels.length === 0 || (labels.length === 1 && labels[0][0] === COMPONENT_LABEL && labels[0][1] === 'coredns')
    );
  });
}

interface PodLike extends KubeObject {
  spec?: { nodeName?: string };
  status?: { phase?: string };
}

export async function scheduleCoreDNSOnFargate(client: KubeClient, timeoutMs: number, pollMs = 2000): Promise<void> {
  const patch = { spec: { template: { metadata: { annotations: { 'eks.amazonaws.com/compute-type': 'fargate' } } } } };
  await client.patch(deployments, 'coredns', patch, 'strategic');
  log.info('"coredns" is now schedulable onto Fargate');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const list = await client.list<PodLike>(pods, { labelSelector: `${COMPONENT_LABEL}=coredns` });
    const onFargate = list.items.filter(
      (p) => p.status?.phase === 'Running' && p.spec?.nodeName?.startsWith('fargate-'),
    );
    if (list.items.length > 0 && onFargate.length === list.items.length) {
      log.info('"coredns" is now scheduled onto Fargate');
      log.info('"coredns" pods are now scheduled onto Fargate');
      return;
    }
    if (Date.now() > deadline) throw new Error('timed out waiting for "coredns" pods to be scheduled onto Fargate');
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
