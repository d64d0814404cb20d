import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HearthDatabase } from '../../src/db/connect.ts';
import fc from 'fast-check';
import { sql } from 'kysely';
import { inOrganisation, type Trx } from '../../src/db/tenancy.ts';
import { identifierSchema } from '../../src/features/people/schemas.ts';
import type { PersonImportRow } from '../../src/features/person-index/import/read-people-csv.ts';
import type { Comparison, MatchQuery } from '../../src/features/person-index/matching/types.ts';
import { searchFieldsSchema, toMatchQuery } from '../../src/features/person-index/search-query.ts';
import { MAX_CANDIDATES, type SearchOutcome } from '../../src/features/person-index/service.ts';
import { actorAsAuditWho } from '../../src/platform/audit/audit-log.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { createPeopleServices } from '../../src/services.ts';
import { testEngines } from '../support/engines.ts';
import { createOrganisation, createStaff, personDetails, type TestStaff } from '../support/factories.ts';
import { asImportItems, importGeneratedPeople, importRow, indexEntry } from '../support/person-index.ts';

const TODAY = '2025-06-15';
const MEDICARE = '2123456701';

type Services = ReturnType<typeof createPeopleServices>;

/** A search case: who should be found at the top, and what the explanation of that result must say. */
interface SearchCase {
  readonly what: string;
  readonly query: MatchQuery;
  readonly target: 'catherine' | 'william' | 'john' | 'zoe' | 'olivia' | 'harriet' | 'sophie';
  /** Each field's explanation of the top result: its level and words. */
  readonly explains: readonly { field: string; level?: string; text: RegExp; weight?: 'positive' | 'negative' }[];
}

const exact = (date: string) => ({ kind: 'exact' as const, date });

const CASES: readonly SearchCase[] = [
  {
    what: 'a typo in the family name',
    query: { given: 'Catherine', family: 'Thompsen' },
    target: 'catherine',
    explains: [
      { field: 'given_name', level: 'exact', text: /^Given name: "Catherine" agrees$/, weight: 'positive' },
      { field: 'family_name', level: 'typo', text: /^Family name: "Thompsen" looks like a misspelling of "Thompson"$/, weight: 'positive' },
    ],
  },
  {
    what: 'two slips in the family name ("Tomson" for "Thompson")',
    query: { given: 'Catherine', family: 'Tomson' },
    target: 'catherine',
    explains: [{ field: 'family_name', text: /"Tomson" .*"Thompson"/, weight: 'positive' }],
  },
  {
    what: 'a phonetic spelling of the given name (Kathryn for Catherine)',
    query: { given: 'Kathryn', family: 'Thompson' },
    target: 'catherine',
    explains: [{ field: 'given_name', text: /"Kathryn" .*"Catherine"/, weight: 'positive' }],
  },
  {
    what: 'a phonetic spelling of the family name (Philips for Fillips)',
    query: { given: 'Sophie', family: 'Philips' },
    target: 'sophie',
    explains: [{ field: 'family_name', level: 'phonetic', text: /^Family name: "Philips" sounds like "Fillips"$/, weight: 'positive' }],
  },
  {
    what: 'a nickname: Kate for Catherine',
    query: { given: 'Kate', family: 'Thompson' },
    target: 'catherine',
    explains: [{ field: 'given_name', level: 'nickname', text: /^Given name: "Kate" is a short form of "Catherine"$/, weight: 'positive' }],
  },
  {
    what: 'a nickname: Bill for William',
    query: { given: 'Bill', family: 'Kowalczyk' },
    target: 'william',
    explains: [{ field: 'given_name', level: 'nickname', text: /"Bill" is a short form of "William"/, weight: 'positive' }],
  },
  {
    what: 'a nickname: Jack for John',
    query: { given: 'Jack', family: 'Pemberton', dateOfBirth: exact('2016-02-14') },
    target: 'john',
    explains: [{ field: 'given_name', level: 'nickname', text: /"Jack" is a short form of "John"/, weight: 'positive' }],
  },
  {
    what: 'given and family names swapped',
    query: { given: 'Thompson', family: 'Catherine', dateOfBirth: exact('2014-03-09') },
    target: 'catherine',
    explains: [{ field: 'name', level: 'swapped', text: /given and family names swapped/ }],
  },
  {
    what: 'one half of a hyphenated family name (Jones for Smith-Jones)',
    query: { given: 'Olivia', family: 'Jones' },
    target: 'olivia',
    explains: [{ field: 'family_name', text: /"Jones" .*"Smith-Jones"/, weight: 'positive' }],
  },
  {
    what: 'the other half of a hyphenated family name (Smith for Smith-Jones)',
    query: { given: 'Olivia', family: 'Smith', dateOfBirth: exact('2015-05-30') },
    target: 'olivia',
    explains: [{ field: 'family_name', text: /"Smith" .*"Smith-Jones"/, weight: 'positive' }],
  },
  {
    what: 'one part of a double-barrelled family name without a hyphen (Webber for Lloyd Webber)',
    query: { given: 'Harriet', family: 'Webber' },
    target: 'harriet',
    explains: [{ field: 'family_name', text: /"Webber" .*"Lloyd Webber"/, weight: 'positive' }],
  },
  {
    what: 'names without their diacritics (Zoe Mueller for Zoë Müller)',
    query: { given: 'Zoe', family: 'Mueller' },
    target: 'zoe',
    explains: [
      { field: 'given_name', level: 'exact', text: /^Given name: "Zoe" and "Zoë" are the same name$/, weight: 'positive' },
      { field: 'family_name', level: 'exact', text: /^Family name: "Mueller" and "Müller" are the same name$/, weight: 'positive' },
    ],
  },
  {
    what: 'a diacritic simply dropped (Muller for Müller)',
    query: { given: 'Zoe', family: 'Muller', dateOfBirth: exact('2013-07-22') },
    target: 'zoe',
    explains: [{ field: 'family_name', level: 'exact', text: /"Muller" and "Müller" are the same name/, weight: 'positive' }],
  },
  {
    what: 'the day and month of birth swapped',
    query: { given: 'Catherine', family: 'Thompson', dateOfBirth: exact('2014-09-03') },
    target: 'catherine',
    explains: [{ field: 'date_of_birth', level: 'swapped', text: /^Date of birth: day and month swapped \(3\/9 vs 9\/3, 2014\)$/, weight: 'positive' }],
  },
  {
    what: 'a missing field (no given name)',
    query: { family: 'Thompson', dateOfBirth: exact('2014-03-09') },
    target: 'catherine',
    explains: [
      { field: 'family_name', level: 'exact', text: /"Thompson" agrees/, weight: 'positive' },
      { field: 'date_of_birth', level: 'exact', text: /^Date of birth: 9\/3\/2014 agrees$/, weight: 'positive' },
    ],
  },
  {
    what: 'a wrong field (another date of birth entirely)',
    query: { given: 'William', family: 'Kowalczyk', dateOfBirth: exact('2009-01-01') },
    target: 'william',
    explains: [{ field: 'date_of_birth', level: 'disagree', text: /^Date of birth: 1\/1\/2009 differs from 20\/11\/2012$/, weight: 'negative' }],
  },
  {
    what: 'another family name and a mistyped day of birth (only a broad key, given name and birth year, reaches her)',
    query: { given: 'Sophie', family: 'Okonkwo', dateOfBirth: exact('2010-04-14') },
    target: 'sophie',
    explains: [
      { field: 'given_name', level: 'exact', text: /"Sophie" agrees/, weight: 'positive' },
      { field: 'family_name', weight: 'negative', text: /Okonkwo/ },
    ],
  },
  {
    what: 'a wrong field (the other sex)',
    query: { given: 'Catherine', family: 'Thompson', sex: 'male' },
    target: 'catherine',
    explains: [{ field: 'sex', level: 'disagree', text: /^Sex: male vs female$/, weight: 'negative' }],
  },
  {
    what: 'an exact date of birth',
    query: { given: 'Catherine', family: 'Thompson', dateOfBirth: exact('2014-03-09') },
    target: 'catherine',
    explains: [{ field: 'date_of_birth', level: 'exact', text: /^Date of birth: 9\/3\/2014 agrees$/, weight: 'positive' }],
  },
  {
    what: 'the year of birth alone',
    query: { given: 'Catherine', family: 'Thompson', dateOfBirth: { kind: 'partial', year: 2014 } },
    target: 'catherine',
    explains: [{ field: 'date_of_birth', level: 'partial', text: /^Date of birth: 9\/3\/2014 fits year 2014, as searched$/, weight: 'positive' }],
  },
  {
    what: 'the month and year of birth',
    query: { given: 'Catherine', family: 'Thompson', dateOfBirth: { kind: 'partial', year: 2014, month: 3 } },
    target: 'catherine',
    explains: [{ field: 'date_of_birth', level: 'partial', text: /^Date of birth: 9\/3\/2014 fits month 3, year 2014, as searched$/, weight: 'positive' }],
  },
  {
    what: 'an age range',
    query: { given: 'Catherine', family: 'Thompson', dateOfBirth: { kind: 'age', from: 10, to: 12, today: TODAY } },
    target: 'catherine',
    explains: [{ field: 'date_of_birth', level: 'age_range', text: /^Date of birth: 9\/3\/2014 fits aged 10 to 12, as searched$/, weight: 'positive' }],
  },
  {
    what: 'an identifier alone',
    query: { identifier: `medicare:${MEDICARE}` },
    target: 'catherine',
    explains: [{ field: 'identifier', level: 'exact', text: /^Identifier \(medicare\): 2123456701 agrees$/, weight: 'positive' }],
  },
];

for (const engine of testEngines()) {
  describe(`person search [${engine.name}]`, () => {
    let database: HearthDatabase;
    let services: Services;
    let caseworker: TestStaff;
    let elsewhere: TestStaff;
    const targets = new Map<SearchCase['target'], string>();
    const decoys = new Set<string>();
    let brother: string;

    const search = (query: MatchQuery, limit = 10) => services.personIndex.search(actorAsAuditWho(caseworker.actor), query, { limit });
    const nameOf = (outcome: SearchOutcome) => outcome.candidates.map((c) => `${c.record.names[0]?.given} ${c.record.names[0]?.family}`);

    before(async () => {
      database = await engine.createDatabase();
      services = createPeopleServices(database.db, fixedClock(`${TODAY}T02:00:00Z`), 'Australia/Sydney');
      caseworker = await createStaff(database, await createOrganisation(database), 'caseworker');
      elsewhere = await createStaff(database, await createOrganisation(database, 'Elsewhere'), 'caseworker');
      // A few hundred realistic people around the ones sought: families sharing surnames and addresses, near-duplicates.
      await importGeneratedPeople(services.importer, actorAsAuditWho(caseworker.actor), { count: 400, seed: 11, referenceDate: '2025-06-01' });
      const create = async (givenNames: string, familyName: string, dateOfBirth: string, sex: 'female' | 'male') =>
        (await services.people.create(caseworker.actor, personDetails({ givenNames, familyName, dateOfBirth, sex }))).id;
      const home = { line1: '12 Wattle Street', line2: null, suburb: 'Orange', state: 'NSW', postcode: '2800', country: null, livedFrom: null, livedUntil: null };
      const catherine = await create('Catherine', 'Thompson', '2014-03-09', 'female');
      await services.people.addAddress(caseworker.actor, catherine, home, true);
      await services.people.addIdentifier(caseworker.actor, catherine, identifierSchema.parse({ identifierType: 'medicare', value: MEDICARE }));
      targets.set('catherine', catherine);
      targets.set('william', await create('William', 'Kowalczyk', '2012-11-20', 'male'));
      targets.set('john', await create('John', 'Pemberton', '2016-02-14', 'male'));
      targets.set('zoe', await create('Zoë', 'Müller', '2013-07-22', 'female'));
      targets.set('olivia', await create('Olivia', 'Smith-Jones', '2015-05-30', 'female'));
      targets.set('harriet', await create('Harriet', 'Lloyd Webber', '2011-08-17', 'female'));
      targets.set('sophie', await create('Sophie', 'Fillips', '2010-04-04', 'female'));
      // Near misses: a girl with the same given name and birthday, and Catherine's brother at her address.
      decoys.add(await create('Catherine', 'Thomas', '2014-03-09', 'female'));
      brother = await create('James', 'Thompson', '2011-06-02', 'male');
      await services.people.addAddress(caseworker.actor, brother, home, true);
      decoys.add(brother);
      // Another organisation holds a Catherine Thompson with the same birthday and Medicare number.
      const theirs = await services.people.create(elsewhere.actor, personDetails({ givenNames: 'Catherine', familyName: 'Thompson', dateOfBirth: '2014-03-09', sex: 'female' }));
      await services.people.addIdentifier(elsewhere.actor, theirs.id, identifierSchema.parse({ identifierType: 'medicare', value: MEDICARE }));
    });
    after(() => database.close());

    describe('finds the right person at the top despite', () => {
      for (const c of CASES) {
        it(c.what, async () => {
          const outcome = await search(c.query);
          const top = outcome.candidates[0];
          assert.ok(top, 'someone is found');
          assert.equal(top.personId, targets.get(c.target), `top of: ${nameOf(outcome).join(', ')}`);
          assert.equal(outcome.truncated, false);
          if (outcome.candidates[1]) assert.ok(top.result.weight > outcome.candidates[1].result.weight, 'the right person scores above the next');
          for (const expected of c.explains) {
            const comparison: Comparison | undefined = top.result.comparisons.find((x) => x.field === expected.field);
            assert.ok(comparison, `the explanation covers ${expected.field}: ${JSON.stringify(top.result.comparisons)}`);
            if (expected.level) assert.equal(comparison.level, expected.level, comparison.explanation);
            assert.match(comparison.explanation, expected.text);
            if (expected.weight === 'positive') assert.ok(comparison.weight > 0, `${comparison.explanation} counts for the match`);
            if (expected.weight === 'negative') assert.ok(comparison.weight < 0, `${comparison.explanation} counts against the match`);
          }
        });
      }
    });

    it('finds a child despite any single slip in the first letters of either name, through the spellings the index holds', async () => {
      const slip = (name: string) =>
        fc.tuple(fc.nat({ max: 2 }), fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), fc.constantFrom('replace', 'insert', 'delete', 'swap')).map(([at, letter, kind]) => {
          if (kind === 'replace') return name.slice(0, at) + letter + name.slice(at + 1);
          if (kind === 'insert') return name.slice(0, at) + letter + name.slice(at);
          if (kind === 'delete') return name.slice(0, at) + name.slice(at + 1);
          return name.slice(0, at) + (name[at + 1] ?? '') + (name[at] ?? '') + name.slice(at + 2);
        });
      const findsJohn = async (query: MatchQuery) => {
        const outcome = await search(query);
        assert.equal(outcome.candidates[0]?.personId, targets.get('john'), `${JSON.stringify(query)}: ${nameOf(outcome).join(', ')}`);
      };
      await fc.assert(fc.asyncProperty(slip('Pemberton'), (family) => findsJohn({ given: 'John', family })), { numRuns: 15 });
      await fc.assert(fc.asyncProperty(slip('John'), (given) => findsJohn({ given, family: 'Pemberton' })), { numRuns: 15 });
    });

    it('ranks best first, and explains every result field by field, with the weights adding up to the score', async () => {
      const outcome = await search({ given: 'Catherine', family: 'Thompson', dateOfBirth: exact('2014-03-09'), address: { postcode: '2800' } });
      assert.ok(outcome.candidates.length >= 3, 'the near misses are found too');
      assert.equal(outcome.candidates[0]?.personId, targets.get('catherine'));
      assert.ok(outcome.candidates.some((c) => decoys.has(c.personId)));
      const weights = outcome.candidates.map((c) => c.result.weight);
      assert.deepEqual(weights, [...weights].sort((a, b) => b - a), 'best first');
      for (const candidate of outcome.candidates) {
        assert.ok(candidate.result.comparisons.length > 0);
        for (const comparison of candidate.result.comparisons) assert.match(comparison.explanation, /^[A-Z][a-z ]+( \([^)]*\))?: \S/, 'each line names its field');
        const sum = candidate.result.comparisons.reduce((total, x) => total + x.weight, 0);
        assert.ok(Math.abs(sum - candidate.result.weight) < 1e-6, 'the score is the sum of what each field counted');
        assert.ok(candidate.result.probability >= 0 && candidate.result.probability <= 1);
      }
      const [top, next] = outcome.candidates;
      assert.equal(top?.result.decision, 'match');
      // The brother at her address: the family name and address agree, the given name and date of birth do not.
      const theBrother = outcome.candidates.find((c) => c.personId === brother);
      assert.ok(theBrother && next);
      const says = (field: string) => theBrother.result.comparisons.find((x) => x.field === field);
      assert.match(says('given_name')?.explanation ?? '', /^Given name: "Catherine" differs from "James"$/);
      assert.ok((says('given_name')?.weight ?? 0) < 0);
      assert.match(says('family_name')?.explanation ?? '', /"Thompson" agrees/);
      assert.match(says('postcode')?.explanation ?? '', /"2800" agrees/);
      assert.notEqual(theBrother.result.decision, 'match');
    });

    it('finds an identifier typed in the search form, as the page, the API and the command line pass it', async () => {
      const byForm = (identifier: string) => search(toMatchQuery(searchFieldsSchema.parse({ identifier }), TODAY));
      const outcome = await byForm('2123 45670 1');
      assert.equal(outcome.candidates[0]?.personId, targets.get('catherine'));
      assert.match(outcome.candidates[0]?.result.comparisons.find((x) => x.field === 'identifier')?.explanation ?? '', /^Identifier \(medicare\): 2123456701 agrees$/);
      // Other kinds of identifier, entered on the record page, are found by their number alone too.
      const john = targets.get('john')!;
      await services.people.addIdentifier(caseworker.actor, john, identifierSchema.parse({ identifierType: 'nhs_number', value: '943 476 5919' }));
      await services.people.addIdentifier(caseworker.actor, john, identifierSchema.parse({ identifierType: 'other', value: 'Case 77-A' }));
      for (const typed of ['943 476 5919', '943-476-5919', 'nhs_number:9434765919', 'Case77-A']) {
        assert.equal((await byForm(typed)).candidates[0]?.personId, john, typed);
      }
      assert.deepEqual((await byForm('5550001119')).candidates, [], 'a number nobody holds finds nobody');
    });

    it("never finds another organisation's people, by name, date of birth or identifier", async () => {
      const query: MatchQuery = { given: 'Catherine', family: 'Thompson', dateOfBirth: exact('2014-03-09'), identifier: `medicare:${MEDICARE}` };
      const ours = await search(query);
      const theirIds = (await database.db.selectFrom('people').select('id').where('organisation_id', '=', elsewhere.organisationId).execute()).map((p) => p.id);
      assert.equal(theirIds.length, 1);
      assert.ok(!ours.candidates.some((c) => theirIds.includes(c.personId)));
      const theirs = await services.personIndex.search(actorAsAuditWho(elsewhere.actor), query, { limit: 10 });
      assert.deepEqual(theirs.candidates.map((c) => c.personId), theirIds, 'they find only their own');
      // Even a transaction scoped to one organisation but asked about another finds nobody: row-level security.
      const crossed = await inOrganisation(database.db, caseworker.organisationId, (trx) => services.personIndex.searchWithin(trx, elsewhere.organisationId, query, 10));
      assert.deepEqual(crossed.candidates, []);
      // The index lookups run as the tables' owner (migrations 0009, 0010): they answer for the
      // organisation of the transaction only, however they are called.
      const theirKeys = (await indexEntry(database, theirIds[0]!))?.keys ?? [];
      assert.ok(theirKeys.length > 0 && !theirKeys.some((key) => key.startsWith('#')), `their keys: ${theirKeys.join(' ')}`);
      const candidates = (organisationId: string) => (trx: Trx) =>
        sql<{ person_id: string }>`select person_id from person_index_candidates(${organisationId}::uuid, ${sql.val(theirKeys)}::text[], 10)`.execute(trx);
      const spellings = (organisationId: string) => (trx: Trx) => sql<{ name: string }>`select name from person_name_spellings(${organisationId}::uuid, 'family', 'thompsen', 5, array['hompsen', 'thompson'])`.execute(trx);
      assert.deepEqual((await inOrganisation(database.db, elsewhere.organisationId, candidates(elsewhere.organisationId))).rows.map((r) => r.person_id), theirIds);
      assert.deepEqual((await inOrganisation(database.db, caseworker.organisationId, candidates(elsewhere.organisationId))).rows, []);
      assert.deepEqual((await inOrganisation(database.db, elsewhere.organisationId, spellings(elsewhere.organisationId))).rows, [{ name: 'thompson' }]);
      assert.deepEqual((await inOrganisation(database.db, caseworker.organisationId, spellings(elsewhere.organisationId))).rows, []);
    });

    it('finds the person by their other names and their address too', async () => {
      const catherine = targets.get('catherine')!;
      const added = await services.people.addName(caseworker.actor, catherine, { nameType: 'previous', givenNames: 'Catherine', familyName: 'Okonkwo' });
      assert.equal(added.outcome, 'saved');
      const byOldName = await search({ given: 'Catherine', family: 'Okonkwo' });
      assert.equal(byOldName.candidates[0]?.personId, catherine);
      const byAddress = await search({ family: 'Thompson', address: { streetNumber: '12', street: 'Wattle Street', suburb: 'Orange' } });
      const found = byAddress.candidates.map((c) => c.personId);
      assert.ok(found.includes(catherine) && found.includes(brother), 'both Thompsons at the address');
      const street = byAddress.candidates.find((c) => c.personId === brother)?.result.comparisons.find((x) => x.explanation.startsWith('Street:'));
      assert.match(street?.explanation ?? '', /^Street: "Wattle Street" agrees$/);
    });

    it('writes a people.searched audit row for every search, with counts and no personal data', async () => {
      const before = await database.db.selectFrom('audit_events').select('seq').where('organisation_id', '=', caseworker.organisationId).orderBy('seq', 'desc').executeTakeFirstOrThrow();
      await search({ given: 'Kate', family: 'Thompson' });
      await search({ given: 'Nobody', family: 'Zzyzx' });
      await services.personIndex.findByName(caseworker.actor, 'Bill Kowalczyk');
      const rows = await database.db
        .selectFrom('audit_events')
        .select(['action', 'actor_user_id', 'record_type', 'subject_person_id', 'details'])
        .where('organisation_id', '=', caseworker.organisationId)
        .where('seq', '>', before.seq)
        .orderBy('seq')
        .execute();
      assert.deepEqual(rows.map((r) => r.action), ['people.searched', 'people.searched', 'people.searched']);
      for (const row of rows) {
        assert.equal(row.actor_user_id, caseworker.id);
        assert.equal(row.record_type, 'person');
        assert.equal(row.subject_person_id, null);
        assert.deepEqual(Object.keys(row.details as object).sort(), ['considered', 'results']);
      }
      assert.ok((rows[0]?.details as { results: number }).results >= 1);
      assert.deepEqual(rows[1]?.details, { results: 0, considered: 0 });
    });

    it('findByName lists people found by one typed name, best first, with their date of birth', async () => {
      const found = await services.personIndex.findByName(caseworker.actor, 'Kate Thompson', 5);
      assert.deepEqual(found[0], { id: targets.get('catherine'), name: 'Catherine Thompson', dateOfBirth: '9 March 2014' });
    });

    describe('a single common name alone', () => {
      let crowded: TestStaff;
      let sought: string;

      before(async () => {
        crowded = await createStaff(database, await createOrganisation(database, 'Crowded'), 'caseworker');
        const given = ['Olivia', 'Jack', 'Charlotte', 'Noah', 'Amelia', 'Oliver', 'Isla', 'William', 'Mia', 'Leo', 'Ava', 'Henry', 'Grace', 'Lucas', 'Chloe'];
        const rows: PersonImportRow[] = [];
        for (let n = 0; n < MAX_CANDIDATES + 150; n++) {
          const day = String((n % 28) + 1).padStart(2, '0');
          const month = String((Math.floor(n / 28) % 12) + 1).padStart(2, '0');
          rows.push(importRow({ external_id: `S${n}`, given_name: given[n % given.length]!, family_name: 'Smith', date_of_birth: `${1950 + (n % 70)}-${month}-${day}` }));
        }
        rows.push(importRow({ external_id: 'SOUGHT', given_name: 'Peregrine', family_name: 'Smith', date_of_birth: '2013-04-05' }));
        await services.importer.import(actorAsAuditWho(crowded.actor), asImportItems(rows), { onRejected: (r) => assert.fail(r.reason) });
        sought = (await database.db.selectFrom('people').select('id').where('external_id', '=', 'SOUGHT').executeTakeFirstOrThrow()).id;
      });

      it(`reads at most ${MAX_CANDIDATES} candidates and says the search was truncated`, async () => {
        const outcome = await services.personIndex.search(actorAsAuditWho(crowded.actor), { family: 'Smith' }, { limit: 100 });
        assert.equal(outcome.truncated, true);
        assert.equal(outcome.considered, MAX_CANDIDATES);
        assert.equal(outcome.candidates.length, 100, 'the limit still holds');
        const audit = await database.db
          .selectFrom('audit_events')
          .select('details')
          .where('organisation_id', '=', crowded.organisationId)
          .where('action', '=', 'people.searched')
          .orderBy('seq', 'desc')
          .executeTakeFirstOrThrow();
        assert.deepEqual(audit.details, { results: 100, considered: MAX_CANDIDATES });
      });

      it('caps the limit a caller asks for at 100 and at least 1', async () => {
        const who = actorAsAuditWho(crowded.actor);
        assert.equal((await services.personIndex.search(who, { family: 'Smith' }, { limit: 5000 })).candidates.length, 100);
        assert.equal((await services.personIndex.search(who, { family: 'Smith' }, { limit: 0 })).candidates.length, 1);
      });

      it('is not truncated once a given name and date of birth narrow it, and finds the one sought', async () => {
        const outcome = await services.personIndex.search(actorAsAuditWho(crowded.actor), { given: 'Peregrin', family: 'Smith', dateOfBirth: exact('2013-04-05') }, { limit: 5 });
        assert.equal(outcome.truncated, false);
        assert.ok(outcome.considered < MAX_CANDIDATES);
        assert.equal(outcome.candidates[0]?.personId, sought);
      });
    });
  });
}
