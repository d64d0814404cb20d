import { normaliseName } from './normalise-name.ts';
import type { MatchQuery, MatchRecord, NameFrequencies } from './types.ts';

/** The form of a name that frequencies are counted and looked up by: folded, without spaces. */
export function nameFrequencyKey(raw: string): string | undefined {
  return normaliseName(raw)?.compact;
}

/** Names in the form NameFrequencies is asked about them. */
export interface NameTerms {
  readonly given: readonly string[];
  readonly family: readonly string[];
}

function distinct(names: readonly (string | undefined)[]): string[] {
  return [...new Set(names.filter((name): name is string => name !== undefined))];
}

/** A record's names, each once: what to count for it in the index's name frequencies. */
export function nameTermsOfRecord(record: MatchRecord): NameTerms {
  return {
    given: distinct(record.names.map((name) => nameFrequencyKey(name.given))),
    family: distinct(record.names.map((name) => nameFrequencyKey(name.family))),
  };
}

/**
 * Every frequency a comparison with this query may ask for, to fetch before scoring: the
 * frequency looked up is the candidate's name that agreed exactly, which may be the query's other
 * name (names swapped) or its other spelling ("mueller" for "Müller").
 */
export function nameTermsOfQuery(query: MatchQuery): NameTerms {
  const forms = (raw: string | undefined): (string | undefined)[] => {
    const name = normaliseName(raw);
    return name === null ? [] : [name.compact, name.alternative];
  };
  const both = [...forms(query.given), ...forms(query.family)];
  return { given: distinct(both), family: distinct(both) };
}

/**
 * Name frequencies counted over a set of records (each person counted once per name), for the
 * rare-names-count-more adjustment. The person index keeps the same counts in the database.
 */
export function countNameFrequencies(records: readonly MatchRecord[]): NameFrequencies {
  const given = new Map<string, number>();
  const family = new Map<string, number>();
  for (const record of records) {
    const givenNames = new Set<string>();
    const familyNames = new Set<string>();
    for (const name of record.names) {
      const g = nameFrequencyKey(name.given);
      const f = nameFrequencyKey(name.family);
      if (g !== undefined) givenNames.add(g);
      if (f !== undefined) familyNames.add(f);
    }
    for (const name of givenNames) given.set(name, (given.get(name) ?? 0) + 1);
    for (const name of familyNames) family.set(name, (family.get(name) ?? 0) + 1);
  }
  const total = Math.max(1, records.length);
  return {
    given: (name) => {
      const count = given.get(name);
      return count === undefined ? undefined : count / total;
    },
    family: (name) => {
      const count = family.get(name);
      return count === undefined ? undefined : count / total;
    },
  };
}
