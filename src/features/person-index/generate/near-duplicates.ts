/**
 * The slips that make one person two records: a typo, a nickname, given and family names swapped,
 * day and month of birth swapped, a field left empty, a move of house. Each near-duplicate the
 * generator makes carries one of these (sometimes two), and names them in `variation` so a
 * benchmark can report recall per kind of slip.
 */
import { NICKNAME_GROUPS } from '../matching/nickname-groups.ts';
import type { PersonCsvRow } from '../import/people-csv-format.ts';
import type { Random } from './random.ts';

export const VARIATIONS = ['typo', 'nickname', 'swapped-names', 'day-month-swapped', 'missing-field', 'moved'] as const;
export type Variation = (typeof VARIATIONS)[number];

type Row = { -readonly [K in keyof PersonCsvRow]: string };

/** Shares of each kind of slip (they sum to 1). */
const VARIATION_SHARES: Readonly<Record<Variation, number>> = {
  typo: 0.25,
  nickname: 0.15,
  'swapped-names': 0.12,
  'day-month-swapped': 0.13,
  'missing-field': 0.15,
  moved: 0.2,
};

/** Shares the matcher's groups (see matching/nickname-groups.ts): name (lower case) -> the other names it may be written as. */
const nicknamesOf: ReadonlyMap<string, readonly string[]> = (() => {
  const others = new Map<string, Set<string>>();
  for (const line of NICKNAME_GROUPS.split('\n')) {
    const group = line.trim().split(/\s+/).filter((name) => name !== '');
    for (const name of group) {
      const set = others.get(name) ?? new Set<string>();
      for (const other of group) if (other !== name) set.add(other);
      others.set(name, set);
    }
  }
  return new Map([...others].map(([name, set]) => [name, [...set]]));
})();

export function nicknameFor(givenName: string, random: Random): string | undefined {
  const choices = nicknamesOf.get(givenName.toLowerCase());
  if (!choices || choices.length === 0) return undefined;
  const nickname = random.pick(choices);
  return nickname.charAt(0).toUpperCase() + nickname.slice(1);
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** One keying slip after the first letter: a letter changed, dropped, doubled, or two swapped. */
export function typo(name: string, random: Random): string {
  if (name.length < 2) return name + random.pick([...LETTERS]);
  const at = random.int(1, name.length - 1);
  const letter = name.charAt(at);
  switch (random.int(0, 3)) {
    case 0: {
      let other = random.pick([...LETTERS]);
      if (other === letter.toLowerCase()) other = other === 'e' ? 'a' : 'e';
      return name.slice(0, at) + other + name.slice(at + 1);
    }
    case 1:
      // Dropping a letter from a short name leaves too little: double it instead.
      return name.length > 3 ? name.slice(0, at) + name.slice(at + 1) : name.slice(0, at) + letter + name.slice(at);
    case 2:
      return name.slice(0, at) + letter + name.slice(at);
    default: {
      const [left, right] = at === name.length - 1 ? [at - 1, at] : [at, at + 1];
      // Swapping two equal letters changes nothing, and the first letter stays: double one instead.
      if (left === 0 || name.charAt(left) === name.charAt(right)) return name.slice(0, at) + letter + name.slice(at);
      return name.slice(0, left) + name.charAt(right) + name.charAt(left) + name.slice(right + 1);
    }
  }
}

export interface NewAddress {
  (random: Random): Pick<PersonCsvRow, 'street' | 'suburb' | 'postcode' | 'state'>;
}

const MAY_GO_MISSING = ['given_name', 'date_of_birth', 'sex', 'identifier', 'street'] as const;

function dayAndMonthSwap(dateOfBirth: string): string | undefined {
  const [year, month, day] = dateOfBirth.split('-');
  if (year === undefined || month === undefined || day === undefined || day === month || Number(day) > 12) return undefined;
  return `${year}-${day}-${month}`;
}

/** Applies the slip to the row, or returns false when it cannot apply to this person (no nickname, say). */
function applyVariation(row: Row, original: PersonCsvRow, variation: Variation, random: Random, newAddress: NewAddress): boolean {
  switch (variation) {
    case 'typo':
      if (row.given_name === '' && row.family_name === '') return false;
      if (row.given_name === '' || (row.family_name !== '' && random.chance(0.5))) row.family_name = typo(row.family_name, random);
      else row.given_name = typo(row.given_name, random);
      return true;
    case 'nickname': {
      const nickname = nicknameFor(row.given_name, random);
      if (nickname === undefined) return false;
      row.given_name = nickname;
      return true;
    }
    case 'swapped-names':
      if (row.given_name === row.family_name) return false;
      [row.given_name, row.family_name] = [row.family_name, row.given_name];
      return true;
    case 'day-month-swapped': {
      const swapped = dayAndMonthSwap(row.date_of_birth);
      if (swapped === undefined) return false;
      row.date_of_birth = swapped;
      return true;
    }
    case 'missing-field': {
      // Not a field another slip already changed: the slip would no longer show.
      const fields = MAY_GO_MISSING.filter((field) => row[field] !== '' && row[field] === original[field]);
      if (fields.length === 0) return false;
      row[random.pick(fields)] = '';
      return true;
    }
    case 'moved':
      Object.assign(row, newAddress(random));
      return true;
  }
}

/** Draws a slip in proportion to VARIATION_SHARES among those not yet tried, and applies it. */
function applyOneOf(row: Row, original: PersonCsvRow, untried: Variation[], random: Random, newAddress: NewAddress): Variation {
  for (;;) {
    const total = untried.reduce((sum, v) => sum + VARIATION_SHARES[v], 0);
    let target = random.next() * total;
    const variation = untried.find((v) => (target -= VARIATION_SHARES[v]) < 0) ?? 'moved';
    if (applyVariation(row, original, variation, random, newAddress)) return variation;
    // 'moved' always applies, so the list never runs out.
    untried.splice(untried.indexOf(variation), 1);
  }
}

/** The same person again, as another record would hold them: one slip, or now and then two. */
export function nearDuplicate(original: PersonCsvRow, random: Random, newAddress: NewAddress): { row: PersonCsvRow; variation: string } {
  const row: Row = { ...original };
  const first = applyOneOf(row, original, [...VARIATIONS], random, newAddress);
  if (!random.chance(0.25)) return { row, variation: first };
  const second = applyOneOf(row, original, VARIATIONS.filter((v) => v !== first), random, newAddress);
  return { row, variation: `${first}+${second}` };
}
