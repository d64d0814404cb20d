import { editDistance } from './edit-distance.ts';
import { jaroWinklerAtLeast } from './jaro-winkler.ts';
import type { FieldLevel, WeightTable } from './model.ts';
import type { NicknameTable } from './nicknames.ts';
import { soundAlike } from './phonetic-code.ts';
import type { PreparedName, PreparedNames } from './prepare-record.ts';

export type GivenNameLevel = FieldLevel<'given_name'>;
export type FamilyNameLevel = FieldLevel<'family_name'>;

/** Jaro-Winkler at or above this is a slip of the keyboard ("Catherina"/"Catherine"). */
export const TYPO_SIMILARITY = 0.92;
/** At or above this the names are alike but could as well be two different names. */
export const SIMILAR_SIMILARITY = 0.8;

function sameSpelling(a: PreparedName, b: PreparedName): boolean {
  return a.compact === b.compact || (a.alternative !== undefined && a.alternative === b.compact) || (b.alternative !== undefined && (b.alternative === a.compact || b.alternative === a.alternative));
}

/** One name is a part of the other: "Smith" of "Smith-Jones", "Mary" of "Mary Jane". */
function isPartOf(a: PreparedName, b: PreparedName): boolean {
  if (a.parts.length > 1 && a.parts.includes(b.compact)) return true;
  return b.parts.length > 1 && b.parts.includes(a.compact);
}

/**
 * The levels that come down to spelling alone, in the order a worker would name them: as close
 * as a slip by Jaro-Winkler ("Catherina"), the same sound ("Smyth"), one slip on a name of four
 * or more letters ("Jonse"), or merely alike.
 */
function compareSpelling(a: PreparedName, b: PreparedName): 'typo' | 'phonetic' | 'similar' | 'disagree' {
  const similarity = jaroWinklerAtLeast(a.compact, b.compact, SIMILAR_SIMILARITY);
  if (similarity >= TYPO_SIMILARITY) return 'typo';
  if (soundAlike(a.codes, b.codes)) return 'phonetic';
  if (Math.min(a.compact.length, b.compact.length) >= 4 && editDistance(a.compact, b.compact, 1) <= 1) return 'typo';
  return similarity >= SIMILAR_SIMILARITY ? 'similar' : 'disagree';
}

export function compareGivenNames(a: PreparedName | null, b: PreparedName | null, nicknames: NicknameTable): GivenNameLevel {
  if (a === null || b === null) return 'missing';
  if (sameSpelling(a, b)) return 'exact';
  if (a.isInitial || b.isInitial) return a.compact[0] === b.compact[0] ? 'initial' : 'disagree';
  const firstA = a.parts[0] ?? a.compact;
  const firstB = b.parts[0] ?? b.compact;
  if (nicknames.areNicknames(a.compact, b.compact) || nicknames.areNicknames(firstA, firstB)) return 'nickname';
  if (isPartOf(a, b)) return 'part';
  return compareSpelling(a, b);
}

export function compareFamilyNames(a: PreparedName | null, b: PreparedName | null): FamilyNameLevel {
  if (a === null || b === null) return 'missing';
  if (sameSpelling(a, b)) return 'exact';
  if (isPartOf(a, b)) return 'part';
  return compareSpelling(a, b);
}

export interface NamesOutcome {
  readonly given: GivenNameLevel;
  readonly family: FamilyNameLevel;
  /** The query's given name was compared with the candidate's family name, and the other way round. */
  readonly swapped: boolean;
  readonly query: PreparedNames;
  readonly candidate: PreparedNames;
}

/** Only one of the two names is known. */
export function oneNameOnly(names: PreparedNames): boolean {
  return (names.given === null) !== (names.family === null);
}

function compareNamePair(query: PreparedNames, candidate: PreparedNames, weights: WeightTable, nicknames: NicknameTable): { outcome: NamesOutcome; weight: number } {
  const given = compareGivenNames(query.given, candidate.given, nicknames);
  const family = compareFamilyNames(query.family, candidate.family);
  const straight = (weights.given_name[given] ?? 0) + (weights.family_name[family] ?? 0) + (weights.name_order['straight'] ?? 0);
  // Swapped: the query's given name is the candidate's family name and the other way round.
  // Not worth trying when both names already agree as well as names can.
  if (!(given === 'exact' && family === 'exact')) {
    const swappedGiven = compareGivenNames(query.given, candidate.family, nicknames);
    const swappedFamily = compareFamilyNames(query.family, candidate.given);
    // A query with one name alone ("Mia" in a single search box) says nothing about its role:
    // reading it as the other name is no swap, and costs nothing.
    const order = oneNameOnly(query) ? 'straight' : 'swapped';
    const swapped = (weights.given_name[swappedGiven] ?? 0) + (weights.family_name[swappedFamily] ?? 0) + (weights.name_order[order] ?? 0);
    if (swapped > straight) return { outcome: { given: swappedGiven, family: swappedFamily, swapped: true, query, candidate }, weight: swapped };
  }
  return { outcome: { given, family, swapped: false, query, candidate }, weight: straight };
}

/**
 * Compares every name the query goes by with every name the candidate goes by (a child known by
 * a previous family name, say) and keeps the pair and orientation that weigh most.
 */
export function compareNames(query: readonly PreparedNames[], candidate: readonly PreparedNames[], weights: WeightTable, nicknames: NicknameTable): NamesOutcome | null {
  let best: { outcome: NamesOutcome; weight: number } | null = null;
  for (const queryName of query) {
    for (const candidateName of candidate) {
      const compared = compareNamePair(queryName, candidateName, weights, nicknames);
      if (best === null || compared.weight > best.weight) best = compared;
    }
  }
  return best === null ? null : best.outcome;
}
