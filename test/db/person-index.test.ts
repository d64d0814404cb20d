import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { HearthDatabase } from '../../src/db/connect.ts';
import { identifierSchema, type AddressInput } from '../../src/features/people/schemas.ts';
import { actorAsAuditWho } from '../../src/platform/audit/audit-log.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { createPeopleServices } from '../../src/services.ts';
import { testEngines } from '../support/engines.ts';
import { createOrganisation, createStaff, personDetails, type TestStaff } from '../support/factories.ts';
import { asImportItems, assertIndexInStep, importGeneratedPeople, importRow, indexEntry, nameCounts } from '../support/person-index.ts';

const TODAY = '2025-06-15';

const address = (overrides: Partial<AddressInput> = {}): AddressInput => ({
  line1: '12 Wattle Street',
  line2: null,
  suburb: 'Orange',
  state: 'NSW',
  postcode: '2800',
  country: null,
  livedFrom: null,
  livedUntil: null,
  ...overrides,
});

for (const engine of testEngines()) {
  describe(`person index kept in step [${engine.name}]`, () => {
    let database: HearthDatabase;
    let services: ReturnType<typeof createPeopleServices>;
    let caseworker: TestStaff;

    before(async () => {
      database = await engine.createDatabase();
      services = createPeopleServices(database.db, fixedClock(`${TODAY}T02:00:00Z`), 'Australia/Sydney');
      caseworker = await createStaff(database, await createOrganisation(database), 'caseworker');
    });
    after(() => database.close());

    const counts = () => nameCounts(database, caseworker.organisationId);
    /** How each name's count moved between two readings (names that did not move left out). */
    const moved = (before: Map<string, number>, after: Map<string, number>) => {
      const changes: Record<string, number> = {};
      for (const key of new Set([...before.keys(), ...after.keys()])) {
        const change = (after.get(key) ?? 0) - (before.get(key) ?? 0);
        if (change !== 0) changes[key] = change;
      }
      return changes;
    };
    const findsById = async (identifier: string) =>
      (await services.personIndex.search(actorAsAuditWho(caseworker.actor), { identifier }, { limit: 5 })).candidates.map((c) => c.personId);

    it('indexes a new person, and counts their names, as they are created', async () => {
      const before = await counts();
      const ada = await services.people.create(caseworker.actor, personDetails({ givenNames: 'Ada', familyName: 'Lovelace', dateOfBirth: '2015-12-10', sex: 'female' }));
      const entry = await indexEntry(database, ada.id);
      assert.deepEqual(entry?.record, { names: [{ given: 'Ada', family: 'Lovelace' }], dateOfBirth: '2015-12-10', sex: 'female', addresses: [], identifiers: [] });
      assert.ok(entry.keys.includes('dob:2015:10:12'), 'stored under its date of birth, day and month in either order');
      assert.deepEqual(moved(before, await counts()), { 'given|ada': 1, 'family|lovelace': 1, 'total|': 1 });
      await assertIndexInStep(database, caseworker.organisationId);
    });

    it('moves the entry and the name counts when their details change', async () => {
      const person = await services.people.create(caseworker.actor, personDetails({ givenNames: 'Grace', familyName: 'Murray', preferredName: null, dateOfBirth: '2012-12-09' }));
      const before = await counts();
      const saved = await services.people.update(caseworker.actor, person.id, 1, personDetails({ givenNames: 'Grace', familyName: 'Hopper', preferredName: 'Gracie', dateOfBirth: '2012-09-12' }));
      assert.equal(saved.outcome, 'saved');
      const entry = await indexEntry(database, person.id);
      assert.deepEqual(entry?.record.names, [
        { given: 'Grace', family: 'Hopper' },
        { given: 'Gracie', family: 'Hopper' },
      ]);
      assert.equal(entry.record.dateOfBirth, '2012-09-12');
      assert.deepEqual(moved(before, await counts()), { 'family|murray': -1, 'family|hopper': 1, 'given|gracie': 1 });
      await assertIndexInStep(database, caseworker.organisationId);
      const found = await services.personIndex.search(actorAsAuditWho(caseworker.actor), { given: 'Gracie', family: 'Hopper' }, { limit: 3 });
      assert.equal(found.candidates[0]?.personId, person.id);
    });

    it('adds and removes another name in the index with the name', async () => {
      const person = await services.people.create(caseworker.actor, personDetails({ givenNames: 'Sam', familyName: 'Jones' }));
      const before = await counts();
      const added = await services.people.addName(caseworker.actor, person.id, { nameType: 'previous', givenNames: 'Sam', familyName: 'Quartermaine' });
      assert.ok(added.outcome === 'saved');
      assert.deepEqual((await indexEntry(database, person.id))?.record.names, [
        { given: 'Sam', family: 'Jones' },
        { given: 'Sam', family: 'Quartermaine' },
      ]);
      assert.deepEqual(moved(before, await counts()), { 'family|quartermaine': 1 });
      const byOldName = await services.personIndex.search(actorAsAuditWho(caseworker.actor), { given: 'Sam', family: 'Quartermaine' }, { limit: 3 });
      assert.equal(byOldName.candidates[0]?.personId, person.id);
      await assertIndexInStep(database, caseworker.organisationId);

      assert.equal((await services.people.removeName(caseworker.actor, person.id, added.value.id)).outcome, 'saved');
      assert.deepEqual((await indexEntry(database, person.id))?.record.names, [{ given: 'Sam', family: 'Jones' }]);
      assert.deepEqual(moved(before, await counts()), {});
      await assertIndexInStep(database, caseworker.organisationId);
    });

    it('indexes addresses, current first, as they are added, moved from and changed', async () => {
      const person = await services.people.create(caseworker.actor, personDetails({ givenNames: 'Ren', familyName: 'Ito' }));
      await services.people.addAddress(caseworker.actor, person.id, address({ line1: 'Unit 4/12 Wattle Street' }), true);
      let entry = await indexEntry(database, person.id);
      assert.deepEqual(entry?.record.addresses, [{ streetNumber: '4/12', street: 'Wattle Street', locality: null, suburb: 'Orange', postcode: '2800', state: 'NSW' }]);
      assert.ok(entry.keys.some((k) => /^sn:4\W?12:wattl/.test(k)), `stored under its street number and street: ${entry.keys.join(' ')}`);

      const moved = await services.people.addAddress(caseworker.actor, person.id, address({ line1: '7 Banksia Road', suburb: 'Dubbo', postcode: '2830', livedFrom: '2025-03-01' }), true);
      assert.ok(moved.outcome === 'saved');
      entry = await indexEntry(database, person.id);
      assert.deepEqual(entry?.record.addresses.map((a) => [a.street, a.suburb]), [
        ['Banksia Road', 'Dubbo'],
        ['Wattle Street', 'Orange'],
      ]);
      await assertIndexInStep(database, caseworker.organisationId);

      const changed = await services.people.updateAddress(caseworker.actor, person.id, moved.value.id, 1, address({ line1: '9 Banksia Road', suburb: 'Dubbo', postcode: '2830', livedFrom: '2025-03-01' }));
      assert.equal(changed.outcome, 'saved');
      assert.equal((await indexEntry(database, person.id))?.record.addresses[0]?.streetNumber, '9');
      await assertIndexInStep(database, caseworker.organisationId);
    });

    it('indexes an identifier when it is added, and forgets it when it is removed', async () => {
      const person = await services.people.create(caseworker.actor, personDetails({ givenNames: 'Noor', familyName: 'Haddad' }));
      const added = await services.people.addIdentifier(caseworker.actor, person.id, identifierSchema.parse({ identifierType: 'medicare', value: '3950 12349 1' }));
      assert.ok(added.outcome === 'saved');
      const entry = await indexEntry(database, person.id);
      assert.deepEqual(entry?.record.identifiers, ['medicare:3950123491']);
      assert.ok(entry.keys.includes('id:medicare:3950123491'));
      assert.deepEqual(await findsById('medicare:3950123491'), [person.id]);
      await assertIndexInStep(database, caseworker.organisationId);

      assert.equal((await services.people.removeIdentifier(caseworker.actor, person.id, added.value.id)).outcome, 'saved');
      const after = await indexEntry(database, person.id);
      assert.deepEqual(after?.record.identifiers, []);
      assert.ok(!after.keys.includes('id:medicare:3950123491'));
      assert.deepEqual(await findsById('medicare:3950123491'), []);
      await assertIndexInStep(database, caseworker.organisationId);
    });

    describe('a change that fails leaves the index as it was', () => {
      /** Makes the audit trail refuse these actions, as a broken disk would, for the length of `work`. */
      async function whileAuditRefuses(actions: readonly string[], work: () => Promise<void>) {
        await sql`create function refuse_audit_for_test() returns trigger language plpgsql as $$
          begin
            if new.action = any(${sql.lit(`{${actions.join(',')}}`)}::text[]) then raise exception 'the audit trail refused the row'; end if;
            return new;
          end $$`.execute(database.db);
        await sql`create trigger refuse_audit_for_test before insert on audit_events for each row execute function refuse_audit_for_test()`.execute(database.db);
        try {
          await work();
        } finally {
          await sql`drop trigger refuse_audit_for_test on audit_events`.execute(database.db);
          await sql`drop function refuse_audit_for_test()`.execute(database.db);
        }
      }

      it('for details, another name, an address and an identifier', async () => {
        const person = await services.people.create(caseworker.actor, personDetails({ givenNames: 'Kept', familyName: 'Steady', dateOfBirth: '2016-01-02' }));
        const entryBefore = await indexEntry(database, person.id);
        const countsBefore = await counts();
        await whileAuditRefuses(['person.updated', 'person.name_added', 'person.address_added', 'person.identifier_added', 'person.created'], async () => {
          const refused = /the audit trail refused the row/;
          await assert.rejects(services.people.update(caseworker.actor, person.id, 1, personDetails({ givenNames: 'Lost', familyName: 'Changed', dateOfBirth: '2016-01-02' })), refused);
          await assert.rejects(services.people.addName(caseworker.actor, person.id, { nameType: 'alias', givenNames: 'Lost', familyName: 'Alias' }), refused);
          await assert.rejects(services.people.addAddress(caseworker.actor, person.id, address(), true), refused);
          await assert.rejects(services.people.addIdentifier(caseworker.actor, person.id, identifierSchema.parse({ identifierType: 'medicare', value: '2123 45670 1' })), refused);
          await assert.rejects(services.people.create(caseworker.actor, personDetails({ givenNames: 'Never', familyName: 'Created' })), refused);
        });
        assert.deepEqual(await indexEntry(database, person.id), entryBefore);
        assert.deepEqual(await counts(), countsBefore);
        const ghosts = await database.db.selectFrom('people').select('id').where('family_name', '=', 'Created').execute();
        assert.deepEqual(ghosts, [], 'the person who was never created was never indexed either');
        await assertIndexInStep(database, caseworker.organisationId);
      });
    });

    it('takes a merged person out of the index and gives their names to the survivor', async () => {
      const survivor = await services.people.create(caseworker.actor, personDetails({ givenNames: 'Mia', familyName: 'Thompson', dateOfBirth: '2014-03-09' }));
      const merged = await services.people.create(caseworker.actor, personDetails({ givenNames: 'Mya', familyName: 'Tomlinson', dateOfBirth: '2014-03-09' }));
      const before = await counts();
      const outcome = await services.merges.merge(caseworker.actor, { survivorId: survivor.id, mergedId: merged.id, survivorVersion: 1, mergedVersion: 1, reason: null });
      assert.equal(outcome.outcome, 'merged');
      assert.equal(await indexEntry(database, merged.id), undefined);
      assert.deepEqual((await indexEntry(database, survivor.id))?.record.names, [
        { given: 'Mia', family: 'Thompson' },
        { given: 'Mya', family: 'Tomlinson' },
      ]);
      assert.deepEqual(moved(before, await counts()), { 'total|': -1 }, 'the same names, now one person fewer');
      const found = await services.personIndex.search(actorAsAuditWho(caseworker.actor), { given: 'Mya', family: 'Tomlinson' }, { limit: 5 });
      assert.ok(!found.candidates.some((c) => c.personId === merged.id), 'the merged record is never a result');
      assert.equal(found.candidates[0]?.personId, survivor.id, 'the survivor is found by the merged name');
      await assertIndexInStep(database, caseworker.organisationId);
    });

    it("keeps the survivor's entry in step when a re-import changes the name of a record merged into it", async () => {
      const who = actorAsAuditWho(caseworker.actor);
      const importOne = async (row: Parameters<typeof importRow>[0]) => services.importer.import(who, asImportItems([importRow(row)]), { onRejected: (r) => assert.fail(r.reason) });
      const kept = await services.people.create(caseworker.actor, personDetails({ givenNames: 'Tia', familyName: 'Marsh', dateOfBirth: '2013-01-05' }));
      const middle = await services.people.create(caseworker.actor, personDetails({ givenNames: 'Tia', familyName: 'Marshall', dateOfBirth: '2013-01-05' }));
      assert.equal((await importOne({ external_id: 'MERGED-1', given_name: 'Tia', family_name: 'Marshe', date_of_birth: '2013-01-05' })).created, 1);
      const imported = await database.db.selectFrom('people').select(['id', 'version']).where('external_id', '=', 'MERGED-1').executeTakeFirstOrThrow();
      // The imported record is merged into one that is itself merged later: the names end up on the last.
      assert.equal((await services.merges.merge(caseworker.actor, { survivorId: middle.id, mergedId: imported.id, survivorVersion: 1, mergedVersion: imported.version, reason: null })).outcome, 'merged');
      assert.equal((await services.merges.merge(caseworker.actor, { survivorId: kept.id, mergedId: middle.id, survivorVersion: 1, mergedVersion: 2, reason: null })).outcome, 'merged');

      assert.equal((await importOne({ external_id: 'MERGED-1', given_name: 'Tia', family_name: 'Marchant' })).updated, 1);
      const names = (await indexEntry(database, kept.id))?.record.names.map((n) => n.family);
      assert.deepEqual(names, ['Marsh', 'Marshall', 'Marchant']);
      await assertIndexInStep(database, caseworker.organisationId);
      const found = await services.personIndex.search(who, { given: 'Tia', family: 'Marchant' }, { limit: 3 });
      assert.equal(found.candidates[0]?.personId, kept.id);
    });

    it('indexMissing indexes people who were never indexed, in every organisation, and nobody twice', async () => {
      const other = await createOrganisation(database, 'Unindexed');
      const insertPerson = (organisationId: string, given: string, family: string, mergedInto: string | null = null) =>
        database.db
          .insertInto('people')
          .values({ organisation_id: organisationId, given_names: given, family_name: family, date_of_birth: '2010-10-10', merged_into_id: mergedInto, updated_at: new Date() })
          .returning('id')
          .executeTakeFirstOrThrow();
      // Recorded before the index existed: rows written straight to the table, as a migration left them.
      const ours = await insertPerson(caseworker.organisationId, 'Ancient', 'Record');
      const theirs = await insertPerson(other, 'Older', 'Record');
      const survivorThere = await insertPerson(other, 'Survivor', 'Record');
      const mergedThere = await insertPerson(other, 'Merged', 'Record', survivorThere.id);
      assert.equal(await indexEntry(database, ours.id), undefined);

      assert.equal(await services.personIndex.indexMissing(), 3);
      for (const id of [ours.id, theirs.id, survivorThere.id]) assert.ok(await indexEntry(database, id), 'indexed');
      assert.equal(await indexEntry(database, mergedThere.id), undefined, 'a merged person is not indexed');
      assert.deepEqual((await indexEntry(database, survivorThere.id))?.record.names.map((n) => n.given), ['Survivor', 'Merged']);
      assert.equal(await services.personIndex.indexMissing(), 0, 'nothing left to do');
      await assertIndexInStep(database, caseworker.organisationId);
      await assertIndexInStep(database, other);
    });

    it('reindexAll rebuilds every entry of an organisation, a thousand at a time, without counting anyone twice', async () => {
      const big = await createStaff(database, await createOrganisation(database, 'Big'), 'caseworker');
      const organisationId = big.organisationId;
      await importGeneratedPeople(services.importer, actorAsAuditWho(big.actor), { count: 1100, seed: 5, referenceDate: '2025-06-01' });
      const [one, two] = await database.db.selectFrom('people').select('id').where('organisation_id', '=', organisationId).orderBy('id').limit(2).execute();
      const merged = await services.merges.merge(big.actor, { survivorId: one!.id, mergedId: two!.id, survivorVersion: 1, mergedVersion: 1, reason: null });
      assert.equal(merged.outcome, 'merged');
      const countsBefore = await nameCounts(database, organisationId);
      const entriesBefore = await database.db.selectFrom('person_index').select(['person_id', 'record', 'keys']).where('organisation_id', '=', organisationId).orderBy('person_id').execute();
      // Lose every key, as an index built by an older matcher would have others.
      await database.db.updateTable('person_index').set({ keys: [] }).where('organisation_id', '=', organisationId).execute();
      // Someone whose name nobody else has (the generated people include namesakes and near-duplicates).
      const nameOf = (entry: (typeof entriesBefore)[number]) => (entry.record as { names: { given: string; family: string }[] }).names[0]!;
      const fullName = (entry: (typeof entriesBefore)[number]) => `${nameOf(entry).given} ${nameOf(entry).family}`.toLowerCase();
      const someone = entriesBefore.find((entry) => entriesBefore.filter((other) => fullName(other) === fullName(entry)).length === 1)!;
      const name = nameOf(someone);
      const query = { given: name.given, family: name.family };
      assert.deepEqual((await services.personIndex.search(actorAsAuditWho(big.actor), query, { limit: 3 })).candidates, [], 'nobody can be found without keys');

      const progress: [number, number][] = [];
      assert.equal(await services.personIndex.reindexAll(organisationId, (done, total) => progress.push([done, total])), 1099);
      assert.deepEqual(progress, [
        [1000, 1099],
        [1099, 1099],
      ]);
      const entriesAfter = await database.db.selectFrom('person_index').select(['person_id', 'record', 'keys']).where('organisation_id', '=', organisationId).orderBy('person_id').execute();
      assert.deepEqual(
        entriesAfter.map((e) => ({ ...e, keys: [...e.keys].sort() })),
        entriesBefore.map((e) => ({ ...e, keys: [...e.keys].sort() })),
      );
      assert.deepEqual(await nameCounts(database, organisationId), countsBefore);
      assert.equal((await services.personIndex.search(actorAsAuditWho(big.actor), query, { limit: 3 })).candidates[0]?.personId, someone.person_id);
      await assertIndexInStep(database, organisationId);
    });
  });
}
