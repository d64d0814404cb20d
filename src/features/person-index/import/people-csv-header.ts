/** The header line of a person import file: exactly the expected columns, or an error naming each wrong one. */
import { parse } from 'csv-parse/sync';
import { PEOPLE_CSV_COLUMNS, PEOPLE_CSV_HEADER } from './people-csv-format.ts';

/** The header is not the one the import needs: nothing was imported. */
export class PeopleCsvHeaderError extends Error {
  override readonly name = 'PeopleCsvHeaderError';
}

/** Why the header is not the expected one, naming each wrong column; undefined when it is right. */
export function headerProblem(headerLine: string): string | undefined {
  let names: string[];
  try {
    names = parse(headerLine, { relax_column_count: true, record_delimiter: '\n' })[0]?.map((name) => name.trim()) ?? [];
  } catch {
    names = headerLine.split(',').map((name) => name.trim());
  }
  if (names.join(',') === PEOPLE_CSV_HEADER) return undefined;
  if (headerLine.trim() === '') return `The first line is empty: it must be the header: ${PEOPLE_CSV_HEADER}`;
  const expected: readonly string[] = PEOPLE_CSV_COLUMNS;
  const missing = expected.filter((name) => !names.includes(name));
  const misspelt = new Set<string>();
  const problems: string[] = [];
  names.forEach((name, at) => {
    if (expected.includes(name)) return;
    const instead = expected[at];
    // In the place of a missing column: most likely that column, misspelt.
    if (instead !== undefined && missing.includes(instead)) {
      misspelt.add(instead);
      problems.push(`column ${at + 1} is '${name}': expected '${instead}'`);
    } else {
      problems.push(name === '' ? `column ${at + 1} has no name` : `column '${name}' is not expected`);
    }
  });
  for (const name of missing) if (!misspelt.has(name)) problems.push(`column '${name}' is missing`);
  const duplicated = names.filter((name, i) => name !== '' && names.indexOf(name) !== i);
  for (const name of new Set(duplicated)) problems.push(`column '${name}' appears twice`);
  if (problems.length === 0) problems.push('the columns are in another order');
  return `The header is not right: ${problems.join('; ')}. The first line must be: ${PEOPLE_CSV_HEADER}`;
}

export function checkHeader(headerLine: string): void {
  const problem = headerProblem(headerLine.endsWith('\r') ? headerLine.slice(0, -1) : headerLine);
  if (problem !== undefined) throw new PeopleCsvHeaderError(problem);
}
