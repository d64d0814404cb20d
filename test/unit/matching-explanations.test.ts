import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMatcher } from '../../src/features/person-index/matching/create-matcher.ts';
import { DEFAULT_MODEL } from '../../src/features/person-index/matching/default-model.ts';
import type { MatchQuery, MatchRecord } from '../../src/features/person-index/matching/types.ts';
import { address, personRecord } from './matching-support.ts';

const matcher = createMatcher(DEFAULT_MODEL);

function explanations(query: MatchQuery | MatchRecord, record: MatchRecord): string[] {
  return matcher.compare(query, record).comparisons.map((comparison) => comparison.explanation);
}

describe('explanations a helpline worker reads', () => {
  it('says which names agree, and how', () => {
    const words = explanations({ given: 'Kate', family: 'Smyth' }, personRecord({ given: 'Catherine', family: 'Smith' }));
    assert.deepEqual(words, ['Given name: "Kate" is a short form of "Catherine"', 'Family name: "Smyth" sounds like "Smith"']);
    assert.deepEqual(explanations({ given: 'Catherine' }, personRecord({ given: 'Kate' })), ['Given name: "Kate" is a short form of "Catherine"']);
    assert.deepEqual(explanations({ given: 'Olivia' }, personRecord()), ['Given name: "Olivia" agrees']);
    assert.deepEqual(explanations({ given: 'zoe' }, personRecord({ given: 'Zoë' })), ['Given name: "zoe" and "Zoë" are the same name']);
    assert.deepEqual(explanations({ given: 'Olivai' }, personRecord()), ['Given name: "Olivai" looks like a misspelling of "Olivia"']);
    assert.deepEqual(explanations({ family: 'Smith' }, personRecord({ family: 'Smith-Jones' })), ['Family name: "Smith" is part of "Smith-Jones"']);
    assert.deepEqual(explanations({ given: 'J' }, personRecord({ given: 'John' })), ['Given name: the initial "J" fits "John"']);
    assert.deepEqual(explanations({ given: 'Connor' }, personRecord()), ['Given name: "Connor" differs from "Olivia"']);
  });

  it('says when names were read the other way round', () => {
    const words = explanations({ given: 'Shepherd', family: 'Olivia' }, personRecord());
    assert.ok(words.includes('Given name (as family name): "Shepherd" agrees'), words.join('\n'));
    assert.ok(words.includes('Names: given and family names swapped ("Shepherd Olivia" vs "Olivia Shepherd")'), words.join('\n'));
  });

  it('describes dates the way they are written here, day first', () => {
    const date = (query: string, record: string): string | undefined =>
      explanations({ dateOfBirth: { kind: 'exact', date: query } }, personRecord({ dateOfBirth: record }))[0];
    assert.equal(date('2015-04-03', '2015-04-03'), 'Date of birth: 3/4/2015 agrees');
    assert.equal(date('2015-04-03', '2015-03-04'), 'Date of birth: day and month swapped (3/4 vs 4/3, 2015)');
    assert.equal(date('2015-04-03', '2015-04-08'), 'Date of birth: one digit different (3/4/2015 vs 8/4/2015)');
    assert.equal(date('2015-04-03', '2016-09-21'), 'Date of birth: born a year apart (3/4/2015 vs 21/9/2016)');
    assert.equal(date('2015-04-03', '1990-12-25'), 'Date of birth: 3/4/2015 differs from 25/12/1990');
    assert.equal(explanations({ dateOfBirth: { kind: 'exact', date: '2015-04-03' } }, personRecord({ dateOfBirth: null }))[0], 'Date of birth: not recorded for this person');
  });

  it('describes partial dates and ages as searched', () => {
    assert.deepEqual(explanations({ dateOfBirth: { kind: 'partial', year: 2015 } }, personRecord()), ['Date of birth: 3/4/2015 fits year 2015, as searched']);
    assert.deepEqual(explanations({ dateOfBirth: { kind: 'age', from: 9, to: 11, today: '2025-06-15' } }, personRecord()), ['Date of birth: 3/4/2015 fits aged 9 to 11, as searched']);
    assert.deepEqual(explanations({ dateOfBirth: { kind: 'age', from: 30, to: 30, today: '2025-06-15' } }, personRecord()), ['Date of birth: 3/4/2015 does not fit aged 30']);
  });

  it('speaks of each piece of an address, and of a move', () => {
    assert.deepEqual(explanations({ address: { postcode: '2135', suburb: 'winston hills' } }, personRecord()), [
      'Suburb: "winston hills" and "Winston Hills" are the same',
      'Postcode: "2135" looks like a misspelling of "2153"',
    ]);
    const moved = explanations({ address: { streetNumber: '7', street: 'Wallaby Place', suburb: 'Cleveland', postcode: '4163' } }, personRecord({ addresses: [address()] }));
    assert.ok(moved.some((words) => words.startsWith('Address: nothing in the address agrees; people move')), moved.join('\n'));
  });

  it('names the kind of identifier', () => {
    assert.deepEqual(explanations({ identifier: 'medicare:2123456701' }, personRecord()), ['Identifier (medicare): 2123456701 agrees']);
    assert.deepEqual(explanations({ identifier: 'medicare:2123456710' }, personRecord()), ['Identifier (medicare): one character different (2123456710 vs 2123456701)']);
    assert.deepEqual(explanations({ identifier: 'nhs:9434765919' }, personRecord()), ['Identifier (nhs): none of this kind recorded for this person']);
  });

  it('gives every comparison words, a field and a finite weight', () => {
    const result = matcher.compare(personRecord({ given: 'Bill', family: 'Smyth-Jones', dateOfBirth: '2015-03-04' }), personRecord({ given: 'William', family: 'Smith' }));
    for (const comparison of result.comparisons) {
      assert.ok(comparison.explanation.length > 0);
      assert.ok(Number.isFinite(comparison.weight));
    }
  });
});
