import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMatcher } from '../../src/features/person-index/matching/create-matcher.ts';
import { DEFAULT_MODEL } from '../../src/features/person-index/matching/default-model.ts';
import { estimateModel } from '../../src/features/person-index/matching/estimate-model.ts';
import { FIELD_LEVELS, MODEL_FIELDS, weightTableOf, withPopulation } from '../../src/features/person-index/matching/model.ts';
import { countNameFrequencies, nameFrequencyKey, nameTermsOfQuery, nameTermsOfRecord } from '../../src/features/person-index/matching/name-frequencies.ts';
import type { MatchModel, MatchRecord, NameFrequencies } from '../../src/features/person-index/matching/types.ts';
import { personRecord } from './matching-support.ts';

function frequencies(given: Record<string, number>, family: Record<string, number>): NameFrequencies {
  return { given: (name) => given[name], family: (name) => family[name] };
}

function familyWeight(matcher: ReturnType<typeof createMatcher>, family: string): number {
  return matcher.compare({ family }, personRecord({ family })).comparisons.find((c) => c.field === 'family_name')?.weight ?? Number.NaN;
}

describe('rare names count more than common ones', () => {
  const matcher = createMatcher(DEFAULT_MODEL, frequencies({ jack: 0.02, zebedee: 0.00002 }, { smith: 0.01, featherstonehaugh: 0.00001 }));

  it('an exact family name weighs log2(m / its share of people)', () => {
    const smith = familyWeight(matcher, 'Smith');
    const rare = familyWeight(matcher, 'Featherstonehaugh');
    assert.ok(rare > smith + 5, `${rare} vs ${smith}`);
    assert.ok(Math.abs(smith - Math.log2((DEFAULT_MODEL.fields.family_name['exact']?.m ?? 0) / 0.01)) < 1e-9);
  });

  it('the same for given names', () => {
    const given = (name: string): number => matcher.compare({ given: name }, personRecord({ given: name })).comparisons[0]?.weight ?? Number.NaN;
    assert.ok(given('Zebedee') > given('Jack') + 5);
  });

  it('a name the frequencies do not know weighs the model’s average', () => {
    assert.equal(familyWeight(matcher, 'Unheardof'), familyWeight(createMatcher(DEFAULT_MODEL), 'Unheardof'));
  });

  it('no single name outweighs everything: the share is floored', () => {
    const tiny = createMatcher(DEFAULT_MODEL, frequencies({}, { x: 1e-15 }));
    assert.ok(familyWeight(tiny, 'X') <= Math.log2(1 / DEFAULT_MODEL.minimumNameFrequency));
  });

  it('names the terms to count for a record and to fetch for a query (both roles, both spellings)', () => {
    assert.deepEqual(nameTermsOfRecord(personRecord({ names: [{ given: 'Zoë', family: 'Smith' }, { given: 'Zoe', family: 'Jones' }] } as Partial<MatchRecord>)), { given: ['zoe'], family: ['smith', 'jones'] });
    const terms = nameTermsOfQuery({ given: 'Jörg', family: 'Müller' });
    assert.deepEqual([...terms.given].sort(), ['joerg', 'jorg', 'mueller', 'muller']);
    assert.deepEqual(terms.family, terms.given);
  });

  it('counts frequencies over records by the folded name', () => {
    const counted = countNameFrequencies([personRecord({ family: 'Smith' }), personRecord({ family: 'SMITH' }), personRecord({ family: 'Müller' }), personRecord({ family: 'Jones' })]);
    assert.equal(counted.family(nameFrequencyKey('Smith') ?? ''), 0.5);
    assert.equal(counted.family('muller'), 0.25);
    assert.equal(counted.family('nobody'), undefined);
  });
});

describe('the model', () => {
  it('has m and u for every level of every field, each a probability, m summing to 1', () => {
    for (const field of MODEL_FIELDS) {
      let total = 0;
      for (const level of FIELD_LEVELS[field]) {
        const p = DEFAULT_MODEL.fields[field][level];
        assert.ok(p !== undefined && p.m > 0 && p.m <= 1 && p.u > 0 && p.u <= 1, `${field} ${level}`);
        total += p.m;
      }
      assert.ok(Math.abs(total - 1) < 0.011, `${field} m sums to ${total}`);
    }
  });

  it('never lets a partial agreement count more against than plain disagreement', () => {
    const model: MatchModel = { ...DEFAULT_MODEL, fields: { ...DEFAULT_MODEL.fields, date_of_birth: { ...DEFAULT_MODEL.fields.date_of_birth, near_year: { m: 1e-9, u: 0.04 } } } };
    const weights = weightTableOf(model);
    assert.equal(weights.date_of_birth['near_year'], weights.date_of_birth['disagree']);
  });

  it('sets the prior for the size of the index searched', () => {
    assert.equal(withPopulation(DEFAULT_MODEL, 2_000_000).priorMatchProbability, 1 / 2_000_000);
    const small = createMatcher(withPopulation(DEFAULT_MODEL, 100));
    const large = createMatcher(withPopulation(DEFAULT_MODEL, 2_000_000));
    const query = { given: 'Olivia', family: 'Shepherd' };
    assert.ok(small.compare(query, personRecord()).probability > large.compare(query, personRecord()).probability);
  });
});

/** A small deterministic population with slipped copies: what a register looks like. */
function syntheticRegister(): { records: MatchRecord[]; duplicates: [string, string][] } {
  const givens = ['olivia', 'jack', 'charlotte', 'william', 'amelia', 'noah', 'isla', 'oliver', 'mia', 'leo', 'ava', 'henry', 'grace', 'thomas', 'zoe', 'lucas'];
  const families = ['smith', 'jones', 'williams', 'brown', 'wilson', 'taylor', 'nguyen', 'johnson', 'martin', 'white', 'anderson', 'walker', 'thompson', 'harris', 'ryan', 'kelly', 'lee', 'king'];
  const suburbs = ['parramatta', 'blacktown', 'penrith', 'liverpool', 'campbelltown', 'hornsby', 'manly', 'bondi'];
  let seed = 7;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const records: MatchRecord[] = [];
  const duplicates: [string, string][] = [];
  for (let i = 0; i < 300; i++) {
    const record: MatchRecord = {
      id: `p${i}`,
      names: [{ given: givens[next(givens.length)] ?? '', family: families[next(families.length)] ?? '' }],
      dateOfBirth: `${2005 + next(15)}-${String(1 + next(12)).padStart(2, '0')}-${String(1 + next(28)).padStart(2, '0')}`,
      sex: next(2) === 0 ? 'female' : 'male',
      addresses: [{ streetNumber: String(1 + next(120)), street: `${families[next(families.length)] ?? ''} street`, locality: null, suburb: suburbs[next(suburbs.length)] ?? '', postcode: String(2000 + next(200)), state: 'nsw' }],
      identifiers: [],
    };
    records.push(record);
    if (i % 2 === 0) {
      const name = record.names[0] ?? { given: '', family: '' };
      const slipped = next(3) === 0 ? `${name.family.slice(0, 2)}${name.family.slice(3, 4)}${name.family.slice(2, 3)}${name.family.slice(4)}` : name.family;
      records.push({ ...record, id: `p${i}-copy`, names: [{ given: next(4) === 0 ? '' : name.given, family: slipped }], dateOfBirth: next(5) === 0 ? null : record.dateOfBirth });
      duplicates.push([`p${i}`, `p${i}-copy`]);
    }
  }
  return { records, duplicates };
}

describe('estimateModel: learning m by EM, u from random pairs, without labels', () => {
  const { records, duplicates } = syntheticRegister();
  const learned = estimateModel({ records, randomPairs: 20_000 });

  it('learns that agreement is common among matches and rare among strangers', () => {
    const { fields } = learned.model;
    assert.ok((fields.date_of_birth['exact']?.m ?? 0) > 0.8);
    assert.ok((fields.date_of_birth['exact']?.u ?? 1) < 0.01);
    assert.ok((fields.given_name['exact']?.m ?? 0) > 0.8);
    assert.ok((fields.given_name['exact']?.u ?? 1) > 0.03, 'sixteen given names: strangers often share one');
    assert.ok((fields.suburb['exact']?.u ?? 0) > 0.08, 'eight suburbs');
  });

  it('learns a prior near the share of pairs that match', () => {
    const share = duplicates.length / ((records.length * (records.length - 1)) / 2);
    assert.ok(learned.model.priorMatchProbability > share / 3 && learned.model.priorMatchProbability < share * 3, `${learned.model.priorMatchProbability} vs ${share}`);
    assert.ok(Math.abs(learned.expectedMatches - duplicates.length) < duplicates.length * 0.2);
  });

  it('finds the duplicates with the learned model and its frequencies', () => {
    const matcher = createMatcher(learned.model, learned.frequencies);
    const byId = new Map(records.map((record) => [record.id, record]));
    const found = duplicates.filter(([a, b]) => matcher.compare(byId.get(a) ?? personRecord(), byId.get(b) ?? personRecord()).decision === 'match').length;
    assert.ok(found >= duplicates.length * 0.95, `${found} of ${duplicates.length}`);
  });

  it('keeps the starting model’s thresholds, and is repeatable', () => {
    assert.deepEqual(learned.model.thresholds, DEFAULT_MODEL.thresholds);
    assert.deepEqual(estimateModel({ records, randomPairs: 20_000 }).model, learned.model);
  });
});
