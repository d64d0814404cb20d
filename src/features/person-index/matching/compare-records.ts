import { compareAddresses, type AddressOutcome } from './compare-addresses.ts';
import { compareBirthDateQuery, type BirthDateOutcome } from './compare-birth-dates.ts';
import { compareNames, type NamesOutcome } from './compare-names.ts';
import { editDistance } from './edit-distance.ts';
import type { FieldLevel, WeightTable } from './model.ts';
import type { NicknameTable } from './nicknames.ts';
import type { PreparedIdentifier, PreparedSubject } from './prepare-record.ts';
import type { ModelField } from './types.ts';

export interface IdentifierOutcome {
  readonly level: FieldLevel<'identifier'>;
  readonly query: PreparedIdentifier | null;
  readonly candidate: PreparedIdentifier | null;
}

/** How every field of a query (or record) compared with a candidate: levels, and what was compared. */
export interface SubjectOutcome {
  /** Two records (a duplicate pair) rather than a query and a record. */
  readonly bothRecords: boolean;
  readonly names: NamesOutcome | null;
  readonly birthDate: BirthDateOutcome;
  readonly sex: { readonly level: FieldLevel<'sex'>; readonly query: 'female' | 'male' | null; readonly candidate: 'female' | 'male' | null };
  readonly address: AddressOutcome | null;
  readonly identifier: IdentifierOutcome;
}

/**
 * Identifiers count only between the same kind (a Medicare number says nothing about an NHS
 * number). A one-character slip is its own level: hand-keyed numbers slip like names do.
 */
export function compareIdentifiers(query: readonly PreparedIdentifier[], candidate: readonly PreparedIdentifier[]): IdentifierOutcome {
  let found: IdentifierOutcome = { level: 'missing', query: query[0] ?? null, candidate: candidate[0] ?? null };
  for (const a of query) {
    for (const b of candidate) {
      if (a.type !== b.type) continue;
      if (a.value === b.value) return { level: 'exact', query: a, candidate: b };
      if (found.level !== 'typo') {
        found = { level: editDistance(a.value, b.value, 1) <= 1 ? 'typo' : 'disagree', query: a, candidate: b };
      }
    }
  }
  return found;
}

export interface CompareContext {
  /** Chooses between name orientations and address-line orders: the reading that weighs most. */
  readonly weights: WeightTable;
  readonly nicknames: NicknameTable;
}

export function compareSubjects(query: PreparedSubject, candidate: PreparedSubject, context: CompareContext): SubjectOutcome {
  return {
    bothRecords: query.id !== null,
    names: compareNames(query.names, candidate.names, context.weights, context.nicknames),
    birthDate: compareBirthDateQuery(query.birthDate, candidate.birthDate),
    sex: { level: query.sex === null || candidate.sex === null ? 'missing' : query.sex === candidate.sex ? 'exact' : 'disagree', query: query.sex, candidate: candidate.sex },
    address: compareAddresses(query.addresses, candidate.addresses, context.weights)?.outcome ?? null,
    identifier: compareIdentifiers(query.identifiers, candidate.identifiers),
  };
}

/** The comparison vector that model estimation counts: one level per field ('missing' when absent). */
export function levelsOf(outcome: SubjectOutcome): Record<ModelField, string> {
  const { names, address } = outcome;
  return {
    given_name: names?.given ?? 'missing',
    family_name: names?.family ?? 'missing',
    name_order: names === null || (names.given === 'missing' && names.family === 'missing') ? 'missing' : names.swapped ? 'swapped' : 'straight',
    date_of_birth: outcome.birthDate.level,
    sex: outcome.sex.level,
    street_number: address?.streetNumber ?? 'missing',
    street: address?.street ?? 'missing',
    locality: address?.locality ?? 'missing',
    suburb: address?.suburb ?? 'missing',
    postcode: address?.postcode ?? 'missing',
    state: address?.state ?? 'missing',
    identifier: outcome.identifier.level,
  };
}
