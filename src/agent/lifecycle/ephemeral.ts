// Ephemeral containers (kubectl debug): added to a running pod through pods/ephemeralcontainers, started once in
// the pod's sandbox when the agent sees them, never restarted, reported in status.ephemeralContainerStatuses.
import type { SandboxPod } from '../driver.js';
import type { BackOffOptions } from './backoff.js';
import { newSlot, type Slot } from './container.js';

/** The pod's ephemeral containers not yet known to the lifecycle, as slots; those that already ran stay done. */
export function newEphemeralSlots(pod: SandboxPod, known: Slot[], backOff: BackOffOptions): Slot[] {
  const names = new Set(known.map((s) => s.spec.name));
  const statuses: any[] = pod.pod.status?.ephemeralContainerStatuses ?? [];
  return (pod.pod.spec?.ephemeralContainers ?? [])
    .filter((c: any) => c?.name && !names.has(c.name))
    .map((c: any) => {
      const previous = statuses.find((s) => s?.name === c.name);
      const slot = newSlot(c, false, 'ContainerCreating', backOff);
      slot.ephemeral = true;
      if (previous?.state?.terminated) {
        slot.status = { ...slot.status, ...previous };
        slot.hasRun = true;
      }
      return slot;
    });
}

/** Whether the slot is to be started now (not yet run). */
export const startsNow = (slot: Slot) => !slot.hasRun;
