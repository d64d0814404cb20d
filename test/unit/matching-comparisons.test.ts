import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMatcher } from '../../src/features/person-index/matching/create-matcher.ts';
import { DEFAULT_MODEL } from '../../src/features/person-index/matching/default-model.ts';
import type { Comparison, MatchQuery, MatchRecord, MatchResult } from '../../src/features/person-index/matching/types.ts';
import { address, personRecord } from './matching-support.ts';

const matcher = createMatcher(DEFAULT_MODEL);

function levelOf(result: MatchResult, field: Comparison['field'], label?: string): string | undefined {
  return result.comparisons.find((comparison) => comparison.field === field && (label === undefined || comparison.explanation.startsWith(label)))?.level;
}

function nameLevels(given: [string, string], family: [string, string]): { given?: string; family?: string } {
  const result = matcher.compare({ given: given[0], family: family[0] }, personRecord({ given: given[1], family: family[1] }));
  const levels: { given?: string; family?: string } = {};
  const g = levelOf(result, 'given_name');
  const f = levelOf(result, 'family_name');
  if (g !== undefined) levels.given = g;
  if (f !== undefined) levels.family = f;
  return levels;
}

describe('given name levels', () => {
  const cases: [string, string, string][] = [
    ['Olivia', 'OLIVIA', 'exact'],
    ['Zoë', 'Zoe', 'exact'],
    ['Kate', 'Catherine', 'nickname'],
    ['Bill', 'William', 'nickname'],
    ['Mary', 'Mary Jane', 'part'],
    ['Catherina', 'Catherine', 'typo'],
    ['Jonh', 'John', 'typo'],
    ['Philip', 'Filip', 'phonetic'],
    ['Anderson', 'Andrews', 'similar'],
    ['J', 'John', 'initial'],
    ['J.', 'Jack', 'initial'],
    ['K', 'John', 'disagree'],
    ['Olivia', 'Connor', 'disagree'],
  ];
  for (const [query, record, level] of cases) {
    it(`${query} / ${record}: ${level}`, () => assert.equal(nameLevels([query, record], ['Shepherd', 'Shepherd']).given, level));
  }

  it('missing: not known for the person, weighs nothing', () => {
    const result = matcher.compare({ given: 'Olivia', family: 'Shepherd' }, personRecord({ given: '' }));
    assert.equal(levelOf(result, 'given_name'), 'missing');
    assert.equal(result.comparisons.find((c) => c.field === 'given_name')?.weight, 0);
    assert.equal(levelOf(matcher.compare({ family: 'Shepherd' }, personRecord()), 'given_name'), undefined, 'not searched for: not spoken of');
  });
});

describe('family name levels', () => {
  const cases: [string, string, string][] = [
    ['Shepherd', 'shepherd', 'exact'],
    ['Müller', 'Mueller', 'exact'],
    ["O'Brien", 'OBrien', 'exact'],
    ['Mc Carthy', 'McCarthy', 'exact'],
    ['Smith', 'Smith-Jones', 'part'],
    ['Bonham', 'Bonham Carter', 'part'],
    ['Shepherd', 'Shephred', 'typo'],
    ['Smyth', 'Smith', 'phonetic'],
    ['Robertson', 'Robinson', 'similar'],
    ['Shepherd', 'Doosey', 'disagree'],
  ];
  for (const [query, record, level] of cases) {
    it(`${query} / ${record}: ${level}`, () => assert.equal(nameLevels(['Olivia', 'Olivia'], [query, record]).family, level));
  }
});

describe('given and family names swapped', () => {
  it('reads the names the other way round when that fits far better, at a cost', () => {
    const result = matcher.compare({ given: 'Shepherd', family: 'Olivia', dateOfBirth: { kind: 'exact', date: '2015-04-03' } }, personRecord());
    assert.equal(levelOf(result, 'given_name'), 'exact');
    assert.equal(levelOf(result, 'family_name'), 'exact');
    const swap = result.comparisons.find((c) => c.field === 'name');
    assert.equal(swap?.level, 'swapped');
    assert.ok((swap?.weight ?? 0) < 0);
    assert.equal(result.decision, 'match', 'with the date of birth, still a match');
  });

  it('also with a slip in a swapped name (FEBRL: "masno, madeline")', () => {
    const result = matcher.compare({ given: 'Masno', family: 'Madeline' }, personRecord({ given: 'Madeline', family: 'Mason' }));
    assert.equal(levelOf(result, 'name'), 'swapped');
    assert.equal(levelOf(result, 'given_name'), 'typo');
  });

  it('does not swap names that agree the right way round', () => {
    const result = matcher.compare({ given: 'Olivia', family: 'Shepherd' }, personRecord());
    assert.equal(levelOf(result, 'name'), undefined);
  });

  it('compares every name a person is known by', () => {
    const child = personRecord({ names: [{ given: 'Olivia', family: 'Shepherd' }, { given: 'Olivia', family: 'Baker' }] } as Partial<MatchRecord>);
    const result = matcher.compare({ given: 'Olivia', family: 'Baker' }, child);
    assert.equal(levelOf(result, 'family_name'), 'exact');
  });
});

describe('date of birth levels', () => {
  const cases: [string, string, string][] = [
    ['2015-04-03', '2015-04-03', 'exact'],
    ['2015-04-03', '2015-03-04', 'swapped'],
    ['2015-04-03', '2015-04-08', 'typo'],
    ['2015-04-03', '2051-04-03', 'typo'],
    ['2015-04-03', '2015-11-03', 'component'],
    ['2015-04-03', '2014-04-03', 'typo'],
    ['2015-04-03', '2009-04-03', 'component'],
    ['2015-04-03', '2015-09-21', 'year'],
    ['2015-04-03', '2016-09-21', 'near_year'],
    ['2015-04-03', '1990-12-25', 'disagree'],
  ];
  for (const [query, record, level] of cases) {
    it(`${query} / ${record}: ${level}`, () => {
      const result = matcher.compare({ given: 'Olivia', dateOfBirth: { kind: 'exact', date: query } }, personRecord({ dateOfBirth: record }));
      assert.equal(levelOf(result, 'date_of_birth'), level);
    });
  }

  it('weighs the levels in order: exact, then swapped, slips, and so on down to disagree', () => {
    const weight = (record: string): number =>
      matcher.compare({ dateOfBirth: { kind: 'exact', date: '2015-04-03' } }, personRecord({ dateOfBirth: record })).comparisons.find((c) => c.field === 'date_of_birth')?.weight ?? 0;
    const weights = ['2015-04-03', '2015-03-04', '2015-04-08', '2015-11-03', '2015-09-21', '1990-12-25'].map(weight);
    for (let i = 1; i < weights.length; i++) assert.ok((weights[i - 1] ?? 0) > (weights[i] ?? 0), weights.join(', '));
    assert.ok((weights.at(-1) ?? 0) < 0);
  });

  it('missing on either side weighs nothing', () => {
    const result = matcher.compare({ given: 'Olivia', dateOfBirth: { kind: 'exact', date: '2015-04-03' } }, personRecord({ dateOfBirth: null }));
    assert.equal(levelOf(result, 'date_of_birth'), 'missing');
    assert.equal(result.comparisons.find((c) => c.field === 'date_of_birth')?.weight, 0);
  });
});

describe('partial dates and age ranges', () => {
  const dateWeight = (query: MatchQuery): { level: string | undefined; weight: number } => {
    const comparison = matcher.compare(query, personRecord()).comparisons.find((c) => c.field === 'date_of_birth');
    return { level: comparison?.level, weight: comparison?.weight ?? 0 };
  };

  it('a partial date agrees on what was asked, and counts less the less was asked', () => {
    const year = dateWeight({ dateOfBirth: { kind: 'partial', year: 2015 } });
    const yearMonth = dateWeight({ dateOfBirth: { kind: 'partial', year: 2015, month: 4 } });
    const full = dateWeight({ dateOfBirth: { kind: 'exact', date: '2015-04-03' } });
    assert.equal(year.level, 'partial');
    assert.equal(yearMonth.level, 'partial');
    assert.ok(year.weight > 0 && yearMonth.weight > year.weight && full.weight > yearMonth.weight);
  });

  it('a partial date a year out is near; one that does not fit disagrees', () => {
    assert.equal(dateWeight({ dateOfBirth: { kind: 'partial', year: 2016 } }).level, 'near_year');
    assert.equal(dateWeight({ dateOfBirth: { kind: 'partial', year: 2015, month: 5 } }).level, 'disagree');
    assert.equal(dateWeight({ dateOfBirth: { kind: 'partial', month: 4, day: 3 } }).level, 'partial');
  });

  it('an age range agrees when the person was that age on the day asked', () => {
    // Born 3 April 2015: aged 10 on 15 June 2025.
    assert.equal(dateWeight({ dateOfBirth: { kind: 'age', from: 9, to: 11, today: '2025-06-15' } }).level, 'age_range');
    assert.equal(dateWeight({ dateOfBirth: { kind: 'age', from: 10, to: 10, today: '2025-06-15' } }).level, 'age_range');
    assert.equal(dateWeight({ dateOfBirth: { kind: 'age', from: 10, to: 10, today: '2025-04-02' } }).level, 'near_age_range', 'the day before the tenth birthday');
    assert.equal(dateWeight({ dateOfBirth: { kind: 'age', from: 11, to: 12, today: '2025-06-15' } }).level, 'near_age_range');
    assert.equal(dateWeight({ dateOfBirth: { kind: 'age', from: 30, to: 40, today: '2025-06-15' } }).level, 'disagree');
  });

  it('a narrow age range counts more than a wide one', () => {
    const narrow = dateWeight({ dateOfBirth: { kind: 'age', from: 10, to: 10, today: '2025-06-15' } });
    const wide = dateWeight({ dateOfBirth: { kind: 'age', from: 5, to: 15, today: '2025-06-15' } });
    assert.ok(narrow.weight > wide.weight && wide.weight >= 0);
  });

  it('ignores a range that makes no sense', () => {
    assert.deepEqual(dateWeight({ dateOfBirth: { kind: 'age', from: 12, to: 3, today: '2025-06-15' } }), { level: undefined, weight: 0 });
  });
});

describe('sex, address and identifier levels', () => {
  it('sex: the same, different, or not known', () => {
    assert.equal(levelOf(matcher.compare({ sex: 'female' }, personRecord()), 'sex'), 'exact');
    assert.equal(levelOf(matcher.compare({ sex: 'male' }, personRecord()), 'sex'), 'disagree');
    assert.equal(levelOf(matcher.compare({ sex: 'male' }, personRecord({ sex: null })), 'sex'), 'missing');
  });

  it('address pieces: street number, street, line, suburb, postcode and state each compared', () => {
    const result = matcher.compare(
      { address: { streetNumber: '39', street: 'Burnage Pl', locality: 'Rowe thorpe', suburb: 'Winston Hils', postcode: '2135', state: 'New South Wales' } },
      personRecord(),
    );
    assert.equal(levelOf(result, 'address', 'Street number'), 'exact');
    assert.equal(levelOf(result, 'address', 'Street:'), 'exact');
    assert.equal(levelOf(result, 'address', 'Address line'), 'exact');
    assert.equal(levelOf(result, 'suburb'), 'typo');
    assert.equal(levelOf(result, 'postcode'), 'typo');
    assert.equal(levelOf(result, 'address', 'State'), 'exact');
  });

  it('address lines written in the other order still agree', () => {
    const result = matcher.compare({ address: { street: 'Rowethorpe', locality: 'Burnage Place' } }, personRecord());
    assert.equal(levelOf(result, 'address', 'Street:'), 'exact');
    assert.match(result.comparisons.find((c) => c.explanation.startsWith('Street:'))?.explanation ?? '', /other address line/);
  });

  it('an address that disagrees everywhere counts no more against than a move does', () => {
    const moved = matcher.compare(personRecord({ addresses: [address({ streetNumber: '7', street: 'Wallaby Place', locality: 'Delmar', suburb: 'Cleveland', postcode: '4163', state: 'QLD' })] }), personRecord());
    const addressWeight = moved.comparisons.filter((c) => c.field === 'address' || c.field === 'suburb' || c.field === 'postcode').reduce((sum, c) => sum + c.weight, 0);
    assert.ok(Math.abs(addressWeight - Math.log2(DEFAULT_MODEL.movedProbability)) < 1e-9);
    assert.equal(levelOf(moved, 'address', 'Address:'), 'moved');
    assert.equal(moved.decision, 'match', 'same child, new address');
  });

  it('identifiers: exact, one slip, or different; only between the same kind', () => {
    assert.equal(levelOf(matcher.compare({ identifier: 'medicare:2123456701' }, personRecord()), 'identifier'), 'exact');
    assert.equal(levelOf(matcher.compare({ identifier: 'medicare:2123456710' }, personRecord()), 'identifier'), 'typo');
    assert.equal(levelOf(matcher.compare({ identifier: 'medicare:5550001119' }, personRecord()), 'identifier'), 'disagree');
    assert.equal(levelOf(matcher.compare({ identifier: 'nhs:9434765919' }, personRecord()), 'identifier'), 'missing');
  });

  it('an identifier is evidence, not the whole answer: the same number on a different person is not a match', () => {
    const other = personRecord({ given: 'Connor', family: 'Doosey', dateOfBirth: '1990-12-25', sex: 'male', addresses: [address({ streetNumber: '7', street: 'Wallaby Place', locality: 'Delmar', suburb: 'Cleveland', postcode: '4163', state: 'QLD' })] });
    const result = matcher.compare(personRecord(), other);
    assert.equal(levelOf(result, 'identifier'), 'exact');
    assert.notEqual(result.decision, 'match');
  });
});

describe('the result', () => {
  it('weight is the sum of the comparisons; probability and decision follow from it and the prior', () => {
    const result = matcher.compare({ given: 'Kate', family: 'Smyth', dateOfBirth: { kind: 'exact', date: '2015-03-04' } }, personRecord({ given: 'Catherine', family: 'Smith' }));
    const sum = result.comparisons.reduce((total, c) => total + c.weight, 0);
    assert.ok(Math.abs(result.weight - sum) < 1e-9);
    const priorOdds = DEFAULT_MODEL.priorMatchProbability / (1 - DEFAULT_MODEL.priorMatchProbability);
    const odds = priorOdds * 2 ** result.weight;
    assert.ok(Math.abs(result.probability - odds / (1 + odds)) < 1e-9);
    assert.equal(result.decision, result.probability >= 0.5 ? 'match' : result.probability >= 0.05 ? 'possible' : 'non-match');
    const withAddress = matcher.compare({ given: 'Kate', family: 'Smyth', dateOfBirth: { kind: 'exact', date: '2015-03-04' }, address: { postcode: '2153', street: 'Burnage Place' } }, personRecord({ given: 'Catherine', family: 'Smith' }));
    assert.equal(withAddress.decision, 'match', 'a nickname, a sound-alike and a swapped date, at the same address');
  });

  it('a record compared with itself is a match; with a stranger, a non-match', () => {
    assert.equal(matcher.compare(personRecord(), personRecord()).decision, 'match');
    const stranger = personRecord({ given: 'Connor', family: 'Doosey', dateOfBirth: '1990-12-25', sex: 'male', identifiers: [], addresses: [address({ streetNumber: '7', street: 'Wallaby Place', locality: null, suburb: 'Cleveland', postcode: '4163', state: 'QLD' })] });
    assert.equal(matcher.compare(personRecord(), stranger).decision, 'non-match');
  });

  it('an empty query says nothing and decides nothing', () => {
    const result = matcher.compare({}, personRecord());
    assert.equal(result.weight, 0);
    assert.deepEqual(result.comparisons, []);
    assert.equal(result.decision, 'non-match');
  });

  it('between two records, speaks of a field only one of them holds', () => {
    const result = matcher.compare(personRecord({ dateOfBirth: null }), personRecord());
    assert.equal(result.comparisons.find((c) => c.field === 'date_of_birth')?.level, 'missing');
  });

  it('scorePrepared gives the same weight as comparePrepared, without the words', () => {
    const query = matcher.prepare({ given: 'Bill', family: 'Shepherd', dateOfBirth: { kind: 'exact', date: '2015-04-03' } });
    const candidate = matcher.prepare(personRecord({ given: 'William' }));
    const scored = matcher.scorePrepared(query, candidate);
    const compared = matcher.comparePrepared(query, candidate);
    assert.equal(scored.weight, compared.weight);
    assert.ok(scored.comparisons.every((c) => c.explanation === ''));
    assert.ok(compared.comparisons.every((c) => c.explanation !== ''));
  });
});
