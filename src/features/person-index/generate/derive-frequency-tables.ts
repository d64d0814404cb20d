/**
 * Derives the generator's frequency tables (data/*.csv) from the synthetic FEBRL files by counting
 * the original ("-org") records: given names (with a sex from given-name-sex.ts), family names,
 * street names, suburbs, states, and postcodes per state. Run it again if the FEBRL files change:
 *
 *   npx tsx src/features/person-index/generate/derive-frequency-tables.ts ../shared/data/febrl
 *
 * FEBRL pairs postcodes with states at random, so only the postcodes inside their state's range
 * are kept, and the generator draws a postcode for the state it drew.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { EITHER_SEX_GIVEN_NAMES, FEMALE_GIVEN_NAMES } from './given-name-sex.ts';

type Counts = Map<string, number>;

/** FEBRL's given-name table spells its second most common name "emiily"; Hearth's demo people are Emily. */
const SPELLING_FIXES: ReadonlyMap<string, string> = new Map([['emiily', 'emily']]);

interface FebrlRecord {
  readonly rec_id: string;
  readonly given_name: string;
  readonly surname: string;
  readonly address_1: string;
  readonly suburb: string;
  readonly postcode: string;
  readonly state: string;
}

/** Australian postcode ranges of street addresses, by state. */
const POSTCODE_RANGES: Readonly<Record<string, readonly (readonly [number, number])[]>> = {
  nsw: [[2000, 2599], [2619, 2899], [2921, 2999]],
  act: [[2600, 2618], [2900, 2920]],
  vic: [[3000, 3999]],
  qld: [[4000, 4999]],
  sa: [[5000, 5799]],
  wa: [[6000, 6797]],
  tas: [[7000, 7799]],
  nt: [[800, 899]],
};

/** 'mccarthy' -> 'McCarthy', "o'brien" -> "O'Brien", 'lachlan-john' -> 'Lachlan-John'. */
export function titleCase(text: string): string {
  return text
    .replace(/(^|[\s'-])(\p{Ll})/gu, (_m, before: string, letter: string) => before + letter.toUpperCase())
    .replace(/\bMc(\p{Ll})/gu, (_m, letter: string) => `Mc${letter.toUpperCase()}`);
}

function count(counts: Counts, key: string): void {
  if (key === '') return;
  if (/[",\r\n]/.test(key)) throw new Error(`FEBRL value ${JSON.stringify(key)} needs quoting: the tables are kept plain`);
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** Most frequent first, then by name, so the files diff cleanly when regenerated. */
function sorted(counts: Counts): [string, number][] {
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

function writeTable(path: string, header: string, lines: readonly string[]): void {
  writeFileSync(path, `${header}\n${lines.join('\n')}\n`);
}

function postcodeInState(postcode: string, state: string): boolean {
  const value = Number(postcode);
  return /^\d{4}$/.test(postcode) && (POSTCODE_RANGES[state] ?? []).some(([from, to]) => value >= from && value <= to);
}

export function deriveFrequencyTables(febrlDir: string, outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  const given: Counts = new Map();
  const family: Counts = new Map();
  const streets: Counts = new Map();
  const suburbs: Counts = new Map();
  const states: Counts = new Map();
  const postcodes: Counts = new Map();
  for (const file of readdirSync(febrlDir).filter((f) => f.endsWith('.csv')).sort()) {
    const records = parse<FebrlRecord>(readFileSync(join(febrlDir, file), 'utf8'), { columns: true, trim: true });
    for (const r of records) {
      if (!r.rec_id.endsWith('-org')) continue;
      count(given, SPELLING_FIXES.get(r.given_name) ?? r.given_name);
      count(family, r.surname);
      count(streets, r.address_1);
      count(suburbs, r.suburb);
      count(states, r.state);
      if (postcodeInState(r.postcode, r.state)) count(postcodes, `${r.postcode} ${r.state.toUpperCase()}`);
    }
  }
  const sexOf = (name: string) => (FEMALE_GIVEN_NAMES.has(name) ? 'female' : EITHER_SEX_GIVEN_NAMES.has(name) ? 'either' : 'male');
  writeTable(join(outDir, 'given-names.csv'), 'given_name,sex,count', sorted(given).map(([name, n]) => `${titleCase(name)},${sexOf(name)},${n}`));
  writeTable(join(outDir, 'family-names.csv'), 'family_name,count', sorted(family).map(([name, n]) => `${titleCase(name)},${n}`));
  writeTable(join(outDir, 'streets.csv'), 'street,count', sorted(streets).map(([name, n]) => `${titleCase(name)},${n}`));
  writeTable(join(outDir, 'suburbs.csv'), 'suburb,count', sorted(suburbs).map(([name, n]) => `${titleCase(name)},${n}`));
  const stateLines = sorted(states).filter(([state]) => state in POSTCODE_RANGES);
  writeTable(join(outDir, 'states.csv'), 'state,count', stateLines.map(([state, n]) => `${state.toUpperCase()},${n}`));
  writeTable(join(outDir, 'postcodes.csv'), 'postcode,state,count', sorted(postcodes).map(([key, n]) => `${key.replace(' ', ',')},${n}`));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const febrlDir = process.argv[2] ?? '../shared/data/febrl';
  deriveFrequencyTables(febrlDir, fileURLToPath(new URL('./data/', import.meta.url)));
  process.stdout.write(`Frequency tables written from ${febrlDir}\n`);
}
