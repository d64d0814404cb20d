/**
 * Pairs of records that share at least one blocking key: the only pairs worth scoring. Used to
 * learn a model and by batch jobs (duplicate scans, benchmarks); a search looks its keys up in
 * the database instead.
 */
export interface CandidatePairs {
  /** Index into the first list. */
  readonly left: Int32Array;
  /** Index into the second list (or the same list, with left < right, when deduplicating). */
  readonly right: Int32Array;
  readonly count: number;
}

function indexByKey(keys: readonly (readonly string[])[]): Map<string, number[]> {
  const index = new Map<string, number[]>();
  keys.forEach((recordKeys, position) => {
    for (const key of recordKeys) {
      const holders = index.get(key);
      if (holders === undefined) index.set(key, [position]);
      else holders.push(position);
    }
  });
  return index;
}

/**
 * Within one list when `otherKeys` is undefined, else between the two lists. A key held by more
 * than `maxBlockSize` records (a very common name and year, say) is skipped: it would add many
 * pairs and little evidence, and other keys still hold the true matches among them.
 */
export function findCandidatePairs(keys: readonly (readonly string[])[], otherKeys?: readonly (readonly string[])[], maxBlockSize = Number.POSITIVE_INFINITY): CandidatePairs {
  const seen = new Set<number>();
  const left: number[] = [];
  const right: number[] = [];
  const width = (otherKeys ?? keys).length;
  const add = (a: number, b: number): void => {
    const code = a * width + b;
    if (seen.has(code)) return;
    seen.add(code);
    left.push(a);
    right.push(b);
  };
  if (otherKeys === undefined) {
    for (const holders of indexByKey(keys).values()) {
      if (holders.length > maxBlockSize) continue;
      for (let i = 0; i < holders.length; i++) {
        for (let j = i + 1; j < holders.length; j++) {
          const a = holders[i] ?? 0;
          const b = holders[j] ?? 0;
          add(Math.min(a, b), Math.max(a, b));
        }
      }
    }
  } else {
    const otherIndex = indexByKey(otherKeys);
    for (const [key, holders] of indexByKey(keys)) {
      const others = otherIndex.get(key);
      if (others === undefined || holders.length * others.length > maxBlockSize * maxBlockSize) continue;
      for (const a of holders) for (const b of others) add(a, b);
    }
  }
  return { left: Int32Array.from(left), right: Int32Array.from(right), count: left.length };
}
