// What the kubernetes plugin knows of the cluster: Services and EndpointSlices by namespace and name, kept from
// their watches, with the time of the last change (the SOA serial).
import type { KubeObject } from '../../../kube/api/types.js';

export interface ServiceObject extends KubeObject {
  spec?: {
    type?: string;
    clusterIP?: string;
    clusterIPs?: string[];
    externalName?: string;
    ports?: { name?: string; port: number; protocol?: string }[];
  };
}

export interface EndpointSliceObject extends KubeObject {
  addressType?: string;
  endpoints?: { addresses: string[]; hostname?: string; conditions?: { ready?: boolean } }[];
  ports?: { name?: string; port?: number; protocol?: string }[] | null;
}

const serviceNameLabel = 'kubernetes.io/service-name';

export class ClusterView {
  private readonly services = new Map<string, ServiceObject>();
  private readonly slices = new Map<string, Map<string, EndpointSliceObject>>();
  /** Unix seconds of the last change. */
  modified = Math.floor(Date.now() / 1000);

  setService(service: ServiceObject | undefined, old?: ServiceObject): void {
    const gone = service ?? old;
    if (!gone) return;
    const key = `${gone.metadata.namespace}/${gone.metadata.name}`;
    if (service) this.services.set(key, service);
    else this.services.delete(key);
    this.touch();
  }

  setSlice(slice: EndpointSliceObject | undefined, old?: EndpointSliceObject): void {
    const either = (slice ?? old)!;
    const owner = either.metadata.labels?.[serviceNameLabel];
    if (!owner) return;
    const key = `${either.metadata.namespace}/${owner}`;
    let byName = this.slices.get(key);
    if (slice) {
      if (!byName) {
        byName = new Map();
        this.slices.set(key, byName);
      }
      byName.set(slice.metadata.name!, slice);
    } else {
      byName?.delete(either.metadata.name!);
      if (byName?.size === 0) this.slices.delete(key);
    }
    this.touch();
  }

  service(namespace: string, name: string): ServiceObject | undefined {
    return this.services.get(`${namespace}/${name}`);
  }

  allServices(): IterableIterator<ServiceObject> {
    return this.services.values();
  }

  hasNamespace(namespace: string): boolean {
    for (const key of this.services.keys()) if (key.startsWith(`${namespace}/`)) return true;
    return false;
  }

  /** The Service's IPv4 EndpointSlices. */
  slicesOf(namespace: string, name: string): EndpointSliceObject[] {
    return [...(this.slices.get(`${namespace}/${name}`)?.values() ?? [])].filter(
      (s) => (s.addressType ?? 'IPv4') === 'IPv4',
    );
  }

  private touch(): void {
    this.modified = Math.floor(Date.now() / 1000);
  }
}
