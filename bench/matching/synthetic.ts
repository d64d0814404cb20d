import { generatePeople } from '../../src/features/person-index/generate/generate-people.ts';
import { identifierType } from '../../src/features/person-index/import/import-people.ts';
import type { MatchRecord } from '../../src/features/person-index/matching/types.ts';
import { toMatchAddress } from '../../src/features/person-index/record-from-database.ts';
import type { FebrlRecord } from './febrl.ts';

/**
 * Hearth-like records from `hearth generate people`: households (parents and children sharing a
 * family name and an address, twins), and near-duplicates with the slips a helpline makes
 * (typos, nicknames, swapped names, day and month swapped, a field left out, a move). FEBRL has
 * no households; these test that brothers and sisters are not taken for one child. Mapped to
 * MatchRecord as the import does. A near-duplicate's person is the original it repeats.
 */
export function syntheticRecords(count: number, seed: number): { records: FebrlRecord[]; variations: Map<string, string> } {
  const people = [...generatePeople({ count, seed, duplicateShare: 0.05 })];
  const originalOf = new Map(people.map((person) => [person.external_id, person.duplicate_of ?? person.external_id]));
  const rootOf = (id: string): string => {
    let current = id;
    for (let step = 0; step < 100; step++) {
      const next = originalOf.get(current);
      if (next === undefined || next === current) return current;
      current = next;
    }
    return current;
  };
  const variations = new Map<string, string>();
  const records = people.map((person): FebrlRecord => {
    if (person.variation !== null) variations.set(person.external_id, person.variation);
    const hasAddress = person.street !== '' || person.suburb !== '' || person.postcode !== '';
    const record: MatchRecord = {
      id: person.external_id,
      names: [{ given: person.given_name, family: person.family_name }],
      dateOfBirth: person.date_of_birth === '' ? null : person.date_of_birth,
      sex: person.sex === 'female' || person.sex === 'male' ? person.sex : null,
      addresses: hasAddress ? [toMatchAddress({ line1: person.street, line2: null, suburb: person.suburb, state: person.state || null, postcode: person.postcode || null })] : [],
      identifiers: person.identifier === '' ? [] : [`${identifierType(person.identifier)}:${person.identifier}`],
    };
    return { record, person: rootOf(person.external_id) };
  });
  return { records, variations };
}
