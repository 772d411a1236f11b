// Completion indexes of Indexed Jobs: status.completedIndexes' compressed form ("1,3-5,7") and the lowest
// indexes that still need a pod.

/** Parses "1,3-5"; indexes at or past `completions` and malformed parts are dropped. */
export function parseIndexes(text: string | undefined, completions: number): Set<number> {
  const result = new Set<number>();
  for (const part of (text ?? '').split(',')) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!match) continue;
    const first = Number(match[1]);
    const last = Math.min(Number(match[2] ?? match[1]), completions - 1);
    for (let i = first; i <= last; i++) result.add(i);
  }
  return result;
}

/** The sorted indexes in ranges: consecutive runs of three or more as "a-b", shorter runs listed. */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    if (j === i) parts.push(String(sorted[i]));
    else parts.push(`${sorted[i]}${j === i + 1 ? ',' : '-'}${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** Up to `count` of the lowest indexes below `completions` neither completed nor held by an active pod. */
export function firstPendingIndexes(
  completions: number,
  completed: Set<number>,
  active: Set<number>,
  count: number,
): number[] {
  const result: number[] = [];
  for (let i = 0; i < completions && result.length < count; i++) {
    if (!completed.has(i) && !active.has(i)) result.push(i);
  }
  return result;
}
