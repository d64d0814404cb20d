import type { MatchAddress, MatchRecord } from '../../src/features/person-index/matching/types.ts';

/** A record for matcher tests: a child, every field filled unless overridden. */
export function personRecord(overrides: Partial<Omit<MatchRecord, 'names'>> & { given?: string; family?: string } = {}): MatchRecord {
  const { given = 'Olivia', family = 'Shepherd', ...rest } = overrides;
  return {
    id: 'person-1',
    names: [{ given, family }],
    dateOfBirth: '2015-04-03',
    sex: 'female',
    addresses: [address()],
    identifiers: ['medicare:2123456701'],
    ...rest,
  };
}

export function address(overrides: Partial<MatchAddress> = {}): MatchAddress {
  return { streetNumber: '39', street: 'Burnage Place', locality: 'Rowethorpe', suburb: 'Winston Hills', postcode: '2153', state: 'NSW', ...overrides };
}
