import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createMatcher } from '../../src/features/person-index/matching/create-matcher.ts';
import { slipsInFirstLetters } from '../../src/features/person-index/matching/name-slips.ts';
import { DEFAULT_MODEL } from '../../src/features/person-index/matching/default-model.ts';
import type { MatchQuery, MatchRecord } from '../../src/features/person-index/matching/types.ts';
import { address, personRecord } from './matching-support.ts';

const matcher = createMatcher(DEFAULT_MODEL);

function sharesKey(query: MatchQuery, record: MatchRecord): boolean {
  const stored = new Set(matcher.keysForRecord(record));
  return matcher.keysForQuery(query).some((key) => stored.has(key));
}

const child = personRecord({ given: 'William', family: 'Shepherd', dateOfBirth: '2015-04-03', identifiers: [], addresses: [] });

describe('blocking keys: a true match shares a key with its query', () => {
  const cases: [string, MatchQuery][] = [
    ['exact', { given: 'William', family: 'Shepherd', dateOfBirth: { kind: 'exact', date: '2015-04-03' } }],
    ['names only', { given: 'William', family: 'Shepherd' }],
    ['a nickname, no date', { given: 'Bill', family: 'Shepherd' }],
    ['a misspelt family name, no date', { given: 'William', family: 'Shepehrd' }],
    ['a misspelt given name, no date', { given: 'Wiliam', family: 'Shepherd' }],
    ['a phonetic spelling', { given: 'William', family: 'Shepard' }],
    ['a nickname and a misspelt family name', { given: 'Bill', family: 'Shepehrd' }],
    ['names swapped', { given: 'Shepherd', family: 'William' }],
    ['names swapped and misspelt', { given: 'Shepehrd', family: 'William' }],
    ['day and month swapped, family name wrong', { given: 'William', family: 'Jones', dateOfBirth: { kind: 'exact', date: '2015-03-04' } }],
    ['both names wrong, date right', { given: 'Connor', family: 'Doosey', dateOfBirth: { kind: 'exact', date: '2015-04-03' } }],
    ['given name missing, date right', { family: 'Shepherd', dateOfBirth: { kind: 'exact', date: '2015-04-03' } }],
    ['family name missing, year only', { given: 'William', dateOfBirth: { kind: 'partial', year: 2015 } }],
    ['family name wrong, date wrong in the day', { given: 'William', family: 'Jones', dateOfBirth: { kind: 'exact', date: '2015-04-13' } }],
    ['family name wrong, age range', { given: 'Bill', family: 'Jones', dateOfBirth: { kind: 'age', from: 9, to: 11, today: '2025-06-15' } }],
    ['part of a double-barrelled name', { given: 'William', family: 'Shepherd-Smith' }],
    ['diacritics and punctuation', { given: 'Wílliam', family: 'SHEPHERD.' }],
  ];
  for (const [label, query] of cases) {
    it(label, () => assert.ok(sharesKey(query, child), JSON.stringify(query)));
  }

  it('a family name given in part finds the double-barrelled record', () => {
    assert.ok(sharesKey({ given: 'Olivia', family: 'Bonham' }, personRecord({ family: 'Bonham Carter', identifiers: [], addresses: [], dateOfBirth: null })));
  });

  it('the identifier alone, when everything else is wrong', () => {
    assert.ok(sharesKey({ given: 'Connor', family: 'Doosey', identifier: 'medicare:2123456701' }, personRecord()));
  });

  it('the address, when names and date are wrong or unknown', () => {
    assert.ok(sharesKey({ given: 'Connor', family: 'Doosey', address: { streetNumber: '39', street: 'Burnage Pl' } }, personRecord()));
    assert.ok(sharesKey({ given: 'Connor', address: { street: 'Burnage Place', suburb: 'Winston Hills' } }, personRecord()));
    assert.ok(sharesKey({ given: 'Olivia', family: 'Doosey', address: { postcode: '2153' } }, personRecord()));
  });

  // A slip in the first three letters is met through the index's known spellings: person-search.test.ts.
  it('any single slip after the third letter of either name still shares a key (the other name right)', () => {
    const slip = (name: string) =>
      fc.tuple(fc.integer({ min: 3, max: name.length - 1 }), fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), fc.constantFrom('replace', 'insert', 'delete', 'swap')).map(([at, letter, kind]) => {
        if (kind === 'replace') return name.slice(0, at) + letter + name.slice(at + 1);
        if (kind === 'insert') return name.slice(0, at) + letter + name.slice(at);
        if (kind === 'delete') return name.slice(0, at) + name.slice(at + 1);
        return at + 1 < name.length ? name.slice(0, at) + (name[at + 1] ?? '') + (name[at] ?? '') + name.slice(at + 2) : name;
      });
    fc.assert(fc.property(slip('shepherd'), (family) => sharesKey({ given: 'William', family }, child)));
    fc.assert(fc.property(slip('william'), (given) => sharesKey({ given, family: 'Shepherd' }, child)));
  });
});

describe('blocking keys: what is stored', () => {
  it('keeps the number of keys per person modest', () => {
    const records = [
      personRecord(),
      personRecord({ given: 'Christopher', family: 'Featherstonehaugh-Wainwright', names: [{ given: 'Christopher', family: 'Featherstonehaugh-Wainwright' }] } as Partial<MatchRecord>),
      personRecord({ addresses: [address(), address({ streetNumber: '7', street: 'Wallaby Place', suburb: 'Cleveland', postcode: '4163' })] }),
    ];
    for (const record of records) {
      const keys = matcher.keysForRecord(record);
      assert.ok(keys.length <= 30, `${keys.length} keys`);
      assert.equal(new Set(keys).size, keys.length, 'no key twice');
    }
  });

  it('gives no keys for a person with nothing to match on, and copes with odd input', () => {
    assert.deepEqual(matcher.keysForRecord({ id: 'x', names: [], dateOfBirth: null, sex: null, addresses: [], identifiers: [] }), []);
    assert.deepEqual(matcher.keysForQuery({}), []);
    assert.ok(matcher.keysForQuery({ given: 'x'.repeat(10_000), family: '\u0000\u0007' }).length < 50);
  });

  it('stores a child with one name, a date of birth, an address and an identifier under about a dozen keys', () => {
    const keys = matcher.keysForRecord(personRecord());
    assert.ok(keys.length >= 8 && keys.length <= 16, `${keys.length} keys: ${keys.join(' ')}`);
    assert.ok(!keys.some((key) => key.startsWith('dv:')), 'no deletion variants: slips in the first letters are met through known spellings');
  });
});

describe('known spellings one slip away in the first letters', () => {
  it('lists every name a slip in the first three letters makes, and nothing further on', () => {
    const slips = new Set(slipsInFirstLetters('john'));
    for (const slip of ['ojhn', 'jhon', 'ohn', 'jhn', 'xohn', 'jxhn', 'joxn', 'xjohn', 'jxohn', 'joxhn']) assert.ok(slips.has(slip), slip);
    for (const far of ['john', 'johx', 'johm', 'johnx', 'xxhn']) assert.ok(!slips.has(far), far);
    assert.ok(slips.size < 200, `${slips.size} names to look up`);
  });

  it('copes with a name of one or two letters', () => {
    assert.ok(slipsInFirstLetters('al').includes('la'));
    assert.deepEqual(slipsInFirstLetters(''), []);
  });
});
