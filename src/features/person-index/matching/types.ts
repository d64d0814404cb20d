/**
 * The contract between the person matcher (pure: no database, no I/O) and the rest of Hearth:
 * the person index stores each person's blocking keys and matching fields; a search turns a query
 * into keys, fetches the candidates sharing any key, and scores each with `compare`.
 */

/** One name a person is known by. The first of a record's names is their primary name. */
export interface MatchName {
  readonly given: string;
  readonly family: string;
}

export interface MatchAddress {
  readonly streetNumber: string | null;
  /** Street name and type, e.g. "wallaby place". */
  readonly street: string | null;
  /** A second address line: a building, a property or locality name. */
  readonly locality: string | null;
  readonly suburb: string | null;
  readonly postcode: string | null;
  readonly state: string | null;
}

/** A person as the matcher sees them. Raw text: the matcher normalises it. */
export interface MatchRecord {
  readonly id: string;
  readonly names: readonly MatchName[];
  /** 'YYYY-MM-DD' or null. */
  readonly dateOfBirth: string | null;
  readonly sex: 'female' | 'male' | null;
  /** Current address first, then previous ones. */
  readonly addresses: readonly MatchAddress[];
  /** 'type:value', e.g. 'medicare:2123456701'; the value normalised as stored. */
  readonly identifiers: readonly string[];
}

export type DateOfBirthQuery =
  | { readonly kind: 'exact'; readonly date: string }
  | { readonly kind: 'partial'; readonly year?: number; readonly month?: number; readonly day?: number }
  | { readonly kind: 'age'; readonly from: number; readonly to: number; readonly today: string };

/** What someone searching knows: any of these may be missing. */
export interface MatchQuery {
  readonly given?: string;
  readonly family?: string;
  readonly dateOfBirth?: DateOfBirthQuery;
  readonly sex?: 'female' | 'male';
  readonly address?: Partial<MatchAddress>;
  readonly identifier?: string;
}

export type MatchField = 'name' | 'given_name' | 'family_name' | 'date_of_birth' | 'sex' | 'address' | 'suburb' | 'postcode' | 'identifier';

/** How one field compared, in words a worker reads, and how much it counted. */
export interface Comparison {
  readonly field: MatchField;
  /** A stable level name: 'exact', 'nickname', 'phonetic', 'typo', 'swapped', 'partial', 'disagree', 'missing' ... */
  readonly level: string;
  /** log2(m/u): positive for agreement evidence, negative for disagreement, 0 when missing. */
  readonly weight: number;
  /** e.g. 'Given name: "Kate" is a short form of "Catherine"'. */
  readonly explanation: string;
}

export type MatchDecision = 'match' | 'possible' | 'non-match';

export interface MatchResult {
  /** The total weight: the sum of the comparisons' weights. */
  readonly weight: number;
  /** The posterior probability that both describe the same person, given the model's prior. */
  readonly probability: number;
  readonly decision: MatchDecision;
  readonly comparisons: readonly Comparison[];
}

/** How often each normalised name occurs among the people being searched: rare names count for more. */
export interface NameFrequencies {
  /** The share (0..1) of people with this normalised given name; undefined when unknown. */
  given(name: string): number | undefined;
  family(name: string): number | undefined;
}

export interface Matcher {
  /** The keys to store for a person: any person sharing a key with a query is a candidate. */
  keysForRecord(record: MatchRecord): string[];
  /** The keys to look up for a query (tolerant of typos, nicknames, swapped names and dates). */
  keysForQuery(query: MatchQuery): string[];
  /** Compares a query (or another record) with a candidate record. */
  compare(query: MatchQuery | MatchRecord, candidate: MatchRecord): MatchResult;
}

// ---------------------------------------------------------------------------------------------
// Additions (the matcher's side of the contract; nothing above changed).

/** The Fellegi-Sunter fields the model weighs. `name_order` is the evidence "given and family swapped". */
export type ModelField =
  | 'given_name'
  | 'family_name'
  | 'name_order'
  | 'date_of_birth'
  | 'sex'
  | 'street_number'
  | 'street'
  | 'locality'
  | 'suburb'
  | 'postcode'
  | 'state'
  | 'identifier';

/**
 * For one comparison level: m, the chance that two records of the same person compare at this
 * level, and u, the chance that two records of different people do. Its weight is log2(m/u).
 */
export interface LevelProbabilities {
  readonly m: number;
  readonly u: number;
}

/** A Fellegi-Sunter model: parameters as data, learned by `estimateModel` or the default model. */
export interface MatchModel {
  /** Where the parameters came from, in words. */
  readonly description: string;
  /** The chance that two records picked at random describe the same person: the prior. */
  readonly priorMatchProbability: number;
  /** Posterior probabilities at or above which a pair is a 'match', or a 'possible' match. */
  readonly thresholds: { readonly match: number; readonly possible: number };
  /** Per field, per level name (see FIELD_LEVELS in model.ts): m and u. 'missing' always weighs 0. */
  readonly fields: { readonly [F in ModelField]: Readonly<Record<string, LevelProbabilities>> };
  /** u for partial dates of birth: the chance two different people share the birth year, month, day. */
  readonly birthDateComponents: { readonly year: number; readonly month: number; readonly day: number };
  /** The span of birth years in the population, in years: an age range of k years agrees by chance about k/span of the time. */
  readonly birthYearSpan: number;
  /**
   * The chance that the same person is recorded at an entirely different address (they moved):
   * an address that disagrees in every piece counts no more against a match than log2 of this.
   */
  readonly movedProbability: number;
  /** The smallest share used for a name's frequency, so one rare name cannot outweigh everything else. */
  readonly minimumNameFrequency: number;
  /** Weighs the evidence against "another member of the same household" too; absent, strangers only. */
  readonly household?: HouseholdModel;
}

/**
 * Two different people who live together (brothers and sisters, twins, a parent and child) agree
 * on family name and address, and twins on date of birth, far more often than strangers do.
 */
export interface HouseholdModel {
  /**
   * Pairs of different people of one household per matching pair. For a search (one person
   * sought), about how many people a person lives with; `estimateModel` learns it for a register.
   */
  readonly share: number;
  /** u between two different people of one household, per field and level; a field left out is as between strangers. */
  readonly u: { readonly [F in ModelField]?: Readonly<Record<string, number>> };
}

declare const preparedBrand: unique symbol;

/**
 * A record or query normalised once (names folded, phonetic codes, dates parsed), so that
 * comparing it with hundreds of candidates repeats none of that work. Opaque: make one with
 * `PreparingMatcher.prepare`.
 */
export interface PreparedRecord {
  readonly [preparedBrand]: true;
  /** The record's id; null for a query. */
  readonly id: string | null;
}

/** The Matcher that `createMatcher` returns: also compares prepared records, the fast path. */
export interface PreparingMatcher extends Matcher {
  readonly model: MatchModel;
  prepare(subject: MatchQuery | MatchRecord): PreparedRecord;
  comparePrepared(query: PreparedRecord, candidate: PreparedRecord): MatchResult;
  /**
   * The same result without the words (every explanation is ''): for ranking many candidates,
   * then `comparePrepared` for the few shown. About 4 µs against 5 µs a candidate.
   */
  scorePrepared(query: PreparedRecord, candidate: PreparedRecord): MatchResult;
  keysForPrepared(subject: PreparedRecord): string[];
}
