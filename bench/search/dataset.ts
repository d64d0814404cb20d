/**
 * The benchmark's people and queries. The people are `hearth generate people` rows (fixed seed),
 * turned into import rows the way the CSV reader does; the queries are made from people picked at
 * random (another fixed seed), each knowing which person it is for. A person's near-duplicates (the
 * generator says which person each repeats) are the same person: finding one of them finds the person.
 */
import { DEFAULT_REFERENCE_DATE, generatePeople, type GeneratedPerson } from '../../src/features/person-index/generate/generate-people.ts';
import { nicknameFor, typo } from '../../src/features/person-index/generate/near-duplicates.ts';
import { createRandom, type Random } from '../../src/features/person-index/generate/random.ts';
import { PEOPLE_CSV_COLUMNS } from '../../src/features/person-index/import/people-csv-format.ts';
import type { PeopleCsvItem } from '../../src/features/person-index/import/read-people-csv.ts';
import { validatePersonFields } from '../../src/features/person-index/import/validate-person-row.ts';
import type { MatchQuery } from '../../src/features/person-index/matching/types.ts';
import { searchFieldsSchema, toMatchQuery } from '../../src/features/person-index/search-query.ts';

export const QUERY_KINDS = [
  'exact',
  'typo-1',
  'typo-2',
  'nickname',
  'swapped-names',
  'day-month-swapped',
  'family+birth-year',
  'given+family',
  'family+age-range',
  'identifier',
] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

/** What the search page's boxes held: kept for the report and the baseline's name. */
export interface SearchFields {
  readonly given?: string;
  readonly family?: string;
  readonly dateOfBirth?: string;
  readonly birthYear?: string;
  readonly ageFrom?: string;
  readonly ageTo?: string;
  readonly identifier?: string;
}

export interface BenchQuery {
  readonly kind: QueryKind;
  readonly fields: SearchFields;
  readonly query: MatchQuery;
  /** The external ids of the person the query is for: the person's record and any near-duplicates of it. */
  readonly truth: ReadonlySet<string>;
  /** The name a plain full-name search is given ('' when the query has none). */
  readonly fullName: string;
}

export interface Dataset {
  readonly count: number;
  readonly seed: number;
  readonly items: readonly PeopleCsvItem[];
  readonly originals: number;
  readonly nearDuplicates: number;
  readonly queries: readonly BenchQuery[];
  readonly warmUp: readonly BenchQuery[];
  /** The most common family name, given name and given+family pair (for the bounded worst cases). */
  readonly commonest: { readonly family: string; readonly given: string; readonly pair: { readonly given: string; readonly family: string }; readonly familyPeople: number; readonly givenPeople: number; readonly pairPeople: number };
}

const TODAY = DEFAULT_REFERENCE_DATE;

/** Turns a generated row into the import row the CSV reader would have made of its line. */
function importItem(person: GeneratedPerson, line: number): PeopleCsvItem {
  const result = validatePersonFields(
    PEOPLE_CSV_COLUMNS.map((column) => person[column]),
    TODAY,
    false,
  );
  if (!result.ok) return { kind: 'rejected', line, reason: result.reason, raw: person.external_id };
  return { kind: 'row', line, row: result.row };
}

function mostCommon(counts: Map<string, number>): [string, number] {
  let best: [string, number] = ['', 0];
  for (const entry of counts) if (entry[1] > best[1]) best = entry;
  return best;
}

/** Two different slips: one in each name, or both in one name. */
function twoSlips(given: string, family: string, random: Random): { given: string; family: string } {
  for (let tries = 0; tries < 20; tries++) {
    let g = given;
    let f = family;
    const where = random.int(0, 2);
    if (where === 0) {
      g = typo(g, random);
      f = typo(f, random);
    } else if (where === 1) {
      g = typo(typo(g, random), random);
    } else {
      f = typo(typo(f, random), random);
    }
    const slips = (g === given ? 0 : 1) + (f === family ? 0 : 1);
    if (slips > 0 && g.toLowerCase() !== given.toLowerCase() && (where !== 0 || f.toLowerCase() !== family.toLowerCase())) return { given: g, family: f };
  }
  return { given: typo(given, random), family: typo(family, random) };
}

function ageOn(dateOfBirth: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  return today.slice(5) >= dateOfBirth.slice(5) ? years : years - 1;
}

/** The fields of a query of one kind for this person, or undefined when the kind does not apply to them. */
function fieldsFor(kind: QueryKind, p: GeneratedPerson, random: Random): SearchFields | undefined {
  const given = p.given_name;
  const family = p.family_name;
  const dob = p.date_of_birth;
  const named = given !== '' && family !== '';
  switch (kind) {
    case 'exact':
      return named && dob ? { given, family, dateOfBirth: dob } : undefined;
    case 'typo-1': {
      if (!named || !dob) return undefined;
      return random.chance(0.5) ? { given: typo(given, random), family, dateOfBirth: dob } : { given, family: typo(family, random), dateOfBirth: dob };
    }
    case 'typo-2':
      return named && dob ? { ...twoSlips(given, family, random), dateOfBirth: dob } : undefined;
    case 'nickname': {
      const nickname = named && dob ? nicknameFor(given, random) : undefined;
      return nickname ? { given: nickname, family, dateOfBirth: dob } : undefined;
    }
    case 'swapped-names':
      return named && dob && given !== family ? { given: family, family: given, dateOfBirth: dob } : undefined;
    case 'day-month-swapped': {
      const [year, month, day] = dob.split('-');
      if (!named || !year || !month || !day || day === month || Number(day) > 12) return undefined;
      return { given, family, dateOfBirth: `${year}-${day}-${month}` };
    }
    case 'family+birth-year':
      return family && dob ? { family, birthYear: dob.slice(0, 4) } : undefined;
    case 'given+family':
      return named ? { given, family } : undefined;
    case 'family+age-range': {
      if (!family || !dob) return undefined;
      const age = ageOn(dob, TODAY);
      return { family, ageFrom: String(Math.max(0, age - 1)), ageTo: String(age + 1) };
    }
    case 'identifier':
      return p.identifier ? { identifier: p.identifier } : undefined;
  }
}

function fullNameOf(fields: SearchFields): string {
  return [fields.given, fields.family].filter(Boolean).join(' ').toLowerCase();
}

/** The matcher's query for the fields, exactly as the search page makes it. */
function matchQueryOf(fields: SearchFields): MatchQuery {
  return toMatchQuery(searchFieldsSchema.parse(fields), TODAY);
}

export function buildDataset(options: { count: number; seed: number; perKind: number; warmUp: number; querySeed: number }): Dataset {
  const items: PeopleCsvItem[] = [];
  const byId = new Map<string, GeneratedPerson>();
  const duplicatesOf = new Map<string, string[]>();
  const familyCounts = new Map<string, number>();
  const givenCounts = new Map<string, number>();
  const pairCounts = new Map<string, number>();
  // A pool of originals picked at random, big enough for every kind's conditions.
  const poolSize = Math.min(options.count, (options.perKind + options.warmUp) * QUERY_KINDS.length * 4);
  const pool: GeneratedPerson[] = [];
  const picker = createRandom(options.querySeed);
  let line = 1;
  let originals = 0;
  for (const person of generatePeople({ count: options.count, seed: options.seed, referenceDate: TODAY })) {
    items.push(importItem(person, ++line));
    if (person.duplicate_of !== null) {
      const list = duplicatesOf.get(person.duplicate_of) ?? [];
      list.push(person.external_id);
      duplicatesOf.set(person.duplicate_of, list);
      continue;
    }
    originals++;
    const family = person.family_name.toLowerCase();
    const given = person.given_name.toLowerCase();
    if (family) familyCounts.set(family, (familyCounts.get(family) ?? 0) + 1);
    if (given) givenCounts.set(given, (givenCounts.get(given) ?? 0) + 1);
    if (family && given) pairCounts.set(`${given}|${family}`, (pairCounts.get(`${given}|${family}`) ?? 0) + 1);
    // Reservoir sampling: every original equally likely to be in the pool.
    if (pool.length < poolSize) pool.push(person);
    else {
      const slot = Math.floor(picker.next() * originals);
      if (slot < poolSize) pool[slot] = person;
    }
    byId.set(person.external_id, person);
  }
  const truthOf = (p: GeneratedPerson) => new Set([p.external_id, ...(duplicatesOf.get(p.external_id) ?? [])]);

  const make = (kind: QueryKind, person: GeneratedPerson, random: Random): BenchQuery | undefined => {
    const fields = fieldsFor(kind, person, random);
    if (!fields) return undefined;
    return { kind, fields, query: matchQueryOf(fields), truth: truthOf(person), fullName: fullNameOf(fields) };
  };

  const queries: BenchQuery[] = [];
  const warmUp: BenchQuery[] = [];
  const random = createRandom(options.querySeed + 1);
  let next = 0;
  for (const kind of QUERY_KINDS) {
    const wanted = options.perKind + Math.ceil(options.warmUp / QUERY_KINDS.length);
    const made: BenchQuery[] = [];
    for (let tried = 0; made.length < wanted && tried < pool.length; tried++) {
      const person = pool[next++ % pool.length] as GeneratedPerson;
      const query = make(kind, person, random);
      if (query) made.push(query);
    }
    warmUp.push(...made.slice(options.perKind));
    queries.push(...made.slice(0, options.perKind));
  }
  // One kind after another would let the machine's noise fall on one kind: shuffle them together.
  shuffle(queries, random);
  shuffle(warmUp, random);

  const [family, familyPeople] = mostCommon(familyCounts);
  const [given, givenPeople] = mostCommon(givenCounts);
  const [pairKey, pairPeople] = mostCommon(pairCounts);
  const [pairGiven = '', pairFamily = ''] = pairKey.split('|');
  return {
    count: options.count,
    seed: options.seed,
    items,
    originals,
    nearDuplicates: options.count - originals,
    queries,
    warmUp,
    commonest: { family, given, pair: { given: pairGiven, family: pairFamily }, familyPeople, givenPeople, pairPeople },
  };
}

function shuffle<T>(items: T[], random: Random): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}

/** The bounded worst cases: the most common names with nothing, or little, else to narrow them. */
export function worstCaseQueries(dataset: Dataset): { label: string; fields: SearchFields; query: MatchQuery }[] {
  const title = (name: string) => name.replace(/\b\p{L}/gu, (c) => c.toUpperCase());
  const { family, given, pair } = dataset.commonest;
  const list: { label: string; fields: SearchFields }[] = [
    { label: `commonest family name alone ("${title(family)}", ${dataset.commonest.familyPeople} people)`, fields: { family: title(family) } },
    { label: `commonest given name alone ("${title(given)}", ${dataset.commonest.givenPeople} people)`, fields: { given: title(given) } },
    { label: `commonest family name + birth year 2010`, fields: { family: title(family), birthYear: '2010' } },
    { label: `commonest family name + age 5 to 12`, fields: { family: title(family), ageFrom: '5', ageTo: '12' } },
    { label: `commonest given + commonest family name`, fields: { given: title(given), family: title(family) } },
    { label: `commonest pair ("${title(pair.given)} ${title(pair.family)}", ${dataset.commonest.pairPeople} people)`, fields: { given: title(pair.given), family: title(pair.family) } },
    { label: `commonest family name misspelt ("${title(typo(family, createRandom(3)))}") alone`, fields: { family: title(typo(family, createRandom(3))) } },
    { label: 'a birth year alone (1980)', fields: { birthYear: '1980' } },
    { label: 'an age range alone (0 to 17)', fields: { ageFrom: '0', ageTo: '17' } },
  ];
  return list.map((w) => ({ ...w, query: matchQueryOf(w.fields) }));
}

export { TODAY as REFERENCE_DATE };
