/** Pairwise precision, recall and F1 against the known true matches. */
export interface Scores {
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export function scoresOf(truePositives: number, falsePositives: number, trueMatches: number): Scores {
  const falseNegatives = trueMatches - truePositives;
  const precision = truePositives + falsePositives === 0 ? 1 : truePositives / (truePositives + falsePositives);
  const recall = trueMatches === 0 ? 1 : truePositives / trueMatches;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { truePositives, falsePositives, falseNegatives, precision, recall, f1 };
}

/** Pairs of people in one list (deduplication): every pair within a person's cluster. */
export function countTrueMatchesWithin(people: readonly string[]): number {
  const sizes = new Map<string, number>();
  for (const person of people) sizes.set(person, (sizes.get(person) ?? 0) + 1);
  let pairs = 0;
  for (const size of sizes.values()) pairs += (size * (size - 1)) / 2;
  return pairs;
}

/** Pairs across two lists (linkage): every pair of records, one from each list, of the same person. */
export function countTrueMatchesAcross(left: readonly string[], right: readonly string[]): number {
  const sizes = new Map<string, number>();
  for (const person of right) sizes.set(person, (sizes.get(person) ?? 0) + 1);
  return left.reduce((pairs, person) => pairs + (sizes.get(person) ?? 0), 0);
}

export interface ScoredPair {
  readonly left: number;
  readonly right: number;
  readonly probability: number;
  readonly weight: number;
}

/**
 * One-to-one assignment for linking two lists that each hold a person at most once: best pairs
 * first, each record used once. Greedy on the score, which is optimal when matches are clear.
 */
export function assignOneToOne(pairs: readonly ScoredPair[], threshold: number): ScoredPair[] {
  const usedLeft = new Set<number>();
  const usedRight = new Set<number>();
  const chosen: ScoredPair[] = [];
  for (const pair of [...pairs].filter((candidate) => candidate.probability >= threshold).sort((a, b) => b.weight - a.weight)) {
    if (usedLeft.has(pair.left) || usedRight.has(pair.right)) continue;
    usedLeft.add(pair.left);
    usedRight.add(pair.right);
    chosen.push(pair);
  }
  return chosen;
}
