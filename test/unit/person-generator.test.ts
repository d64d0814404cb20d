import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMedicareNumber } from '../../src/features/people/identifiers.ts';
import { epochDay, isoDate } from '../../src/features/person-index/generate/civil-date.ts';
import { titleCase } from '../../src/features/person-index/generate/derive-frequency-tables.ts';
import { frequencyTables } from '../../src/features/person-index/generate/frequency-tables.ts';
import { DEFAULT_REFERENCE_DATE, generatePeople, type GeneratedPerson } from '../../src/features/person-index/generate/generate-people.ts';
import { createMedicareNumbers, medicareCheckDigit } from '../../src/features/person-index/generate/medicare-numbers.ts';
import { nicknameFor, typo, VARIATIONS } from '../../src/features/person-index/generate/near-duplicates.ts';
import { createRandom, WeightedTable } from '../../src/features/person-index/generate/random.ts';
import { PEOPLE_CSV_COLUMNS, PEOPLE_CSV_HEADER, toCsvLine } from '../../src/features/person-index/import/people-csv-format.ts';

const people = (count: number, seed = 11, referenceDate?: string): GeneratedPerson[] => [
  ...generatePeople(referenceDate === undefined ? { count, seed } : { count, seed, referenceDate }),
];

const SAMPLE = people(20_000);
const originals = SAMPLE.filter((p) => p.duplicate_of === null);
const duplicates = SAMPLE.filter((p) => p.duplicate_of !== null);
const households = new Map<string, GeneratedPerson[]>();
for (const p of originals) households.set(p.household, [...(households.get(p.household) ?? []), p]);
const ageOn = (dateOfBirth: string, day: string) => (epochDay(day) - epochDay(dateOfBirth)) / 365.2425;

describe('seeded randomness', () => {
  it('gives the same numbers for the same seed, and others for another seed', () => {
    const draw = (seed: number) => {
      const random = createRandom(seed);
      return Array.from({ length: 5 }, () => random.next());
    };
    assert.deepEqual(draw(42), draw(42));
    assert.notDeepEqual(draw(42), draw(43));
    assert.notDeepEqual(draw(1), draw(2 ** 32 + 1), 'the high bits of a seed count too');
    assert.throws(() => createRandom(1.5), /whole number/);
  });

  it('keeps int() within its bounds and draws from a weighted table in proportion', () => {
    const random = createRandom(7);
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) seen.add(random.int(3, 6));
    assert.deepEqual([...seen].sort(), [3, 4, 5, 6]);
    const table = new WeightedTable([['common', 9], ['rare', 1]] as const);
    let rare = 0;
    for (let i = 0; i < 100_000; i++) if (table.draw(random) === 'rare') rare++;
    assert.ok(rare > 9_000 && rare < 11_000, `rare drawn ${rare} times in 100,000`);
  });
});

describe('generatePeople', () => {
  it('is deterministic: the same seed gives the same people, another seed others', () => {
    assert.deepEqual(people(3_000, 5), people(3_000, 5));
    assert.notDeepEqual(people(50, 5), people(50, 6));
    assert.deepEqual(people(1_000, 5), people(3_000, 5).slice(0, 1_000), 'a shorter run is the start of a longer one');
  });

  it('yields exactly count rows, with unique external ids, lazily', () => {
    assert.equal(people(0).length, 0);
    assert.equal(SAMPLE.length, 20_000);
    assert.equal(new Set(SAMPLE.map((p) => p.external_id)).size, SAMPLE.length);
    const iterator = generatePeople({ count: 1_000_000_000, seed: 1 });
    assert.equal(iterator.next().value?.external_id, 'P0000001', 'a billion rows cost nothing until asked for');
    assert.throws(() => generatePeople({ count: -1, seed: 1 }).next(), /count/);
    assert.throws(() => generatePeople({ count: 1, seed: 1, referenceDate: '1990-01-01' }).next(), /born before 1900/);
    assert.throws(() => generatePeople({ count: 1, seed: 1, duplicateShare: 0.9 }).next(), /duplicateShare/);
  });

  it('writes rows in the import shape: every column, real dates, a sex, valid Medicare numbers for most', () => {
    const referenceDay = epochDay(DEFAULT_REFERENCE_DATE);
    for (const p of originals) {
      assert.deepEqual(Object.keys(p).filter((key) => (PEOPLE_CSV_COLUMNS as readonly string[]).includes(key)), [...PEOPLE_CSV_COLUMNS]);
      const day = epochDay(p.date_of_birth);
      assert.ok(day <= referenceDay && p.date_of_birth >= '1900-01-01', p.date_of_birth);
      assert.ok(p.sex === 'female' || p.sex === 'male');
      assert.ok(p.given_name !== '' && p.family_name !== '' && p.street !== '' && p.suburb !== '' && p.postcode !== '' && p.state !== '');
      if (p.identifier !== '') assert.ok(isMedicareNumber(p.identifier) && p.identifier.length === 10, p.identifier);
    }
    const withIdentifier = originals.filter((p) => p.identifier !== '').length / originals.length;
    assert.ok(withIdentifier > 0.8 && withIdentifier < 0.9, `share with a Medicare number: ${withIdentifier}`);
    assert.equal(new Set(originals.filter((p) => p.identifier !== '').map((p) => p.identifier.slice(0, 8))).size, originals.filter((p) => p.identifier !== '').length, 'no two people share a number');
  });

  it('gives each given name the sex the name is used for', () => {
    const { sexOfGivenName } = frequencyTables();
    let checked = 0;
    for (const p of originals) {
      const sex = sexOfGivenName.get(p.given_name);
      if (sex === undefined) continue;
      assert.equal(p.sex, sex, `${p.given_name} is a ${sex} name`);
      checked++;
    }
    assert.ok(checked > originals.length * 0.9);
  });

  it('draws names with their real-world frequency: common names are common, and there are many', () => {
    const share = (name: string) => originals.filter((p) => p.family_name === name).length / originals.length;
    // White is FEBRL's most frequent surname: 330 of 11,500 records (2.9%); households make it lumpier.
    assert.ok(share('White') > 0.015 && share('White') < 0.045, `White: ${share('White')}`);
    assert.ok(new Set(originals.map((p) => p.family_name)).size > 1_500);
    assert.ok(new Set(originals.map((p) => p.given_name)).size > 500);
  });

  it('makes households that share an address, mostly a surname, with 1 to 4 children of 0 to 17', () => {
    let sharingSurname = 0;
    let withChildren = 0;
    const childCounts = new Map<number, number>();
    for (const members of households.values()) {
      const addresses = new Set(members.map((p) => `${p.street}|${p.suburb}|${p.postcode}|${p.state}`));
      assert.equal(addresses.size, 1, 'one address per household');
      if (new Set(members.map((p) => p.family_name)).size === 1) sharingSurname++;
      const children = members.filter((p) => p.role === 'child');
      const parents = members.filter((p) => p.role === 'parent');
      // The last household may be cut short by count.
      if (members.includes(originals.at(-1) as GeneratedPerson)) continue;
      if (children.length === 0) {
        assert.equal(parents.length, 0);
        assert.ok(members.length <= 2, 'adults live alone or as a couple');
        for (const adult of members) assert.ok(ageOn(adult.date_of_birth, DEFAULT_REFERENCE_DATE) >= 18);
        continue;
      }
      withChildren++;
      childCounts.set(children.length, (childCounts.get(children.length) ?? 0) + 1);
      assert.ok(parents.length === 1 || parents.length === 2);
      assert.ok(children.length <= 5, 'up to 4 children, and in a step-family a half-sibling');
      const eldest = children.map((c) => c.date_of_birth).sort()[0] ?? '';
      for (const child of children) {
        const age = ageOn(child.date_of_birth, DEFAULT_REFERENCE_DATE);
        assert.ok(age >= 0 && age < 18, `child aged ${age}`);
      }
      assert.ok(parents.some((parent) => ageOn(parent.date_of_birth, eldest) >= 18), 'a parent was an adult at the eldest child\'s birth');
    }
    const surnameShare = sharingSurname / households.size;
    assert.ok(surnameShare > 0.8 && surnameShare < 0.97, `households sharing one surname: ${surnameShare}`);
    assert.deepEqual([...childCounts.keys()].filter((n) => n <= 4).sort(), [1, 2, 3, 4]);
    assert.ok(withChildren / households.size > 0.5);
    const soleParents = [...households.values()].filter((m) => m.filter((p) => p.role === 'parent').length === 1).length;
    assert.ok(soleParents / households.size > 0.1, 'some sole parents');
  });

  it('repeats about 2.5% of people as near-duplicates, each pointing at an earlier original and differing from it', () => {
    const share = duplicates.length / SAMPLE.length;
    assert.ok(share > 0.02 && share < 0.03, `near-duplicate share ${share}`);
    const byId = new Map(SAMPLE.map((p, index) => [p.external_id, { p, index }]));
    const kinds = new Set<string>();
    for (const duplicate of duplicates) {
      const original = byId.get(duplicate.duplicate_of ?? '');
      assert.ok(original && original.p.duplicate_of === null, 'points at an original');
      assert.ok(original.index < SAMPLE.indexOf(duplicate), 'which came earlier');
      assert.ok(PEOPLE_CSV_COLUMNS.some((c) => c !== 'external_id' && duplicate[c] !== original.p[c]), `${duplicate.variation} changed something`);
      assert.equal(duplicate.household, original.p.household);
      for (const kind of duplicate.variation?.split('+') ?? []) kinds.add(kind);
    }
    assert.deepEqual([...kinds].sort(), [...VARIATIONS].sort(), 'every kind of slip occurs');
    const swapped = duplicates.find((d) => d.variation === 'swapped-names');
    const swappedOriginal = byId.get(swapped?.duplicate_of ?? '')?.p;
    assert.equal(swapped?.given_name, swappedOriginal?.family_name);
    const dayMonth = duplicates.find((d) => d.variation === 'day-month-swapped');
    const [y, m, d] = (byId.get(dayMonth?.duplicate_of ?? '')?.p.date_of_birth ?? '').split('-');
    assert.equal(dayMonth?.date_of_birth, `${y}-${d}-${m}`);
    assert.ok([...generatePeople({ count: 2_000, seed: 3, duplicateShare: 0 })].every((p) => p.duplicate_of === null));
  });

  it('honours the reference date: no child older than 17 on it, nobody born after it', () => {
    const early = people(3_000, 9, '2005-06-30');
    for (const p of early) {
      assert.ok(p.date_of_birth <= '2005-06-30');
      if (p.role === 'child' && p.duplicate_of === null) assert.ok(ageOn(p.date_of_birth, '2005-06-30') < 18);
    }
  });
});

describe('near-duplicate slips', () => {
  it('makes a typo that keeps the first letter and changes the name', () => {
    const random = createRandom(3);
    for (const name of ['Bella', 'Anna', 'Jo', 'Catherine', 'Li']) {
      for (let i = 0; i < 200; i++) {
        const slip = typo(name, random);
        assert.notEqual(slip, name);
        assert.equal(slip.charAt(0), name.charAt(0));
      }
    }
  });

  it('finds nicknames from the matcher\'s groups', () => {
    const random = createRandom(3);
    const forms = new Set(Array.from({ length: 200 }, () => nicknameFor('William', random)));
    assert.ok(forms.has('Bill') && forms.has('Will'), [...forms].join(' '));
    assert.equal(nicknameFor('Zarran', random), undefined);
  });
});

describe('Medicare numbers and dates', () => {
  it('never repeats a number, and every number passes the check digit', () => {
    const next = createMedicareNumbers(createRandom(1));
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) {
      const number = next(i);
      assert.ok(isMedicareNumber(number), number);
      seen.add(number.slice(0, 8));
    }
    assert.equal(seen.size, 100_000);
    assert.equal(medicareCheckDigit('21234567'), 0);
  });

  it('counts days like Date does', () => {
    for (let day = epochDay('1899-12-25'); day < epochDay('2030-01-05'); day += 17) {
      assert.equal(isoDate(day), new Date(day * 86_400_000).toISOString().slice(0, 10));
      assert.equal(epochDay(isoDate(day)), day);
    }
    assert.throws(() => epochDay('2023-02-29'), /not a real date/);
  });
});

describe('frequency tables and CSV lines', () => {
  it('title-cases FEBRL names as people write them', () => {
    assert.equal(titleCase('mccarthy'), 'McCarthy');
    assert.equal(titleCase("o'brien"), "O'Brien");
    assert.equal(titleCase('lachlan-john'), 'Lachlan-John');
    assert.equal(titleCase('paul coe crescent'), 'Paul Coe Crescent');
  });

  it('writes the header and quotes only fields that need it', () => {
    assert.equal(PEOPLE_CSV_HEADER, 'external_id,given_name,family_name,date_of_birth,sex,identifier,street,suburb,postcode,state');
    const row = { ...(SAMPLE[0] as GeneratedPerson), given_name: 'Mary, Jane', family_name: 'O"Neil', street: 'Unit 4\n12 High St' };
    const line = toCsvLine(row);
    assert.ok(line.startsWith(`${row.external_id},"Mary, Jane","O""Neil",`));
    assert.ok(line.includes(',"Unit 4\n12 High St",'));
    assert.ok(!line.includes('household') && line.split(',').length >= 10);
  });
});
