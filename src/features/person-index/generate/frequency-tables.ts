/**
 * The frequency tables in data/ (counted from FEBRL's synthetic records by
 * derive-frequency-tables.ts) as weighted tables to draw names and places from.
 */
import { readFileSync } from 'node:fs';
import { WeightedTable } from './random.ts';

export type Sex = 'female' | 'male';

export interface FrequencyTables {
  readonly givenNames: Readonly<Record<Sex, WeightedTable<string>>>;
  readonly familyNames: WeightedTable<string>;
  readonly streets: WeightedTable<string>;
  readonly suburbs: WeightedTable<string>;
  readonly states: WeightedTable<string>;
  /** Postcodes of each state. */
  readonly postcodes: ReadonlyMap<string, WeightedTable<string>>;
  /** The sex a given name is used for, or undefined when it is used for either. */
  readonly sexOfGivenName: ReadonlyMap<string, Sex>;
}

/** The rows of one plain data file (no quoting: the derivation refuses values that need it). */
function readTable(name: string): string[][] {
  const text = readFileSync(new URL(`./data/${name}`, import.meta.url), 'utf8');
  return text.split('\n').slice(1).filter((line) => line !== '').map((line) => line.split(','));
}

function nameCounts(name: string): [string, number][] {
  return readTable(name).map(([value, count]) => [value ?? '', Number(count)]);
}

let loaded: FrequencyTables | undefined;

export function frequencyTables(): FrequencyTables {
  if (loaded) return loaded;
  const female: [string, number][] = [];
  const male: [string, number][] = [];
  const sexOfGivenName = new Map<string, Sex>();
  for (const [name = '', sex, count] of readTable('given-names.csv')) {
    const weight = Number(count);
    // A name used for either sex goes in both tables, at half its count in each.
    if (sex === 'female' || sex === 'either') female.push([name, sex === 'either' ? weight / 2 : weight]);
    if (sex === 'male' || sex === 'either') male.push([name, sex === 'either' ? weight / 2 : weight]);
    if (sex === 'female' || sex === 'male') sexOfGivenName.set(name, sex);
  }
  const byState = new Map<string, [string, number][]>();
  for (const [postcode = '', state = '', count] of readTable('postcodes.csv')) {
    const list = byState.get(state) ?? [];
    list.push([postcode, Number(count)]);
    byState.set(state, list);
  }
  // A state must have postcodes to be drawn at all.
  const states = nameCounts('states.csv').filter(([state]) => byState.has(state));
  loaded = {
    givenNames: { female: new WeightedTable(female), male: new WeightedTable(male) },
    familyNames: new WeightedTable(nameCounts('family-names.csv')),
    streets: new WeightedTable(nameCounts('streets.csv')),
    suburbs: new WeightedTable(nameCounts('suburbs.csv')),
    states: new WeightedTable(states),
    postcodes: new Map([...byState].map(([state, list]) => [state, new WeightedTable(list)])),
    sexOfGivenName,
  };
  return loaded;
}
