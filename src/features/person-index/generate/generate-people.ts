/**
 * Synthetic people for benchmarks and demos, in the shape of the person import file: names drawn
 * with the frequencies of FEBRL's synthetic Australian records, households that share a surname
 * and an address, and a share of near-duplicates that say which person they repeat.
 *
 * A generator, so a million rows stream to a file without sitting in memory; deterministic, so a
 * seed stands for the whole file. No real person's data: FEBRL's names are synthetic and are
 * combined at random, and the Medicare numbers are made up (see medicare-numbers.ts).
 */
import type { PersonCsvRow } from '../import/people-csv-format.ts';
import type { PersonImportRow } from '../import/read-people-csv.ts';
import { DAYS_PER_YEAR, epochDay, isoDate } from './civil-date.ts';
import { frequencyTables, type FrequencyTables } from './frequency-tables.ts';
import { makeHousehold, type HouseholdDays, type Member, type Role } from './households.ts';
import { createMedicareNumbers } from './medicare-numbers.ts';
import { nearDuplicate } from './near-duplicates.ts';
import { createRandom, type Random } from './random.ts';

export interface GeneratePeopleOptions {
  readonly count: number;
  readonly seed: number;
  /** 'YYYY-MM-DD': children are 0 to 17 on this day, and nobody is born after it. */
  readonly referenceDate?: string;
  /** The share of rows that repeat an earlier person with a slip (0 to 0.5). */
  readonly duplicateShare?: number;
}

/** A row of the import file, plus what the generator knows and a benchmark needs (not written to the CSV). */
export interface GeneratedPerson extends PersonCsvRow {
  /** For a near-duplicate: the external_id of the person it repeats; null for an original. */
  readonly duplicate_of: string | null;
  /** For a near-duplicate: its slips, e.g. 'nickname' or 'typo+moved'; null for an original. */
  readonly variation: string | null;
  /** The household: its members share an address. A near-duplicate keeps its original's. */
  readonly household: string;
  readonly role: Role;
}

/** Fixed, so that a seed alone makes the same file again; a demo passes today's date. */
export const DEFAULT_REFERENCE_DATE = '2026-01-01';
export const DEFAULT_DUPLICATE_SHARE = 0.025;
/** Share of people with a Medicare number on record. */
const IDENTIFIER_SHARE = 0.85;
/** Near-duplicates repeat someone among the last this many people: near, but not next to, each other. */
const RECENT = 10_000;

function drawAddress(tables: FrequencyTables, random: Random): Pick<PersonCsvRow, 'street' | 'suburb' | 'postcode' | 'state'> {
  const state = tables.states.draw(random);
  const postcodes = tables.postcodes.get(state);
  const number = random.chance(0.1) ? `${random.int(1, 24)}/${random.int(1, 150)}` : String(random.int(1, 150));
  return {
    street: `${number} ${tables.streets.draw(random)}`,
    suburb: tables.suburbs.draw(random),
    postcode: postcodes ? postcodes.draw(random) : '',
    state,
  };
}

/** The same day of the month some years earlier (29 February becomes the 28th). */
function yearsBefore(iso: string, years: number): number {
  const year = Number(iso.slice(0, 4)) - years;
  const monthDay = iso.slice(5) === '02-29' ? '02-28' : iso.slice(5);
  return epochDay(`${year}-${monthDay}`);
}

function checkOptions(options: GeneratePeopleOptions): { referenceDay: number; duplicateShare: number } {
  if (!Number.isSafeInteger(options.count) || options.count < 0) throw new RangeError(`count must be a whole number of 0 or more, not ${options.count}`);
  const duplicateShare = options.duplicateShare ?? DEFAULT_DUPLICATE_SHARE;
  if (!(duplicateShare >= 0 && duplicateShare <= 0.5)) throw new RangeError(`duplicateShare must be between 0 and 0.5, not ${duplicateShare}`);
  const referenceDay = epochDay(options.referenceDate ?? DEFAULT_REFERENCE_DATE);
  if (referenceDay - 100 * DAYS_PER_YEAR < epochDay('1900-01-01')) throw new RangeError('referenceDate must be 2000-01-01 or later: nobody is born before 1900');
  return { referenceDay, duplicateShare };
}

export function* generatePeople(options: GeneratePeopleOptions): Generator<GeneratedPerson, void, undefined> {
  const { referenceDay, duplicateShare } = checkOptions(options);
  const random = createRandom(options.seed);
  const tables = frequencyTables();
  const medicareNumber = createMedicareNumbers(random);
  const days: HouseholdDays = { today: referenceDay, earliestChild: yearsBefore(isoDate(referenceDay), 18) + 1 };
  const newAddress = (r: Random) => drawAddress(tables, r);
  const recent: GeneratedPerson[] = [];
  let members: Member[] = [];
  let nextMember = 0;
  let address = drawAddress(tables, random);
  let household = '';
  let households = 0;
  let originals = 0;
  for (let n = 1; n <= options.count; n++) {
    const externalId = `P${String(n).padStart(7, '0')}`;
    if (recent.length > 0 && random.chance(duplicateShare)) {
      const original = random.pick(recent);
      const { row, variation } = nearDuplicate(original, random, newAddress);
      yield { ...row, external_id: externalId, duplicate_of: original.external_id, variation, household: original.household, role: original.role };
      continue;
    }
    if (nextMember >= members.length) {
      members = makeHousehold(tables, days, random).members;
      nextMember = 0;
      address = drawAddress(tables, random);
      household = `H${String(++households).padStart(7, '0')}`;
    }
    const member = members[nextMember++] as Member;
    const person: GeneratedPerson = {
      external_id: externalId,
      given_name: member.givenName,
      family_name: member.familyName,
      date_of_birth: isoDate(member.birthDay),
      sex: member.sex,
      identifier: random.chance(IDENTIFIER_SHARE) ? medicareNumber(originals) : '',
      ...address,
      duplicate_of: null,
      variation: null,
      household,
      role: member.role,
    };
    recent[originals++ % RECENT] = person;
    yield person;
  }
}

/** A generated person as the importer takes them (generated rows are valid by construction). */
export function importRowOf(person: GeneratedPerson): PersonImportRow {
  return {
    external_id: person.external_id,
    given_name: person.given_name || null,
    family_name: person.family_name || null,
    date_of_birth: person.date_of_birth || null,
    sex: person.sex === 'female' || person.sex === 'male' ? person.sex : null,
    identifier: person.identifier || null,
    street: person.street || null,
    suburb: person.suburb || null,
    postcode: person.postcode || null,
    state: person.state || null,
  };
}
