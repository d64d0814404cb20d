/** The person import file: its columns, and how one person is written as a CSV line (RFC 4180). */

export const PEOPLE_CSV_COLUMNS = [
  'external_id',
  'given_name',
  'family_name',
  'date_of_birth',
  'sex',
  'identifier',
  'street',
  'suburb',
  'postcode',
  'state',
] as const;

export type PeopleCsvColumn = (typeof PEOPLE_CSV_COLUMNS)[number];

export const PEOPLE_CSV_HEADER = PEOPLE_CSV_COLUMNS.join(',');

/** One person as a line of the file holds them: '' for an empty field. */
export type PersonCsvRow = Readonly<Record<PeopleCsvColumn, string>>;

const NEEDS_QUOTES = /[",\r\n]/;

/** A field as CSV writes it: quoted, with quotes doubled, only when it holds a comma, quote or line break. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One line of the import file, without its line ending. */
export function toCsvLine(row: PersonCsvRow): string {
  return (
    `${csvField(row.external_id)},${csvField(row.given_name)},${csvField(row.family_name)},${csvField(row.date_of_birth)},` +
    `${csvField(row.sex)},${csvField(row.identifier)},${csvField(row.street)},${csvField(row.suburb)},` +
    `${csvField(row.postcode)},${csvField(row.state)}`
  );
}
