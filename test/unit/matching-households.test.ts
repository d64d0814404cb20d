import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMatcher } from '../../src/features/person-index/matching/create-matcher.ts';
import { DEFAULT_MODEL } from '../../src/features/person-index/matching/default-model.ts';
import { estimateModel } from '../../src/features/person-index/matching/estimate-model.ts';
import { withPopulation } from '../../src/features/person-index/matching/model.ts';
import type { MatchRecord } from '../../src/features/person-index/matching/types.ts';
import { address, personRecord } from './matching-support.ts';

/** A family at one address, as a register holds them: no identifiers, to make it hard. */
function familyMember(given: string, dateOfBirth: string, sex: 'female' | 'male', id = given): MatchRecord {
  return personRecord({ id, given, family: 'Campbell', dateOfBirth, sex, identifiers: [], addresses: [address()] });
}

describe('the household rule: brothers and sisters are not one child', () => {
  const matcher = createMatcher(withPopulation(DEFAULT_MODEL, 100_000));

  it('siblings at one address, with the same family name, are not a match', () => {
    const result = matcher.compare(familyMember('Seth', '2014-05-24', 'male'), familyMember('Melissa', '2017-08-09', 'female'));
    assert.equal(result.decision, 'non-match');
    const household = result.comparisons.find((c) => c.level === 'household');
    assert.ok(household !== undefined && household.weight < 0);
    assert.match(household.explanation, /^Household: the family name and address could as well belong to another member of the same family/);
  });

  it('twins with different given names are at most a possible match, for a person to look at', () => {
    const result = matcher.compare(familyMember('Marcus', '2014-04-22', 'male'), familyMember('Oliver', '2014-04-22', 'male'));
    assert.notEqual(result.decision, 'match');
  });

  it('one child recorded twice at the same address is still a match', () => {
    const result = matcher.compare(familyMember('Melissa', '2017-08-09', 'female', 'a'), familyMember('Mellissa', '2017-08-09', 'female', 'b'));
    assert.equal(result.decision, 'match');
  });

  it('has no say between people at different addresses', () => {
    const moved = personRecord({ identifiers: [], addresses: [address({ streetNumber: '7', street: 'Wallaby Place', locality: null, suburb: 'Cleveland', postcode: '4163', state: 'QLD' })] });
    const result = matcher.compare(personRecord({ identifiers: [] }), moved);
    assert.equal(result.comparisons.find((c) => c.level === 'household'), undefined);
  });

  it('is not applied by a model without household parameters', () => {
    const { household: _household, ...strangersOnly } = withPopulation(DEFAULT_MODEL, 100_000);
    const result = createMatcher(strangersOnly).compare(familyMember('Seth', '2014-05-24', 'male'), familyMember('Melissa', '2017-08-09', 'female'));
    assert.equal(result.comparisons.find((c) => c.level === 'household'), undefined);
  });
});

describe('estimateModel learns how many look-alike pairs are families', () => {
  const givens = ['olivia', 'jack', 'charlotte', 'william', 'amelia', 'noah', 'isla', 'oliver', 'mia', 'leo', 'ava', 'henry'];
  const families = ['smith', 'jones', 'nguyen', 'brown', 'wilson', 'taylor', 'martin', 'white', 'walker', 'harris', 'ryan', 'kelly', 'king', 'lee'];

  function register(withHouseholds: boolean): MatchRecord[] {
    const records: MatchRecord[] = [];
    for (let h = 0; h < 150; h++) {
      const family = `${families[h % families.length] ?? ''}${Math.floor(h / families.length)}`;
      const home = address({ streetNumber: String(h + 1), street: `${families[(h * 5) % families.length] ?? ''} street`, suburb: `suburb ${h % 9}`, postcode: String(2000 + (h % 40)) });
      const size = withHouseholds ? 3 : 1;
      for (let k = 0; k < size; k++) {
        const given = givens[(h * 3 + k * 5) % givens.length] ?? '';
        const dateOfBirth = `${2005 + ((h + k * 3) % 15)}-${String(1 + ((h + k) % 12)).padStart(2, '0')}-${String(1 + ((h * 7 + k) % 28)).padStart(2, '0')}`;
        const person: MatchRecord = { id: `h${h}-${k}`, names: [{ given, family }], dateOfBirth, sex: k % 2 === 0 ? 'female' : 'male', addresses: [home], identifiers: [] };
        records.push(person);
        if ((h + k) % 4 === 0) records.push({ ...person, id: `${person.id}-again`, names: [{ given, family: family.replace(/(.)(.)$/, '$2$1') }] });
      }
    }
    return records;
  }

  it('a register of families: a household share well above zero, and siblings kept apart', () => {
    const records = register(true);
    const learned = estimateModel({ records, randomPairs: 20_000 });
    assert.ok((learned.model.household?.share ?? 0) > 0.2, `share ${learned.model.household?.share}`);
    const matcher = createMatcher(learned.model, learned.frequencies);
    const byId = new Map(records.map((record) => [record.id, record]));
    const sibling = matcher.compare(byId.get('h1-0') ?? personRecord(), byId.get('h1-1') ?? personRecord());
    assert.notEqual(sibling.decision, 'match');
    const again = matcher.compare(byId.get('h3-1') ?? personRecord(), byId.get('h3-1-again') ?? personRecord());
    assert.equal(again.decision, 'match');
  });

  it('a file of single people: a household share near zero', () => {
    const learned = estimateModel({ records: register(false), randomPairs: 20_000 });
    assert.ok((learned.model.household?.share ?? 1) < 0.02, `share ${learned.model.household?.share}`);
  });
});
