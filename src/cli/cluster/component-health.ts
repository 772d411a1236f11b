// What `kubectl get componentstatuses` asks of the control plane this process runs: the scheduler and the
// controller manager are healthy while they run and every shared informer they read through lists and watches;
// a failing one is named with its error.
import { sharedInformers } from '../../client/factory.js';
import type { KubeClient } from '../../kube/client/types.js';
import { registerComponentHealth } from '../../kube/componentstatus/status.js';
import type { ApiContext } from '../../kube/index.js';

/** Registers the two checks; the returned function withdraws them (the components stopped). */
export function reportControlPlaneHealth(ctx: ApiContext, client: KubeClient): () => void {
  const check = async () => {
    for (const informer of sharedInformers(client).running) {
      const failure = informer.failure as Error | undefined;
      if (failure) throw new Error(`watch of ${informer.ref.kind} failed: ${failure.message ?? failure}`);
    }
  };
  const withdraw = ['scheduler', 'controller-manager'].map((name) => registerComponentHealth(ctx, name, check));
  return () => {
    for (const undo of withdraw) undo();
  };
}
