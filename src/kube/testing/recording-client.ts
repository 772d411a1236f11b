// A client for tests that tells `record` of every call made through it (the verb and its arguments) before the call
// runs: what a component asked of the API, to count its reads and writes.
export function recordingClient<C extends object>(client: C, record: (verb: string, args: unknown[]) => void): C {
  return new Proxy(client, {
    get(target, verb: string | symbol) {
      const member = Reflect.get(target, verb, target);
      if (typeof member !== 'function' || typeof verb !== 'string') return member;
      return (...args: unknown[]) => {
        record(verb, args);
        return member.apply(target, args);
      };
    },
  });
}

/** Counts of calls by verb, filled by a recordingClient. */
export function callCounts(): { counts: Map<string, number>; record: (verb: string) => void } {
  const counts = new Map<string, number>();
  return { counts, record: (verb) => counts.set(verb, (counts.get(verb) ?? 0) + 1) };
}
