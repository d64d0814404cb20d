import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { HearthDatabase } from '../../src/db/connect.ts';
import type { RelationshipType } from '../../src/features/people/relationship-types.ts';
import { identifierSchema, type AddressInput } from '../../src/features/people/schemas.ts';
import { actorAsAuditWho } from '../../src/platform/audit/audit-log.ts';
import { verifyAuditTrail } from '../../src/platform/audit/verify-audit-trail.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { createPeopleServices } from '../../src/services.ts';
import { testEngines } from '../support/engines.ts';
import { createOrganisation, createStaff, personDetails, type TestStaff } from '../support/factories.ts';
import { assertIndexInStep, indexEntry, nameCounts } from '../support/person-index.ts';

const TODAY = '2025-06-15';

const address = (line1: string, suburb: string, postcode: string): AddressInput => ({
  line1,
  line2: null,
  suburb,
  state: 'NSW',
  postcode,
  country: null,
  livedFrom: null,
  livedUntil: null,
});

for (const engine of testEngines()) {
  describe(`merges and unmerges [${engine.name}]`, () => {
    let database: HearthDatabase;
    let services: ReturnType<typeof createPeopleServices>;
    let caseworker: TestStaff;
    let elsewhere: TestStaff;

    before(async () => {
      database = await engine.createDatabase();
      services = createPeopleServices(database.db, fixedClock(`${TODAY}T02:00:00Z`), 'Australia/Sydney');
      caseworker = await createStaff(database, await createOrganisation(database), 'caseworker');
      elsewhere = await createStaff(database, await createOrganisation(database, 'Elsewhere'), 'caseworker');
    });
    after(() => database.close());

    const create = async (givenNames: string, familyName: string, dateOfBirth: string) =>
      (await services.people.create(caseworker.actor, personDetails({ givenNames, familyName, dateOfBirth, sex: 'female' }))).id;
    const relate = async (personId: string, relatedPersonId: string, relationshipType: RelationshipType) => {
      const added = await services.people.addRelationship(caseworker.actor, personId, { relatedPersonId, relationshipType, startedOn: null, endedOn: null, notes: null });
      assert.equal(added.outcome, 'saved');
    };
    const versionOf = async (id: string) => (await database.db.selectFrom('people').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version;
    const merge = async (survivorId: string, mergedId: string, reason: string | null = null) =>
      services.merges.merge(caseworker.actor, { survivorId, mergedId, survivorVersion: await versionOf(survivorId), mergedVersion: await versionOf(mergedId), reason });

    /**
     * Two records of one girl, each with a full record of its own: other names, addresses,
     * identifiers, relationships in both directions to other people (one of them shared), stories,
     * and the duplicate pair the finder queued for them.
     */
    async function twoRecordsOfOneGirl() {
      const survivor = await create('Mia', 'Thompson', '2014-03-09');
      const merged = await create('Mya', 'Thomson', '2014-03-09');
      const mother = await create('Sarah', 'Thompson', '1986-05-01');
      const carer = await create('Helen', 'Brandt', '1961-02-11');
      const sister = await create('Ella', 'Thomson', '2016-08-20');
      assert.equal((await services.people.update(caseworker.actor, merged, 1, personDetails({ givenNames: 'Mya', familyName: 'Thomson', dateOfBirth: '2014-03-09', sex: 'female', languages: ['English'] }))).outcome, 'saved');
      await services.people.addName(caseworker.actor, survivor, { nameType: 'alias', givenNames: 'Mimi', familyName: 'Thompson' });
      await services.people.addName(caseworker.actor, merged, { nameType: 'previous', givenNames: 'Mya', familyName: 'Okafor' });
      await services.people.addAddress(caseworker.actor, survivor, address('12 Wattle Street', 'Orange', '2800'), true);
      await services.people.addAddress(caseworker.actor, merged, address('3 Old Mill Road', 'Bathurst', '2795'), true);
      await services.people.addAddress(caseworker.actor, merged, { ...address('8 Kurrajong Avenue', 'Dubbo', '2830'), livedFrom: '2025-01-10' }, true);
      await services.people.addIdentifier(caseworker.actor, survivor, identifierSchema.parse({ identifierType: 'medicare', value: '2123 45670 1' }));
      await services.people.addIdentifier(caseworker.actor, merged, identifierSchema.parse({ identifierType: 'nhs_number', value: '943 476 5919' }));
      await relate(survivor, mother, 'parent'); // the mother is the survivor's parent
      await relate(merged, carer, 'carer'); // row: carer -> merged
      await relate(sister, merged, 'sibling'); // row: merged -> sister
      await relate(survivor, sister, 'sibling'); // the sister is on both records
      const [a, b] = survivor < merged ? [survivor, merged] : [merged, survivor];
      const pair = await database.db
        .insertInto('duplicate_candidates')
        .values({ organisation_id: caseworker.organisationId, person_a_id: a, person_b_id: b, weight: 20, probability: 0.99, decision: 'match', comparisons: '[]' })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { survivor, merged, mother, carer, sister, pair: pair.id };
    }

    /** Everything that belongs to these people, as stored, to compare before and after. */
    async function snapshot(ids: readonly string[], survivorIds: readonly string[] = []) {
      const people = await database.db.selectFrom('people').selectAll().where('id', 'in', ids).orderBy('id').execute();
      return {
        people: people.map((p) => {
          if (!survivorIds.includes(p.id)) return p;
          // A merge and an unmerge are changes to the survivor: it moves on a version.
          const { updated_at: _at, updated_by: _by, version: _version, ...rest } = p;
          return rest;
        }),
        names: await database.db.selectFrom('person_names').selectAll().where('person_id', 'in', ids).orderBy('id').execute(),
        addresses: await database.db.selectFrom('person_addresses').selectAll().where('person_id', 'in', ids).orderBy('id').execute(),
        identifiers: await database.db.selectFrom('person_identifiers').selectAll().where('person_id', 'in', ids).orderBy('id').execute(),
        relationships: await database.db
          .selectFrom('relationships')
          .selectAll()
          .where((eb) => eb.or([eb('person_id', 'in', ids), eb('related_person_id', 'in', ids)]))
          .orderBy('id')
          .execute(),
        story: await storyOf(ids),
        index: await Promise.all(ids.map((id) => indexEntry(database, id))),
        counts: await nameCounts(database, caseworker.organisationId),
      };
    }
    const storyOf = (ids: readonly string[]) =>
      database.db.selectFrom('story_events').select(['id', 'person_id', 'kind', 'summary']).where('person_id', 'in', ids).orderBy('id').execute();
    const ownersOf = async (table: 'person_names' | 'person_addresses' | 'person_identifiers' | 'story_events', ids: readonly string[]) =>
      new Set((await database.db.selectFrom(table).select('person_id').where('id', 'in', ids).execute()).map((r) => r.person_id));
    const auditOf = (subject: string) =>
      database.db.selectFrom('audit_events').select(['action', 'record_type', 'record_id', 'actor_user_id']).where('subject_person_id', '=', subject).orderBy('seq').execute();
    const pairStatus = async (id: string) => (await database.db.selectFrom('duplicate_candidates').select(['status', 'decided_by']).where('id', '=', id).executeTakeFirstOrThrow());

    it('merge then unmerge leaves both records exactly as they were, with their stories, relationships and index entries', async () => {
      const { survivor, merged, mother, carer, sister, pair } = await twoRecordsOfOneGirl();
      const ids = [survivor, merged, mother, carer, sister];
      const before = await snapshot(ids, [survivor]);
      const mergedStory = before.story.filter((e) => e.person_id === merged).map((e) => e.id);

      const outcome = await merge(survivor, merged, 'Same girl: confirmed with her school');
      assert.ok(outcome.outcome === 'merged');

      // While merged: every fact of the merged record is on the survivor's, and the merged record is out of the index.
      const during = await snapshot(ids);
      assert.equal(during.people.find((p) => p.id === merged)?.merged_into_id, survivor);
      for (const table of ['names', 'addresses', 'identifiers'] as const) {
        assert.ok(during[table].length > 0 && during[table].every((row) => row.person_id === survivor), `${table} all on the survivor`);
      }
      assert.deepEqual(await ownersOf('story_events', mergedStory), new Set([survivor]), "the merged record's story is on the survivor's");
      assert.ok(!during.relationships.some((r) => r.person_id === merged || r.related_person_id === merged));
      assert.equal(during.index[1], undefined);
      assert.ok(during.index[0]?.record.identifiers.includes('nhs_number:9434765919'));
      assert.equal((await pairStatus(pair)).status, 'merged');
      assert.equal((await pairStatus(pair)).decided_by, caseworker.id);
      await assertIndexInStep(database, caseworker.organisationId);

      const survivorPage = await services.people.viewRecord(caseworker.actor, survivor);
      assert.deepEqual(survivorPage?.mergedRecords.map((m) => [m.mergeId, m.personId, m.givenNames, m.familyName, m.mergedBy]), [[outcome.mergeId, merged, 'Mya', 'Thomson', 'Test caseworker']]);
      assert.equal(survivorPage.mergedInto, undefined);
      assert.deepEqual(survivorPage.network.map((m) => m.person.name).sort(), ['Ella Thomson', 'Ella Thomson', 'Helen Brandt', 'Sarah Thompson']);
      assert.deepEqual(survivorPage.addresses.map((a) => a.line1), ['8 Kurrajong Avenue', '12 Wattle Street', '3 Old Mill Road']);
      assert.ok(survivorPage.story.some((e) => e.summary === 'Record of Mya Thomson (born 9 March 2014) merged into this record: Same girl: confirmed with her school'));
      const mergedPage = await services.people.viewRecord(caseworker.actor, merged);
      assert.deepEqual(
        mergedPage?.mergedInto && [mergedPage.mergedInto.mergeId, mergedPage.mergedInto.personId, mergedPage.mergedInto.givenNames, mergedPage.mergedInto.familyName],
        [outcome.mergeId, survivor, 'Mia', 'Thompson'],
      );
      assert.deepEqual(mergedPage?.mergedRecords, []);
      assert.deepEqual(mergedPage?.story.map((e) => e.summary), ['Merged into the record of Mia Thompson (born 9 March 2014)']);
      const carerPage = await services.people.viewRecord(caseworker.actor, carer);
      assert.deepEqual(carerPage?.network.map((m) => [m.person.id, m.label]), [[survivor, 'Cared for']], "the carer's network points at the survivor");

      const undone = await services.merges.unmerge(caseworker.actor, outcome.mergeId);
      assert.deepEqual(undone, { outcome: 'unmerged', survivorId: survivor, mergedId: merged });

      const after = await snapshot(ids, [survivor]);
      const added = after.story.filter((e) => !before.story.some((b) => b.id === e.id));
      assert.deepEqual({ ...after, story: after.story.filter((e) => !added.includes(e)) }, before, 'both records, their relatives and the index are as they were');
      assert.deepEqual(
        added.map((e) => [e.person_id === survivor ? 'survivor' : e.person_id === merged ? 'merged' : e.person_id, e.kind, e.summary]).sort(),
        [
          ['merged', 'person.merged', 'Merged into the record of Mia Thompson (born 9 March 2014)'],
          ['merged', 'person.unmerged', 'Merge undone: separated from the record of Mia Thompson (born 9 March 2014)'],
          ['survivor', 'person.merged', 'Record of Mya Thomson (born 9 March 2014) merged into this record: Same girl: confirmed with her school'],
          ['survivor', 'person.unmerged', 'Merge undone: the record of Mya Thomson (born 9 March 2014) is separate again'],
        ],
      );
      for (const subject of [survivor, merged]) {
        const rows = (await auditOf(subject)).filter((r) => r.record_type === 'person_merge');
        assert.deepEqual(rows, [
          { action: 'person.merged', record_type: 'person_merge', record_id: outcome.mergeId, actor_user_id: caseworker.id },
          { action: 'person.unmerged', record_type: 'person_merge', record_id: outcome.mergeId, actor_user_id: caseworker.id },
        ]);
      }
      assert.equal((await pairStatus(pair)).status, 'dismissed', 'undoing a merge says the two are different people');
      const pages = await Promise.all([survivor, merged].map((id) => services.people.viewRecord(caseworker.actor, id)));
      assert.deepEqual(pages.map((p) => [p?.mergedInto, p?.mergedRecords]), [
        [undefined, []],
        [undefined, []],
      ]);
      await assertIndexInStep(database, caseworker.organisationId);
      assert.equal((await verifyAuditTrail(database.db)).intact, true);
      // Both are found again, each as themselves.
      const who = actorAsAuditWho(caseworker.actor);
      assert.equal((await services.personIndex.search(who, { given: 'Mya', family: 'Okafor' }, { limit: 3 })).candidates[0]?.personId, merged);
      assert.equal((await services.personIndex.search(who, { given: 'Mimi', family: 'Thompson' }, { limit: 3 })).candidates[0]?.personId, survivor);
    });

    it('moves the survivor on a version at the merge and at the unmerge, and leaves the merged record at its own', async () => {
      const { survivor, merged } = await twoRecordsOfOneGirl();
      const [survivorBefore, mergedBefore] = [await versionOf(survivor), await versionOf(merged)];
      const outcome = await merge(survivor, merged);
      assert.ok(outcome.outcome === 'merged');
      assert.equal(await versionOf(survivor), survivorBefore + 1);
      assert.equal((await services.merges.unmerge(caseworker.actor, outcome.mergeId)).outcome, 'unmerged');
      assert.deepEqual([await versionOf(survivor), await versionOf(merged)], [survivorBefore + 2, mergedBefore]);
    });

    it('keeps a merged record read-only until the merge is undone: every change to it is refused and writes nothing', async () => {
      const { survivor, merged } = await twoRecordsOfOneGirl();
      const other = await create('Zara', 'Quill', '2012-01-01');
      const outcome = await merge(survivor, merged);
      assert.ok(outcome.outcome === 'merged');
      const version = await versionOf(merged);
      const before = await snapshot([merged, other]);
      const actor = caseworker.actor;
      const relationship = { relatedPersonId: other, relationshipType: 'sibling' as const, startedOn: null, endedOn: null, notes: null };
      const attempts = {
        update: () => services.people.update(actor, merged, version, personDetails({ givenNames: 'Changed', familyName: 'Thomson', dateOfBirth: '2014-03-09', sex: 'female' })),
        addName: () => services.people.addName(actor, merged, { nameType: 'alias', givenNames: 'Changed', familyName: 'Thomson' }),
        addAddress: () => services.people.addAddress(actor, merged, address('1 New Street', 'Orange', '2800'), true),
        addIdentifier: () => services.people.addIdentifier(actor, merged, identifierSchema.parse({ identifierType: 'medicare', value: '2123 45670 1' })),
        relateFrom: () => services.people.addRelationship(actor, merged, relationship),
        relateTo: () => services.people.addRelationship(actor, other, { ...relationship, relatedPersonId: merged }),
      };
      for (const [name, attempt] of Object.entries(attempts)) assert.deepEqual(await attempt(), { outcome: 'not_found' }, name);
      assert.deepEqual(await snapshot([merged, other]), before, 'nothing about either person changed');

      assert.equal((await services.merges.unmerge(caseworker.actor, outcome.mergeId)).outcome, 'unmerged');
      assert.equal((await attempts.addName()).outcome, 'saved', 'once the merge is undone the record can be changed again');
    });

    describe('refuses, and writes nothing,', () => {
      /** Runs a refused merge and checks that nothing about these people changed. */
      async function refusedWithoutTrace(ids: readonly string[], work: () => Promise<unknown>, expected: unknown) {
        const before = await snapshot(ids);
        const merges = await database.db.selectFrom('person_merges').select('id').execute();
        assert.deepEqual(await work(), expected);
        assert.deepEqual(await snapshot(ids), before);
        assert.deepEqual(await database.db.selectFrom('person_merges').select('id').execute(), merges);
      }

      it('a merge of a person with themselves', async () => {
        const { survivor } = await twoRecordsOfOneGirl();
        await refusedWithoutTrace([survivor], () => merge(survivor, survivor), { outcome: 'refused', reason: 'same_person' });
      });

      it('a merge of a person who is not there, or who is in another organisation', async () => {
        const { survivor } = await twoRecordsOfOneGirl();
        const theirs = (await services.people.create(elsewhere.actor, personDetails({ givenNames: 'Mia', familyName: 'Thompson' }))).id;
        await refusedWithoutTrace([survivor, theirs], () => services.merges.merge(caseworker.actor, { survivorId: survivor, mergedId: theirs, survivorVersion: 1, mergedVersion: 1, reason: null }), {
          outcome: 'refused',
          reason: 'not_found',
        });
        await refusedWithoutTrace([survivor], () => services.merges.merge(caseworker.actor, { survivorId: randomUUID(), mergedId: survivor, survivorVersion: 1, mergedVersion: 1, reason: null }), {
          outcome: 'refused',
          reason: 'not_found',
        });
      });

      it('a merge into or of a record already merged', async () => {
        const { survivor, merged } = await twoRecordsOfOneGirl();
        const third = await create('Mia', 'Thomsen', '2014-03-09');
        assert.equal((await merge(survivor, merged)).outcome, 'merged');
        await refusedWithoutTrace([survivor, merged, third], () => merge(third, merged), { outcome: 'refused', reason: 'already_merged' });
        await refusedWithoutTrace([survivor, merged, third], () => merge(merged, third), { outcome: 'refused', reason: 'already_merged' });
      });

      it('a merge of two people related to each other, either way round', async () => {
        const { survivor, mother, sister } = await twoRecordsOfOneGirl();
        await refusedWithoutTrace([survivor, mother], () => merge(survivor, mother), { outcome: 'refused', reason: 'related' });
        await refusedWithoutTrace([survivor, sister], () => merge(sister, survivor), { outcome: 'refused', reason: 'related' });
      });

      it('a merge from a stale version of either record', async () => {
        const { survivor, merged } = await twoRecordsOfOneGirl();
        const [sv, mv] = [await versionOf(survivor), await versionOf(merged)];
        await refusedWithoutTrace([survivor, merged], () => services.merges.merge(caseworker.actor, { survivorId: survivor, mergedId: merged, survivorVersion: sv - 1, mergedVersion: mv, reason: null }), {
          outcome: 'refused',
          reason: 'stale',
        });
        await refusedWithoutTrace([survivor, merged], () => services.merges.merge(caseworker.actor, { survivorId: survivor, mergedId: merged, survivorVersion: sv, mergedVersion: mv + 1, reason: null }), {
          outcome: 'refused',
          reason: 'stale',
        });
      });

      it('an unmerge of a merge already undone, or of no merge of this organisation', async () => {
        const { survivor, merged } = await twoRecordsOfOneGirl();
        const outcome = await merge(survivor, merged);
        assert.ok(outcome.outcome === 'merged');
        assert.equal((await services.merges.unmerge(caseworker.actor, outcome.mergeId)).outcome, 'unmerged');
        await refusedWithoutTrace([survivor, merged], () => services.merges.unmerge(caseworker.actor, outcome.mergeId), { outcome: 'refused', reason: 'already_unmerged' });
        await refusedWithoutTrace([survivor, merged], () => services.merges.unmerge(caseworker.actor, randomUUID()), { outcome: 'refused', reason: 'not_found' });
        const again = await merge(survivor, merged);
        assert.ok(again.outcome === 'merged', 'the two can be merged again after an unmerge');
        await refusedWithoutTrace([survivor, merged], () => services.merges.unmerge(elsewhere.actor, again.mergeId), { outcome: 'refused', reason: 'not_found' });
      });
    });

    it('refuses to undo a merge whose survivor was merged again, until that one is undone; then both undo exactly', async () => {
      const { survivor, merged, mother, carer, sister } = await twoRecordsOfOneGirl();
      const third = await create('Mia', 'Thompson-Reid', '2014-03-09');
      await services.people.addAddress(caseworker.actor, third, address('40 Banksia Road', 'Orange', '2800'), true);
      const ids = [survivor, merged, third, mother, carer, sister];
      const before = await snapshot(ids, [survivor, third]);
      const first = await merge(survivor, merged);
      assert.ok(first.outcome === 'merged');
      const second = await merge(third, survivor);
      assert.ok(second.outcome === 'merged');

      // Every name of all three is on the last survivor's index entry, the earlier merge's too, and finds it.
      const names = (await indexEntry(database, third))?.record.names.map((n) => `${n.given} ${n.family}`);
      for (const name of ['Mia Thompson-Reid', 'Mia Thompson', 'Mimi Thompson', 'Mya Thomson', 'Mya Okafor']) assert.ok(names?.includes(name), `${name} in ${names?.join(', ')}`);
      const who = actorAsAuditWho(caseworker.actor);
      for (const [given, family] of [
        ['Mya', 'Okafor'],
        ['Mya', 'Thomson'],
      ] as const) {
        const found = await services.personIndex.search(who, { given, family }, { limit: 10 });
        const ids = found.candidates.map((c) => c.personId);
        assert.ok(ids.includes(third) && !ids.includes(survivor) && !ids.includes(merged), `${given} ${family} finds the record all three are merged into`);
      }
      await assertIndexInStep(database, caseworker.organisationId);

      const storyBefore = await storyOf(ids);
      assert.deepEqual(await services.merges.unmerge(caseworker.actor, first.mergeId), { outcome: 'refused', reason: 'survivor_merged' });
      assert.deepEqual(await storyOf(ids), storyBefore);

      assert.equal((await services.merges.unmerge(caseworker.actor, second.mergeId)).outcome, 'unmerged');
      assert.equal((await services.merges.unmerge(caseworker.actor, first.mergeId)).outcome, 'unmerged');
      const after = await snapshot(ids, [survivor, third]);
      const kept = after.story.filter((e) => before.story.some((b) => b.id === e.id));
      assert.deepEqual({ ...after, story: kept }, before);
      assert.equal(after.story.length - before.story.length, 8, 'a merged and an unmerged event on both stories of each merge');
      await assertIndexInStep(database, caseworker.organisationId);
    });
  });
}
