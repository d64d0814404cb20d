/**
 * One line's fields -> a person to import, or the reasons it cannot be, in plain words that name
 * the column ("date_of_birth '2011-02-30' is not a real date"). Every column but external_id may
 * be empty; text is trimmed, runs of spaces and line breaks inside a quoted field become one space,
 * and text is put in Unicode NFC so the same name typed two ways is stored one way.
 */
import { PEOPLE_CSV_COLUMNS, type PeopleCsvColumn } from './people-csv-format.ts';

export interface PersonImportRow {
  readonly external_id: string;
  readonly given_name: string | null;
  readonly family_name: string | null;
  /** 'YYYY-MM-DD'. */
  readonly date_of_birth: string | null;
  readonly sex: 'female' | 'male' | null;
  /** As given, without spaces: '2123 45670 1' -> '2123456701'. What kind of identifier it is, the importer decides. */
  readonly identifier: string | null;
  readonly street: string | null;
  readonly suburb: string | null;
  readonly postcode: string | null;
  readonly state: string | null;
}

export type FieldsResult = { readonly ok: true; readonly row: PersonImportRow } | { readonly ok: false; readonly reason: string };

/** The longest text each column may hold, in characters. */
export const MAX_LENGTHS: Readonly<Record<PeopleCsvColumn, number>> = {
  external_id: 100,
  given_name: 100,
  family_name: 100,
  date_of_birth: 100,
  sex: 100,
  identifier: 50,
  street: 200,
  suburb: 100,
  postcode: 10,
  state: 50,
};

export const EARLIEST_BIRTH_YEAR = 1900;

/** C0 and C1 controls (tab and NUL included) and the bidirectional overrides that can disguise text. */
const CONTROL = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;
const NOT_ASCII = /[^\x20-\x7e]/;
const LINE_BREAKS = /\r\n|\r|\n/g;
const SPACE_RUNS = /\s{2,}/g;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const NUMBER = new Intl.NumberFormat('en-GB');

/** A value quoted in a message, cut short so a message stays a line. */
function quoted(value: string): string {
  return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Why a date of birth cannot be taken, or undefined when it can. */
export function dateOfBirthProblem(value: string, today: string): string | undefined {
  const match = DATE.exec(value);
  if (!match) return `date_of_birth ${quoted(value)} is not a date in the form YYYY-MM-DD`;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return `date_of_birth ${quoted(value)} is not a real date`;
  if (year < EARLIEST_BIRTH_YEAR) return `date_of_birth ${value} is before ${EARLIEST_BIRTH_YEAR}`;
  if (value > today) return 'date_of_birth is in the future';
  return undefined;
}

/** Length in characters as a person counts them (a surrogate pair is one). */
function characterCount(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

/**
 * Checks and tidies the 10 fields of one line (already split: the caller checks the count).
 * `mayNeedTidying` false says the line is printable ASCII only, which skips the costlier checks.
 */
export function validatePersonFields(fields: readonly string[], today: string, mayNeedTidying = true): FieldsResult {
  // null where the field has a problem already reported.
  const values: (string | null)[] = [];
  const problems: string[] = [];
  for (let i = 0; i < PEOPLE_CSV_COLUMNS.length; i++) {
    const column = PEOPLE_CSV_COLUMNS[i] as PeopleCsvColumn;
    let value = (fields[i] ?? '').trim();
    if (mayNeedTidying) {
      value = value.replace(LINE_BREAKS, ' ');
      if (CONTROL.test(value)) {
        problems.push(`control characters in ${column}`);
        values.push(null);
        continue;
      }
      if (NOT_ASCII.test(value)) value = value.normalize('NFC');
      value = value.replace(SPACE_RUNS, ' ');
    } else if (value.includes('  ')) {
      value = value.replace(SPACE_RUNS, ' ');
    }
    if (value.length > MAX_LENGTHS[column]) {
      const length = characterCount(value);
      if (length > MAX_LENGTHS[column]) {
        problems.push(`${column} is ${NUMBER.format(length)} characters: at most ${MAX_LENGTHS[column]}`);
        values.push(null);
        continue;
      }
    }
    values.push(value);
  }
  const [externalId, givenName, familyName, dateOfBirth, sexText, identifier, street, suburb, postcode, state] = values;
  if (externalId === '') problems.push('external_id is empty');
  if (dateOfBirth) {
    const problem = dateOfBirthProblem(dateOfBirth, today);
    if (problem) problems.push(problem);
  }
  const sex = sexText?.toLowerCase() ?? '';
  if (sex !== '' && sex !== 'female' && sex !== 'male') problems.push('sex must be female, male or empty');
  if (problems.length > 0) return { ok: false, reason: problems.join('; ') };
  const orNull = (value: string | null | undefined) => (value ? value : null);
  return {
    ok: true,
    row: {
      external_id: externalId ?? '',
      given_name: orNull(givenName),
      family_name: orNull(familyName),
      date_of_birth: orNull(dateOfBirth),
      sex: sex === 'female' || sex === 'male' ? sex : null,
      identifier: orNull(identifier?.replace(/\s+/g, '')),
      street: orNull(street),
      suburb: orNull(suburb),
      postcode: orNull(postcode),
      state: orNull(state),
    },
  };
}
