// Service addresses as the API server handles them: cluster IPs (and node ports) allocated on create, kept on
// update, released on delete, leaked claims repaired at start, and the `kubernetes` Service in `default`.
import type { KubeObject } from '../api/types.js';
import type { ApiContext } from '../rest/context.js';
import { createObject } from '../rest/create.js';
import { getObject } from '../storage/objects.js';
import {
  allocateServiceAddresses,
  defaultRanges,
  kubernetesServiceIp,
  releaseServiceAddresses,
  repairAllocations,
  type ServiceRanges,
} from './allocator.js';

const isService = (info: { group: string; resource: string }) => info.group === '' && info.resource === 'services';

function stillHolds(service: KubeObject | undefined, key: string): boolean {
  const value = key.slice(key.lastIndexOf('/') + 1);
  if (!service) return false;
  return (
    (service.spec?.clusterIPs ?? []).includes(value) ||
    (service.spec?.ports ?? []).some((p: any) => String(p.nodePort) === value)
  );
}

export async function installServiceAllocation(ctx: ApiContext, ranges: ServiceRanges = defaultRanges): Promise<void> {
  const services = ctx.registry.lookup('', 'v1', 'services')!;
  ctx.admission.addMutating({
    name: 'ServiceIPAllocation',
    async admit(request) {
      if (!isService(request.resource) || request.subresource || !request.object || request.dryRun) return;
      if (request.operation === 'CREATE') await allocateServiceAddresses(ctx.store, ranges, request.object);
      if (request.operation === 'UPDATE' && request.oldObject) {
        const spec = request.object.spec ?? {};
        spec.clusterIP = request.oldObject.spec?.clusterIP;
        spec.clusterIPs = request.oldObject.spec?.clusterIPs;
        request.object.spec = spec;
      }
    },
  });
  ctx.afterWrite.push(async (info, object, deleted) => {
    if (deleted && isService(info)) await releaseServiceAddresses(ctx.store, object);
  });
  await repairAllocations(ctx.store, async (owner, key) => {
    const [namespace, name] = owner.split('/');
    return stillHolds(await getObject(ctx.store, services, namespace, name), key);
  });
  const existing = await getObject(ctx.store, services, 'default', 'kubernetes');
  if (!existing) {
    await createObject(ctx, services, 'default', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { component: 'apiserver', provider: 'kubernetes' },
      },
      spec: {
        type: 'ClusterIP',
        clusterIP: kubernetesServiceIp(ranges),
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 443 }],
      },
    });
  }
}
