import { oneNameOnly } from './compare-names.ts';
import type { AddressOutcome } from './compare-addresses.ts';
import type { BirthDateOutcome } from './compare-birth-dates.ts';
import type { NamesOutcome } from './compare-names.ts';
import type { SubjectOutcome } from './compare-records.ts';
import { explainBirthDate, explainHousehold, explainIdentifier, explainMoved, explainName, explainPlace, explainSex, explainSwappedNames } from './explain-comparison.ts';
import { weightOf, type WeightTable } from './model.ts';
import type { NicknameTable } from './nicknames.ts';
import type { NormalisedText } from './normalise-address.ts';
import type { PreparedName } from './prepare-record.ts';
import type { Comparison, MatchField, MatchModel, ModelField, NameFrequencies } from './types.ts';

export interface WeighContext {
  readonly model: MatchModel;
  readonly weights: WeightTable;
  /** log2 of the prior odds of a match. */
  readonly priorWeight: number;
  readonly frequencies: NameFrequencies | undefined;
  readonly nicknames: NicknameTable;
  /** False when only the score is wanted (ranking hundreds of candidates): no words are built. */
  readonly explain: boolean;
}

/**
 * The comparisons so far, and for the household rule: log2 of how much likelier the evidence is
 * between two people of one household than between strangers, and which fields made it so.
 */
interface Tally {
  readonly comparisons: Comparison[];
  household: number;
  readonly householdFields: Set<string>;
}

/** Labels for the household explanation. */
const HOUSEHOLD_LABELS: Partial<Record<ModelField, string>> = {
  given_name: 'given name', family_name: 'family name', date_of_birth: 'date of birth', street_number: 'address', street: 'address',
  locality: 'address', suburb: 'address', postcode: 'address', state: 'address',
};

/**
 * Records a comparison. `u` is the chance agreement the weight used (a name's own frequency, for
 * an exact name), so the household rule can set it against the household's.
 */
function count(tally: Tally, context: WeighContext, modelField: ModelField | null, u: number | undefined, comparison: Comparison): void {
  tally.comparisons.push(comparison);
  const householdU = modelField === null ? undefined : context.model.household?.u[modelField]?.[comparison.level];
  if (householdU === undefined || u === undefined || comparison.level === 'missing') return;
  const ratio = Math.log2(householdU / u);
  tally.household += ratio;
  if (ratio > 1 && modelField !== null) tally.householdFields.add(HOUSEHOLD_LABELS[modelField] ?? modelField);
}

/**
 * Which fields to speak of: those the query gave; and, when two records are compared (a
 * duplicate pair), those either holds, since "not known on one side" is then worth saying.
 */
function worthSaying(query: unknown, candidate: unknown, bothRecords: boolean): boolean {
  return query !== null || (bothRecords && candidate !== null);
}

function uOf(context: WeighContext, field: ModelField, level: string): number | undefined {
  return context.model.fields[field][level]?.u;
}

/**
 * An exact name weighs log2(m / share of people with that name): "Zebedee" agreeing is far
 * stronger evidence than "Jack" agreeing. Without frequencies, the model's average u.
 */
function exactName(context: WeighContext, field: 'given_name' | 'family_name', lookup: 'given' | 'family', name: PreparedName): { weight: number; u: number | undefined } {
  const share = context.frequencies?.[lookup](name.compact);
  if (share === undefined) return { weight: context.weights[field]['exact'] ?? 0, u: uOf(context, field, 'exact') };
  const u = Math.max(share, context.model.minimumNameFrequency);
  return { weight: weightOf(context.model.fields[field]['exact']?.m ?? 1, u), u };
}

function fullName(name: { given: PreparedName | null; family: PreparedName | null }): string {
  return [name.given?.display, name.family?.display].filter((part) => part !== undefined).join(' ');
}

function weighName(tally: Tally, context: WeighContext, field: 'given_name' | 'family_name', level: string, query: PreparedName | null, candidate: PreparedName | null, swapped: boolean): void {
  const lookup = (field === 'given_name') === swapped ? 'family' : 'given';
  const { weight, u } = level === 'exact' && candidate !== null ? exactName(context, field, lookup, candidate) : { weight: context.weights[field][level] ?? 0, u: uOf(context, field, level) };
  const label = field === 'given_name' ? (swapped ? 'Given name (as family name)' : 'Given name') : swapped ? 'Family name (as given name)' : 'Family name';
  count(tally, context, field, u, { field, level, weight, explanation: context.explain ? explainName(label, level, query, candidate, context.nicknames) : '' });
}

function weighNames(names: NamesOutcome, context: WeighContext, bothRecords: boolean, tally: Tally): void {
  const { query, candidate, swapped } = names;
  const candidateGiven = swapped ? candidate.family : candidate.given;
  const candidateFamily = swapped ? candidate.given : candidate.family;
  if (worthSaying(query.given, candidateGiven, bothRecords)) weighName(tally, context, 'given_name', names.given, query.given, candidateGiven, swapped);
  if (worthSaying(query.family, candidateFamily, bothRecords)) weighName(tally, context, 'family_name', names.family, query.family, candidateFamily, swapped);
  if (swapped && !oneNameOnly(query)) {
    count(tally, context, null, undefined, { field: 'name', level: 'swapped', weight: context.weights.name_order['swapped'] ?? 0, explanation: context.explain ? explainSwappedNames(fullName(query), fullName(candidate)) : '' });
  }
}

function weighBirthDate(outcome: BirthDateOutcome, context: WeighContext): number {
  const { model, weights } = context;
  const exact = model.fields.date_of_birth['exact']?.m ?? 1;
  switch (outcome.level) {
    case 'partial': {
      // Only what was asked can agree: a year alone agrees by chance far more often than a full date.
      const query = outcome.query;
      if (query?.kind !== 'partial') return 0;
      const components = model.birthDateComponents;
      const u = (query.year === undefined ? 1 : components.year) * (query.month === undefined ? 1 : components.month) * (query.day === undefined ? 1 : components.day);
      return weightOf(exact, u);
    }
    case 'age_range': {
      const query = outcome.query;
      if (query?.kind !== 'age') return 0;
      const years = query.to - query.from + 1;
      const m = 1 - (model.fields.date_of_birth['near_year']?.m ?? 0) - (model.fields.date_of_birth['disagree']?.m ?? 0);
      return Math.max(0, weightOf(m, Math.min(1, years / model.birthYearSpan)));
    }
    case 'near_age_range':
      return weights.date_of_birth['near_year'] ?? 0;
    default:
      return weights.date_of_birth[outcome.level] ?? 0;
  }
}

type AddressPiece = readonly [ModelField, MatchField, string, string, NormalisedText | null, NormalisedText | null, boolean];

function weighAddress(address: AddressOutcome, context: WeighContext, bothRecords: boolean, tally: Tally): void {
  const { weights, explain } = context;
  const { query, candidate, linesCrossed } = address;
  const candidateStreet = linesCrossed ? candidate.locality : candidate.street;
  const candidateLocality = linesCrossed ? candidate.street : candidate.locality;
  const pieces: readonly AddressPiece[] = [
    ['street_number', 'address', 'Street number', address.streetNumber, query.streetNumber, candidate.streetNumber, false],
    ['street', 'address', 'Street', address.street, query.street, candidateStreet, linesCrossed],
    ['locality', 'address', 'Address line', address.locality, query.locality, candidateLocality, linesCrossed],
    ['suburb', 'suburb', 'Suburb', address.suburb, query.suburb, candidate.suburb, false],
    ['postcode', 'postcode', 'Postcode', address.postcode, query.postcode, candidate.postcode, false],
    ['state', 'address', 'State', address.state, query.state, candidate.state, false],
  ];
  let total = 0;
  for (const [modelField, field, label, level, a, b, crossed] of pieces) {
    if (!worthSaying(a, b, bothRecords)) continue;
    const weight = weights[modelField][level] ?? 0;
    total += weight;
    count(tally, context, modelField, uOf(context, modelField, level), { field, level, weight, explanation: explain ? explainPlace(label, level, a, b, crossed) : '' });
  }
  // A different address is weak evidence against: people move, and an address that disagrees in
  // every piece is what moving looks like.
  const floor = Math.log2(context.model.movedProbability);
  if (total < floor) count(tally, context, null, undefined, { field: 'address', level: 'moved', weight: floor - total, explanation: explain ? explainMoved(floor) : '' });
}

/**
 * The household rule. Fellegi-Sunter takes fields as independent among non-matches, but two
 * different people of one family (brothers and sisters, twins, a parent and child) agree on
 * family name and address together, and twins on date of birth too. So the evidence is weighed
 * against a second explanation, "another member of the same household", as well as "a stranger":
 * posterior odds = P(match) P(x|match) / (P(stranger) P(x|stranger) + P(household) P(x|household)).
 * The difference from the usual sum is one more comparison, never positive.
 */
function weighHousehold(tally: Tally, context: WeighContext): void {
  const household = context.model.household;
  if (household === undefined) return;
  const exponent = Math.log2(household.share) + context.priorWeight + tally.household;
  // log2(1 + 2^x), without overflow for large x.
  const weight = -(exponent > 30 ? exponent : Math.log2(1 + 2 ** exponent));
  if (weight > -0.01) return;
  tally.comparisons.push({ field: 'address', level: 'household', weight, explanation: context.explain ? explainHousehold([...tally.householdFields]) : '' });
}

/** Each field's weight and words. */
export function weighOutcome(outcome: SubjectOutcome, context: WeighContext): Comparison[] {
  const tally: Tally = { comparisons: [], household: 0, householdFields: new Set() };
  const { bothRecords, birthDate, sex, identifier } = outcome;
  if (outcome.names !== null) weighNames(outcome.names, context, bothRecords, tally);
  if (worthSaying(birthDate.query, birthDate.candidate, bothRecords)) {
    const level = birthDate.level;
    count(tally, context, 'date_of_birth', uOf(context, 'date_of_birth', level), { field: 'date_of_birth', level, weight: weighBirthDate(birthDate, context), explanation: context.explain ? explainBirthDate(level, birthDate.query, birthDate.candidate) : '' });
  }
  if (worthSaying(sex.query, sex.candidate, bothRecords)) {
    count(tally, context, 'sex', uOf(context, 'sex', sex.level), { field: 'sex', level: sex.level, weight: context.weights.sex[sex.level] ?? 0, explanation: context.explain ? explainSex(sex.level, sex.query, sex.candidate) : '' });
  }
  if (outcome.address !== null) weighAddress(outcome.address, context, bothRecords, tally);
  if (identifier.query !== null) {
    const candidate = identifier.level === 'missing' ? null : (identifier.candidate?.display ?? null);
    count(tally, context, 'identifier', uOf(context, 'identifier', identifier.level), { field: 'identifier', level: identifier.level, weight: context.weights.identifier[identifier.level] ?? 0, explanation: context.explain ? explainIdentifier(identifier.level, identifier.query.type, identifier.query.display, candidate) : '' });
  }
  weighHousehold(tally, context);
  return tally.comparisons;
}
