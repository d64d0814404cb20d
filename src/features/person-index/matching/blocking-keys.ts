import { birthYears } from './date-of-birth.ts';
import { primaryPhoneticCode } from './phonetic-code.ts';
import type { PreparedName, PreparedSubject } from './prepare-record.ts';

/**
 * Blocking: a person is stored under a handful of keys, and a search or duplicate scan compares
 * only people who share at least one key. The rules are chosen so that each holds when a
 * different field has gone wrong, so a true match almost always shares some key however it was
 * misrecorded:
 *
 *   id   identifier                                    names, date of birth and address all wrong
 *   nn   sounds of both names (in either order)        date of birth wrong or unknown; nicknames; swaps
 *   dob  date of birth, day and month in either order  both names misspelt beyond recognition
 *   ny   sound of one name + birth year                the other name wrong; the day or month wrong
 *   pn   postcode + initial of one name                date wrong and one name wrong
 *   np   sound of one name + first three letters       a slip after the third letter that changes
 *        of the other                                  the sound: "Shepard" / "Shepherd"
 *   sn   street number + start of the street           names replaced or garbled, date unknown
 *   ss   sound of the suburb + start of the street     the same, and the street number unknown
 *
 * Keys name no role (given or family) where they need not, so a query with the names swapped
 * makes the same keys as the record.
 *
 * A slip in a name's first letters that also changes its sound ("Smiht") shares no name key with
 * the record. Keys for that (each name less one of its first letters) were ten of a person's twenty
 * keys, and found one more of 6,538 FEBRL pairs; a search meets such a slip instead through the
 * spellings the index holds (PersonIndexService.queryKeys: "Smiht" is looked up as "Smith" too).
 */

const PREFIX_LENGTH = 3;
const MAX_FORMAL_NAMES = 2;

/** Sounds of the formal names a given name stands for ("Bill" sounds as William), then its own. */
function givenCodes(name: PreparedName | null): string[] {
  if (name === null || name.isInitial) return [];
  // "Mia Rose" is also keyed as "Mia": people are searched for by their first given name alone.
  const firstPart = name.parts.length > 1 ? [name.parts[0]!] : [];
  return [...new Set([...name.formalNames.slice(0, MAX_FORMAL_NAMES), name.compact, ...firstPart].map(primaryPhoneticCode))];
}

function familyCodes(name: PreparedName | null): string[] {
  if (name === null || name.isInitial) return [];
  const codes = [primaryPhoneticCode(name.compact)];
  if (name.parts.length > 1) for (const part of name.parts.slice(0, 3)) codes.push(primaryPhoneticCode(part));
  return [...new Set(codes)];
}

function addNameKeys(keys: Set<string>, given: PreparedName | null, family: PreparedName | null, years: readonly number[], postcodes: readonly string[]): void {
  const givens = givenCodes(given);
  const families = familyCodes(family);
  for (const a of givens) for (const b of families) keys.add(`nn:${a < b ? `${a}:${b}` : `${b}:${a}`}`);
  for (const year of years) for (const code of [...givens.slice(0, 1), ...families]) keys.add(`ny:${code}:${year}`);
  for (const postcode of postcodes) {
    if (given !== null) keys.add(`pn:${postcode}:${given.compact[0] ?? ''}`);
    if (family !== null) keys.add(`pn:${postcode}:${family.compact[0] ?? ''}`);
  }
  const givenCode = givens[0];
  const familyCode = families[0];
  if (given !== null && !given.isInitial && familyCode !== undefined) keys.add(`np:${familyCode}:${given.compact.slice(0, PREFIX_LENGTH)}`);
  if (family !== null && !family.isInitial && givenCode !== undefined) keys.add(`np:${givenCode}:${family.compact.slice(0, PREFIX_LENGTH)}`);
}

function addDateKeys(keys: Set<string>, subject: PreparedSubject): void {
  if (subject.birthDate?.kind !== 'exact') return;
  const { year, month, day } = subject.birthDate.date;
  keys.add(`dob:${year}:${Math.min(month, day)}:${Math.max(month, day)}`);
}

/** The first letters of a street: a slip later in it, or a street type written differently, still meets. */
const STREET_PREFIX = 5;

function addAddressKeys(keys: Set<string>, subject: PreparedSubject): void {
  for (const address of subject.addresses.slice(0, 2)) {
    if (address.street === null) continue;
    const street = address.street.compact.slice(0, STREET_PREFIX);
    if (address.streetNumber !== null) keys.add(`sn:${address.streetNumber.compact}:${street}`);
    if (address.suburb !== null) keys.add(`ss:${primaryPhoneticCode(address.suburb.compact)}:${street}`);
  }
}

/** The keys a person is stored under. */
export function keysForSubject(subject: PreparedSubject): string[] {
  const keys = new Set<string>();
  for (const identifier of subject.identifiers) keys.add(`id:${identifier.type}:${identifier.value}`);
  addDateKeys(keys, subject);
  addAddressKeys(keys, subject);
  const years = subject.birthDate === null ? [] : birthYears(subject.birthDate);
  const postcodes = [...new Set(subject.addresses.map((address) => address.postcode?.compact).filter((postcode) => postcode !== undefined))];
  for (const name of subject.names) addNameKeys(keys, name.given, name.family, years, postcodes);
  return [...keys];
}

/**
 * The keys to look up for a query: the record's keys, plus those of the names read the other
 * way round (role-bound keys only), so a swapped query still meets its record.
 */
export function keysForQuerySubject(subject: PreparedSubject): string[] {
  const keys = new Set(keysForSubject(subject));
  const years = subject.birthDate === null ? [] : birthYears(subject.birthDate);
  const postcodes = [...new Set(subject.addresses.map((address) => address.postcode?.compact).filter((postcode) => postcode !== undefined))];
  for (const name of subject.names) addNameKeys(keys, name.family, name.given, years, postcodes);
  return [...keys];
}

/**
 * Name-only keys (`n1`: the sound of one name). Stored for every person, but looked up only by a
 * search that gives a single name and nothing else to block on ("Thompson"): such a search reads
 * at most a capped number of candidates and says when there were more. They are never used to
 * pair records for deduplication, where a block as big as a common surname says nothing.
 */
export const SINGLE_NAME_KEY_PREFIX = 'n1:';

export function singleNameKeys(subject: PreparedSubject): string[] {
  const keys = new Set<string>();
  for (const name of subject.names) {
    for (const code of [...givenCodes(name.given), ...familyCodes(name.family)]) keys.add(`${SINGLE_NAME_KEY_PREFIX}${code}`);
  }
  return [...keys];
}

/**
 * Broad keys: one name's sound with the birth year (`ny`), which find a child whose other name
 * changed and whose date of birth was mistyped, and the date of birth alone (`dob`), which finds one
 * whose names were both garbled. At a million people each reaches one or two hundred: three
 * quarters of the people an exact search read came through its date of birth alone. A search looks
 * them up only when the specific keys found no likely match.
 */
export function isBroadKey(key: string): boolean {
  return key.startsWith('ny:') || key.startsWith('dob:');
}
