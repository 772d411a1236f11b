// kube-apiserver's DefaultTolerationSeconds admission: a pod (created or updated, not its subresources) that does
// not tolerate the node.kubernetes.io/not-ready or /unreachable NoExecute taint — a toleration with that key or none,
// and effect NoExecute or none — gets one for 300 s, so the taint manager evicts it five minutes after its node
// stops being Ready.
import type { MutatingPlugin } from './chain.js';

interface Toleration {
  key?: string;
  operator?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export const defaultTolerationSeconds = 300;
const taintKeys = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

const covers = (t: Toleration, key: string) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect);

export const defaultTolerationSecondsAdmission: MutatingPlugin = {
  name: 'DefaultTolerationSeconds',
  async admit(request) {
    if (request.resource.group !== '' || request.resource.resource !== 'pods' || request.subresource) return;
    if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return;
    const spec = request.object?.spec;
    if (!spec || typeof spec !== 'object') return;
    const tolerations: Toleration[] = Array.isArray(spec.tolerations) ? spec.tolerations : [];
    for (const key of taintKeys) {
      if (tolerations.some((t) => covers(t, key))) continue;
      tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: defaultTolerationSeconds });
    }
    spec.tolerations = tolerations;
  },
};
