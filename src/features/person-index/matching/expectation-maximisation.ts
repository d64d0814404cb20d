import { emptyTable, FIELD_COUNT, MISSING, normaliseRow, type LevelTable } from './comparison-vectors.ts';

/**
 * Fellegi-Sunter parameters by expectation maximisation over candidate pairs (Winkler 1988), with
 * a third class for two different people of one household (after Larsen and Rubin 2001): each
 * pair is a mixture of match (m), household (u fixed from the starting model) and stranger (u
 * learned). EM alternates between each pair's chance of each class and the parameters those
 * chances imply, until nothing changes. A file without households (FEBRL) learns a household
 * share near zero; a family register learns how many of its look-alike pairs are siblings.
 */
export interface EmResult {
  readonly m: LevelTable;
  /** The candidates' own stranger u: not the population's, since candidates were chosen for agreeing on something. */
  readonly u: LevelTable;
  /** The share of candidates that match. */
  readonly lambda: number;
  /** The share of candidates that are two people of one household. */
  readonly householdLambda: number;
  /** Each candidate's chance of being a match, under the final parameters. */
  readonly chance: Float64Array;
  readonly iterations: number;
}

/**
 * Household u per field and level, undefined where a household is no different from strangers
 * (an identifier: two people of one family do not share one).
 */
export type HouseholdTable = readonly (readonly (number | undefined)[])[];

interface Classes {
  readonly m: LevelTable;
  readonly u: LevelTable;
  readonly household: HouseholdTable | undefined;
  readonly lambda: number;
  readonly householdLambda: number;
}

/** Each pair's chance of being a match (`match`) and of being two people of one household (`household`). */
function responsibilities(vectors: Uint8Array, count: number, classes: Classes, match: Float64Array, household: Float64Array): void {
  const { m, u } = classes;
  const logMatch = m.map((row, f) => row.map((value, l) => Math.log2(value / (u[f]?.[l] ?? 1))));
  const logHousehold = u.map((row, f) => row.map((value, l) => {
    const householdU = classes.household?.[f]?.[l];
    return householdU === undefined ? 0 : Math.log2(householdU / value);
  }));
  const priorMatch = Math.log2(classes.lambda);
  const priorHousehold = classes.householdLambda > 0 ? Math.log2(classes.householdLambda) : Number.NEGATIVE_INFINITY;
  const priorStranger = Math.log2(Math.max(1e-12, 1 - classes.lambda - classes.householdLambda));
  for (let pair = 0; pair < count; pair++) {
    let a = priorMatch;
    let h = priorHousehold;
    for (let f = 0; f < FIELD_COUNT; f++) {
      const level = vectors[pair * FIELD_COUNT + f] ?? MISSING;
      if (level === MISSING) continue;
      a += logMatch[f]?.[level] ?? 0;
      h += logHousehold[f]?.[level] ?? 0;
    }
    const top = Math.max(a, h, priorStranger);
    const pa = 2 ** (a - top);
    const ph = 2 ** (h - top);
    const total = pa + ph + 2 ** (priorStranger - top);
    match[pair] = pa / total;
    household[pair] = ph / total;
  }
}

/** The level shares among all candidates: where stranger u starts, since most candidates do not match. */
function levelShares(vectors: Uint8Array, count: number): LevelTable {
  const counts = emptyTable().map((row) => row.map(() => 1));
  for (let pair = 0; pair < count; pair++) {
    for (let f = 0; f < FIELD_COUNT; f++) {
      const level = vectors[pair * FIELD_COUNT + f] ?? MISSING;
      const row = counts[f];
      if (level !== MISSING && row !== undefined) row[level] = (row[level] ?? 0) + 1;
    }
  }
  return counts.map(normaliseRow);
}

/**
 * `priorM` is both the starting point and a prior: `priorPairs` pseudo-pairs behind each field's
 * m (maximum a posteriori), so a level the data never shows keeps the starting model's value.
 * Without `household`, the usual two classes.
 */
export function learnByEm(vectors: Uint8Array, count: number, priorM: LevelTable, priorPairs: number, maxIterations: number, household?: HouseholdTable): EmResult {
  let classes: Classes = { m: priorM.map((row) => [...row]), u: levelShares(vectors, count), household, lambda: 0.1, householdLambda: household === undefined ? 0 : 0.05 };
  const match = new Float64Array(count);
  const inHousehold = new Float64Array(count);
  let iterations = 0;
  while (iterations < maxIterations) {
    iterations++;
    responsibilities(vectors, count, classes, match, inHousehold);
    const matchCounts = priorM.map((row) => row.map((value) => value * priorPairs));
    const strangerCounts = classes.u.map((row) => row.map(() => 1));
    let expectedMatches = 0;
    let expectedHouseholds = 0;
    for (let pair = 0; pair < count; pair++) {
      const p = match[pair] ?? 0;
      const h = inHousehold[pair] ?? 0;
      expectedMatches += p;
      expectedHouseholds += h;
      for (let f = 0; f < FIELD_COUNT; f++) {
        const level = vectors[pair * FIELD_COUNT + f] ?? MISSING;
        if (level === MISSING) continue;
        const matchRow = matchCounts[f];
        const strangerRow = strangerCounts[f];
        if (matchRow !== undefined) matchRow[level] = (matchRow[level] ?? 0) + p;
        // Where a household is like strangers, its pairs teach the stranger u too.
        const shared = classes.household?.[f]?.[level] === undefined ? h : 0;
        if (strangerRow !== undefined) strangerRow[level] = (strangerRow[level] ?? 0) + 1 - p - h + shared;
      }
    }
    const next: Classes = {
      m: matchCounts.map(normaliseRow),
      u: strangerCounts.map(normaliseRow),
      household,
      lambda: Math.min(0.999, Math.max(1e-6, expectedMatches / Math.max(1, count))),
      householdLambda: household === undefined ? 0 : Math.min(0.5, expectedHouseholds / Math.max(1, count)),
    };
    const change = Math.max(Math.abs(next.lambda - classes.lambda), Math.abs(next.householdLambda - classes.householdLambda), ...next.m.flatMap((row, f) => row.map((value, l) => Math.abs(value - (classes.m[f]?.[l] ?? 0)))));
    classes = next;
    if (change < 1e-6) break;
  }
  responsibilities(vectors, count, classes, match, inHousehold);
  return { m: classes.m, u: classes.u, lambda: classes.lambda, householdLambda: classes.householdLambda, chance: match, iterations };
}
