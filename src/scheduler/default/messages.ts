// The texts kube-scheduler 1.32 writes when a pod does not fit: the FitError histogram (`0/3 nodes are available:
// 1 Insufficient cpu, 2 node(s) had untolerated taint {…}.`), the preemption part after it, and the truncation of
// event notes to 1024 bytes.

export const noNodesAvailable = 'no nodes available to schedule pods';

export const preemptionReasons = {
  notHelpful: 'Preemption is not helpful for scheduling',
  noVictims: 'No preemption victims found for incoming pod',
  policyNever: 'not eligible due to preemptionPolicy=Never.',
  terminatingOnNominated: 'not eligible due to a terminating pod on the nominated node.',
};

/** `0/N nodes are available: <count> <reason>, ….` — reasons counted over nodes, sorted as strings, as Go does. */
export function fitErrorMessage(
  numAllNodes: number,
  nodeReasons: Iterable<string[]>,
  postFilterMessage?: string,
): string {
  const counts = new Map<string, number>();
  for (const reasons of nodeReasons) for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  const histogram = [...counts].map(([reason, n]) => `${n} ${reason}`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let message = `0/${numAllNodes} nodes are available:`;
  if (histogram.length > 0) message += ` ${histogram.join(', ')}.`;
  if (postFilterMessage) message += ` ${postFilterMessage.replace(/\.$/, '')}.`;
  return message;
}

/** What DefaultPreemption's PostFilter adds when it found no node: `preemption: <its own FitError>`. */
export function preemptionMessage(inner: string): string {
  return `preemption: ${inner}`;
}

/** Event notes are limited to 1024 bytes; longer ones end in ` ...` (the pod condition keeps the whole text). */
export function truncateNote(message: string, max = 1024): string {
  const bytes = Buffer.from(message);
  if (bytes.length <= max) return message;
  return `${bytes.subarray(0, max - 4).toString()} ...`;
}
