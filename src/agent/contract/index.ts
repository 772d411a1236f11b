// The pod contract's entry point: a PodContract reading through the agent's KubeClient and recording its events
// as the kubelet's, with its sandboxes' files under the given directory (D/sandboxes).
import type { KubeClient } from '../../kube/client/types.js';
import { KubeletEvents } from '../events.js';
import { PodContract } from './contract.js';
import { kubeContractReader } from './reader.js';

export { type ContainerSetup, PodContract, type SandboxSetup } from './contract.js';
export { type ContractReader, kubeContractReader } from './reader.js';

export function podContractOf(
  client: KubeClient,
  sandboxesDir: string,
  onError?: (error: unknown) => void,
): PodContract {
  const report = onError ?? (() => {});
  const events = new KubeletEvents(client, report);
  return new PodContract({
    reader: kubeContractReader(client),
    sandboxesDir,
    record: (pod, event) => events.record(pod.pod, pod.nodeName, event),
    onError: report,
  });
}
