import type { CompareContext } from './compare-records.ts';
import { emptyTable, FIELD_COUNT, MISSING, writeVector, type LevelTable } from './comparison-vectors.ts';
import type { PreparedSubject } from './prepare-record.ts';

/**
 * u, the chance that two different people agree, measured on random pairs of records as Splink
 * does. Each pair counts as a non-match by its chance of not being a match (from EM, when the
 * pair was a candidate), so a file's own duplicates do not make identifiers look shared by chance.
 */
export interface ChanceAgreement {
  readonly u: LevelTable;
  /** The chance that two different people share a birth year, month, day; undefined when too few dates. */
  readonly birthDate: { readonly year: number; readonly month: number; readonly day: number } | undefined;
}

/** Mulberry32: a small seeded generator, so the same records always give the same model. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RandomPairOptions {
  readonly left: readonly PreparedSubject[];
  /** The same list as `left` when deduplicating. */
  readonly right: readonly PreparedSubject[];
  readonly linking: boolean;
  readonly context: CompareContext;
  /** A pair's chance of being a match, by `left index * right.length + right index`; absent is 0. */
  readonly matchChance: ReadonlyMap<number, number>;
  readonly draws: number;
  readonly seed: number;
}

export function measureChanceAgreement(options: RandomPairOptions): ChanceAgreement {
  const { left, right, linking, context, matchChance } = options;
  const random = seededRandom(options.seed);
  const counts = emptyTable();
  const totals = counts.map(() => 0);
  const dates = { year: [0, 0], month: [0, 0], day: [0, 0] };
  const vector = new Uint8Array(FIELD_COUNT);
  for (let draw = 0; draw < options.draws && left.length > 1 && right.length > 0; draw++) {
    let i = Math.floor(random() * left.length);
    let j = Math.floor(random() * right.length);
    if (!linking) {
      if (i === j) continue;
      if (i > j) [i, j] = [j, i];
    }
    const a = left[i];
    const b = right[j];
    if (a === undefined || b === undefined) continue;
    const weight = 1 - (matchChance.get(i * right.length + j) ?? 0);
    writeVector(a, b, context, vector, 0);
    for (let f = 0; f < FIELD_COUNT; f++) {
      const level = vector[f] ?? MISSING;
      const row = counts[f];
      if (level === MISSING || row === undefined) continue;
      row[level] = (row[level] ?? 0) + weight;
      totals[f] = (totals[f] ?? 0) + weight;
    }
    if (a.birthDate?.kind === 'exact' && b.birthDate?.kind === 'exact') {
      const [x, y] = [a.birthDate.date, b.birthDate.date];
      for (const [part, same] of [['year', x.year === y.year], ['month', x.month === y.month], ['day', x.day === y.day]] as const) {
        dates[part][0] = (dates[part][0] ?? 0) + (same ? weight : 0);
        dates[part][1] = (dates[part][1] ?? 0) + weight;
      }
    }
  }
  // Laplace's rule of succession: a level never seen by chance in n draws is given 1/(n + levels), not zero.
  const u = counts.map((row, f) => row.map((count) => (count + 1) / ((totals[f] ?? 0) + row.length)));
  const share = (part: 'year' | 'month' | 'day'): number => ((dates[part][0] ?? 0) + 1) / ((dates[part][1] ?? 0) + 2);
  return { u, birthDate: (dates.year[1] ?? 0) < 100 ? undefined : { year: share('year'), month: share('month'), day: share('day') } };
}
