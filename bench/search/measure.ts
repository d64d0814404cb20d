/** Timing and the figures made of it: percentiles (nearest rank) and recall. */

export interface Latency {
  readonly queries: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

export function latencyOf(milliseconds: readonly number[]): Latency {
  const sorted = [...milliseconds].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, ms) => sum + ms, 0) / Math.max(1, sorted.length);
  return {
    queries: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? Number.NaN),
    mean: round(mean),
  };
}

export interface Recall {
  readonly at1: number;
  readonly at10: number;
}

export function recallOf(ranks: readonly (number | null)[]): Recall {
  const n = Math.max(1, ranks.length);
  const within = (k: number) => ranks.filter((rank) => rank !== null && rank < k).length / n;
  return { at1: Math.round(within(1) * 10_000) / 10_000, at10: Math.round(within(10) * 10_000) / 10_000 };
}

/** The rank (0 = first) of the first result that is the person, or null when none is. */
export function rankOf(externalIds: readonly (string | null)[], truth: ReadonlySet<string>): number | null {
  const index = externalIds.findIndex((id) => id !== null && truth.has(id));
  return index < 0 ? null : index;
}

export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}
