// A function's answers remembered by argument: the Fargate rules read the same few texts (quantities like "250m",
// node names, a release's kubelet version) on every change of every pod and node. Bounded: past `limit` distinct
// arguments the memory starts again. A call that throws is not remembered.
export function remembered<K, V>(compute: (key: K) => V, limit = 1024): (key: K) => V {
  const known = new Map<K, V>();
  return (key) => {
    let value = known.get(key);
    if (value === undefined && !known.has(key)) {
      value = compute(key);
      if (known.size >= limit) known.clear();
      known.set(key, value);
    }
    return value as V;
  };
}
