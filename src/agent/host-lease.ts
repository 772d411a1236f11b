// The host's registration: Lease kube-system/skiff-host-<host>, label skiff.io/component=host-agent, annotation
// skiff.io/capacity with what the host can carry; renewed every 10 s so schedulers see it alive (40 s lease).
// It also publishes the agent's HTTPS endpoint (skiff.io/agent-endpoint) for the kube API's pods/log, exec, attach
// and portforward; the endpoint takes only the kube API's client certificate, so nothing secret is published.
import type { KubeClient } from '../kube/client/types.js';
import { LeaseKeeper } from './lease.js';

export interface HostCapacity {
  cpuMillis: number;
  memoryMiB: number;
  sandboxes: number;
}

export const hostLeasePrefix = 'skiff-host-';
export const hostAnnotation = 'skiff.io/host';
export const capacityAnnotation = 'skiff.io/capacity';
export const agentEndpointAnnotation = 'skiff.io/agent-endpoint';

/** A machine's host name as a valid agent host name: lowercase DNS characters, at most 63 ("My_Box.local" → "my-box.local"). */
export function hostNameOf(raw: string): string {
  const labels = raw
    .toLowerCase()
    .split('.')
    .map((label) => label.replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, ''))
    .filter(Boolean);
  return (
    labels
      .join('.')
      .slice(0, 63)
      .replace(/[-.]+$/, '') || 'skiff-host'
  );
}

export class HostLease {
  private keeper: LeaseKeeper;
  private timer?: NodeJS.Timeout;

  constructor(
    client: KubeClient,
    hostName: string,
    capacity: HostCapacity,
    private renewMs: number,
    private onError: (error: unknown) => void,
    endpoint?: { url: string },
  ) {
    const annotations = {
      ...(endpoint ? { [agentEndpointAnnotation]: endpoint.url } : {}),
      [capacityAnnotation]: JSON.stringify({
        cpuMillis: capacity.cpuMillis,
        memoryMiB: capacity.memoryMiB,
        sandboxes: capacity.sandboxes,
      }),
    };
    this.keeper = new LeaseKeeper(client, () => ({
      namespace: 'kube-system',
      name: `${hostLeasePrefix}${hostName}`,
      holderIdentity: hostName,
      labels: { 'skiff.io/component': 'host-agent' },
      annotations,
    }));
  }

  /** Registers the host (resolves once the Lease is written), then renews it in the background. */
  async start(): Promise<void> {
    await this.keeper.renew();
    this.timer = setInterval(() => this.keeper.renew().catch(this.onError), this.renewMs);
    this.timer.unref?.();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
