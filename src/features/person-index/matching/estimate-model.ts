import { keysForSubject } from './blocking-keys.ts';
import { findCandidatePairs } from './candidate-pairs.ts';
import { measureChanceAgreement } from './chance-agreement.ts';
import type { CompareContext } from './compare-records.ts';
import { FIELD_COUNT, normaliseRow, tableOf, writeVector } from './comparison-vectors.ts';
import { DEFAULT_MODEL } from './default-model.ts';
import { learnByEm } from './expectation-maximisation.ts';
import { FIELD_LEVELS, MODEL_FIELDS, weightTableOf } from './model.ts';
import { countNameFrequencies } from './name-frequencies.ts';
import { createNicknameTable } from './nicknames.ts';
import { prepareSubject, type PreparedSubject } from './prepare-record.ts';
import type { LevelProbabilities, MatchModel, MatchRecord, ModelField, NameFrequencies } from './types.ts';

/**
 * Learning a model from an organisation's own records, without anyone labelling a pair: the
 * Fellegi-Sunter parameters by expectation maximisation, as Splink and the census bureaux do.
 *
 * 1. Candidate pairs: every pair sharing a blocking key.
 * 2. m by EM over the candidate pairs: a mixture of matches (m) and non-matches (the candidates'
 *    own u, which is not the population's: candidates were chosen for agreeing on something).
 *    The starting model is also a prior (a few pseudo-pairs per level), so a level the data never
 *    shows, such as a nickname in a file without nicknames, keeps a sensible weight.
 * 3. u from random pairs of records, each counted as a non-match by the chance EM gives it of not
 *    being a match (so the duplicates in the file do not make identifiers look shared by chance).
 * 4. The prior: the matches EM expects among the candidates, over all possible pairs.
 *
 * EM has a third class, two different people of one household (see expectation-maximisation.ts),
 * when the starting model describes households: it learns how many look-alike pairs are family.
 */
export interface EstimateOptions {
  /** The records to learn from (deduplication), or the first of two lists to link. */
  readonly records: readonly MatchRecord[];
  /** The second list, when learning to link two lists rather than deduplicate one. */
  readonly linkTo?: readonly MatchRecord[];
  /** The starting point and prior; the default model unless given. Thresholds and the moved share come from it. */
  readonly startFrom?: MatchModel;
  /** Random pairs drawn to measure u (default 500,000). */
  readonly randomPairs?: number;
  /** Skip blocking keys held by more records than this while learning (default 500). */
  readonly maxBlockSize?: number;
  readonly maxIterations?: number;
  /** Seeds the random pairs, so the same records always give the same model. */
  readonly seed?: number;
}

export interface EstimatedModel {
  readonly model: MatchModel;
  /** Name frequencies counted over the records, for `createMatcher`. */
  readonly frequencies: NameFrequencies;
  readonly candidatePairs: number;
  readonly iterations: number;
  readonly expectedMatches: number;
}

/** Pseudo-pairs of the starting model behind each field's m: enough to hold a level the data never shows. */
const PRIOR_PAIRS = 10;

export function estimateModel(options: EstimateOptions): EstimatedModel {
  const start = options.startFrom ?? DEFAULT_MODEL;
  const nicknames = createNicknameTable();
  // Names read swapped, and address lines crossed, when the starting model says that fits better.
  const context: CompareContext = { weights: weightTableOf(start), nicknames };
  const linking = options.linkTo !== undefined;
  const left: PreparedSubject[] = options.records.map((record) => prepareSubject(record, nicknames));
  const right: PreparedSubject[] = options.linkTo === undefined ? left : options.linkTo.map((record) => prepareSubject(record, nicknames));

  // 1. Candidate pairs and their comparison vectors.
  const pairs = findCandidatePairs(left.map(keysForSubject), linking ? right.map(keysForSubject) : undefined, options.maxBlockSize ?? 500);
  const vectors = new Uint8Array(pairs.count * FIELD_COUNT);
  for (let pair = 0; pair < pairs.count; pair++) {
    const a = left[pairs.left[pair] ?? 0];
    const b = right[pairs.right[pair] ?? 0];
    if (a !== undefined && b !== undefined) writeVector(a, b, context, vectors, pair * FIELD_COUNT);
  }

  // 2. m by EM over the candidates; and, when the starting model knows households, their share.
  const household = start.household === undefined ? undefined : MODEL_FIELDS.map((field) => FIELD_LEVELS[field].map((level) => start.household?.u[field]?.[level]));
  const em = learnByEm(vectors, pairs.count, tableOf(start, (p) => p.m).map(normaliseRow), PRIOR_PAIRS, options.maxIterations ?? 100, household);
  const expectedMatches = em.chance.reduce((sum, p) => sum + p, 0);

  // 3. u from random pairs.
  const matchChance = new Map<number, number>();
  for (let pair = 0; pair < pairs.count; pair++) matchChance.set((pairs.left[pair] ?? 0) * right.length + (pairs.right[pair] ?? 0), em.chance[pair] ?? 0);
  const chance = measureChanceAgreement({ left, right, linking, context, matchChance, draws: options.randomPairs ?? 500_000, seed: options.seed ?? 1 });

  const fields = {} as Record<ModelField, Record<string, LevelProbabilities>>;
  MODEL_FIELDS.forEach((field, f) => {
    const levels: Record<string, LevelProbabilities> = {};
    FIELD_LEVELS[field].forEach((level, l) => {
      // Name order is a way of writing, not a coincidence between two people: its u stays 1.
      levels[level] = { m: em.m[f]?.[l] ?? 0, u: field === 'name_order' ? 1 : (chance.u[f]?.[l] ?? 1) };
    });
    fields[field] = levels;
  });
  // 4. The prior: the matches expected among the candidates, over every possible pair.
  const allPairs = linking ? left.length * right.length : (left.length * (left.length - 1)) / 2;
  const birthDate = chance.birthDate ?? start.birthDateComponents;
  const model: MatchModel = {
    ...start,
    description: `Learned by expectation maximisation from ${left.length}${linking ? ` + ${right.length}` : ''} records (${pairs.count} candidate pairs, ${em.iterations} iterations)`,
    priorMatchProbability: Math.min(0.5, Math.max(1e-12, expectedMatches / Math.max(1, allPairs))),
    fields,
    birthDateComponents: birthDate,
    birthYearSpan: Math.round(1 / birthDate.year),
    // Household pairs per matching pair among the candidates, where nearly all such pairs are.
    ...(start.household === undefined ? {} : { household: { ...start.household, share: em.householdLambda / em.lambda } }),
  };
  const everyone = linking ? [...options.records, ...(options.linkTo ?? [])] : options.records;
  return { model, frequencies: countNameFrequencies(everyone), candidatePairs: pairs.count, iterations: em.iterations, expectedMatches };
}
