import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { HearthDatabase } from '../../src/db/connect.ts';
import { AuditTrailService } from '../../src/features/audit-trail/service.ts';
import { identifierSchema } from '../../src/features/people/schemas.ts';
import type { PeopleService} from '../../src/features/people/service.ts';
import { RelationshipToSelfError } from '../../src/features/people/service.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { verifyAuditTrail } from '../../src/platform/audit/verify-audit-trail.ts';
import { testEngines } from '../support/engines.ts';
import { createOrganisation, createStaff, personDetails, type TestStaff } from '../support/factories.ts';
import { createPeopleServices } from '../../src/services.ts';

/** "Today" for these tests, in Sydney: relationships and moves are dated around it. */
const TODAY = '2025-06-15';

for (const engine of testEngines()) {
  describe(`people service [${engine.name}]`, () => {
    let database: HearthDatabase;
    let people: PeopleService;
    let caseworker: TestStaff;
    let auditor: TestStaff;

    before(async () => {
      database = await engine.createDatabase();
      people = createPeopleServices(database.db, fixedClock(`${TODAY}T02:00:00Z`), 'Australia/Sydney').people;
      const organisation = await createOrganisation(database);
      caseworker = await createStaff(database, organisation, 'caseworker');
      auditor = await createStaff(database, organisation, 'auditor');
    });
    after(() => database.close());

    /** Audit rows about one person, oldest first (read as the owner, across row-level security). */
    const auditFor = (personId: string) =>
      database.db
        .selectFrom('audit_events')
        .select(['action', 'record_id', 'subject_person_id', 'actor_user_id', 'details'])
        .where('subject_person_id', '=', personId)
        .orderBy('seq')
        .execute();
    const actionsFor = async (personId: string) => (await auditFor(personId)).map((row) => row.action);
    const storyFor = (personId: string) =>
      database.db.selectFrom('story_events').select(['kind', 'summary']).where('person_id', '=', personId).orderBy('created_at').execute();
    const personRow = (id: string) => database.db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

    describe('details', () => {
      it('creates a person with a story event and an audit row, and shows the whole record', async () => {
        const created = await people.create(caseworker.actor, personDetails({ givenNames: 'Ada', familyName: 'Lovelace', languages: ['English', 'Auslan'] }));
        assert.equal(created.version, 1);
        assert.deepEqual(await actionsFor(created.id), ['person.created']);
        const record = await people.viewRecord(caseworker.actor, created.id);
        assert.ok(record);
        assert.equal(record.person.givenNames, 'Ada');
        assert.deepEqual(record.person.languages, ['English', 'Auslan']);
        assert.deepEqual(
          record.story.map((e) => [e.kind, e.summary, e.actorName]),
          [['person.created', 'Record created', 'Test caseworker']],
        );
        assert.deepEqual(record.names, []);
        assert.deepEqual(record.network, []);
      });

      it('saves a change at the right version, with its story event and audit row', async () => {
        const created = await people.create(caseworker.actor, personDetails({ familyName: 'Before' }));
        const outcome = await people.update(caseworker.actor, created.id, 1, personDetails({ familyName: 'After', languages: ['Arabic'] }));
        assert.equal(outcome.outcome, 'saved');
        assert.equal(outcome.outcome === 'saved' && outcome.value.version, 2);
        assert.equal((await personRow(created.id)).family_name, 'After');
        const story = await storyFor(created.id);
        assert.deepEqual(story.at(-1), { kind: 'person.details_changed', summary: 'Details changed: family name, languages' });
        const audit = (await auditFor(created.id)).at(-1);
        assert.equal(audit?.action, 'person.updated');
        assert.equal(audit?.actor_user_id, caseworker.id);
        assert.deepEqual(audit?.details, { fields: ['familyName', 'languages'] });
      });

      it('saves nothing, and writes nothing, when the details are unchanged', async () => {
        const created = await people.create(caseworker.actor, personDetails({ familyName: 'Same' }));
        const outcome = await people.update(caseworker.actor, created.id, 1, personDetails({ familyName: 'Same' }));
        assert.equal(outcome.outcome, 'saved');
        assert.equal((await personRow(created.id)).version, 1);
        assert.deepEqual(await actionsFor(created.id), ['person.created']);
      });

      it('refuses a stale version: returns the current person and writes nothing', async () => {
        const created = await people.create(caseworker.actor, personDetails({ familyName: 'First' }));
        await people.update(caseworker.actor, created.id, 1, personDetails({ familyName: 'Second' }));
        const storyBefore = await storyFor(created.id);
        const auditBefore = await auditFor(created.id);
        const outcome = await people.update(caseworker.actor, created.id, 1, personDetails({ familyName: 'Stale' }));
        assert.equal(outcome.outcome, 'conflict');
        assert.ok(outcome.outcome === 'conflict');
        assert.equal(outcome.current.familyName, 'Second');
        assert.equal(outcome.current.version, 2);
        const row = await personRow(created.id);
        assert.equal(row.family_name, 'Second');
        assert.equal(row.version, 2);
        assert.deepEqual(await storyFor(created.id), storyBefore);
        assert.deepEqual(await auditFor(created.id), auditBefore);
      });

      it('answers not_found for a person of another organisation, and leaves them unchanged', async () => {
        const elsewhere = await createStaff(database, await createOrganisation(database, 'Elsewhere'), 'caseworker');
        const theirs = await people.create(elsewhere.actor, personDetails({ familyName: 'Theirs' }));
        assert.equal(await people.viewRecord(caseworker.actor, theirs.id), undefined);
        assert.equal(await people.view(caseworker.actor, theirs.id), undefined);
        assert.equal(await people.viewForApi(caseworker.actor, theirs.id), undefined);
        assert.deepEqual(await people.update(caseworker.actor, theirs.id, 1, personDetails({ familyName: 'Mine' })), { outcome: 'not_found' });
        assert.equal((await personRow(theirs.id)).family_name, 'Theirs');
        assert.deepEqual(await actionsFor(theirs.id), ['person.created']);
      });

      it('saves nothing when the audit row cannot be written: the change, its story and its audit commit together', async () => {
        const created = await people.create(caseworker.actor, personDetails({ familyName: 'Kept' }));
        // Make the audit insert fail, as a full disk or a broken chain would, for this one action only.
        await sql`create function refuse_person_updated() returns trigger language plpgsql as $$
          begin
            if new.action = 'person.updated' then raise exception 'the audit trail refused the row'; end if;
            return new;
          end $$`.execute(database.db);
        await sql`create trigger refuse_person_updated before insert on audit_events for each row execute function refuse_person_updated()`.execute(
          database.db,
        );
        try {
          await assert.rejects(people.update(caseworker.actor, created.id, 1, personDetails({ familyName: 'Lost' })), /the audit trail refused the row/);
        } finally {
          await sql`drop trigger refuse_person_updated on audit_events`.execute(database.db);
          await sql`drop function refuse_person_updated()`.execute(database.db);
        }
        const row = await personRow(created.id);
        assert.equal(row.family_name, 'Kept');
        assert.equal(row.version, 1);
        assert.deepEqual(
          (await storyFor(created.id)).map((e) => e.kind),
          ['person.created'],
        );
        assert.deepEqual(await actionsFor(created.id), ['person.created']);
        // The chain head rolled back too: the next change appends cleanly and the chain verifies.
        assert.equal((await people.update(caseworker.actor, created.id, 1, personDetails({ familyName: 'Saved' }))).outcome, 'saved');
        assert.equal((await verifyAuditTrail(database.db)).intact, true);
      });
    });

    describe('names, addresses and identifiers', () => {
      it('adds and removes another name, on the story and in the audit trail', async () => {
        const person = await people.create(caseworker.actor, personDetails({ givenNames: 'Sam', familyName: 'Jones' }));
        const added = await people.addName(caseworker.actor, person.id, { nameType: 'previous', givenNames: 'Sam', familyName: 'Smith' });
        assert.ok(added.outcome === 'saved');
        assert.deepEqual((await people.viewRecord(caseworker.actor, person.id))?.names.map((n) => [n.nameType, n.familyName]), [['previous', 'Smith']]);
        assert.equal((await people.removeName(caseworker.actor, person.id, added.value.id)).outcome, 'saved');
        assert.deepEqual((await people.viewRecord(caseworker.actor, person.id))?.names, []);
        assert.deepEqual(await people.removeName(caseworker.actor, person.id, added.value.id), { outcome: 'not_found' });
        assert.deepEqual(
          (await storyFor(person.id)).map((e) => e.summary),
          ['Record created', 'Previous name added: Sam Smith', 'Previous name removed: Sam Smith'],
        );
        const actions = await actionsFor(person.id);
        assert.ok(actions.includes('person.name_added') && actions.includes('person.name_removed'));
        assert.equal((await personRow(person.id)).version, 3, 'each change to a part moves the record on a version');
      });

      it('ends the old current address on the move-in date when they move, keeping both in their history', async () => {
        const person = await people.create(caseworker.actor, personDetails());
        const address = { line2: null, state: 'NSW', postcode: null, country: null, livedUntil: null };
        const first = await people.addAddress(caseworker.actor, person.id, { ...address, line1: '1 Old Road', suburb: 'Parramatta', livedFrom: '2020-01-10' }, false);
        const second = await people.addAddress(caseworker.actor, person.id, { ...address, line1: '2 New Street', suburb: 'Penrith', livedFrom: '2025-03-01' }, true);
        assert.ok(first.outcome === 'saved' && second.outcome === 'saved');
        const addresses = (await people.viewRecord(caseworker.actor, person.id))?.addresses ?? [];
        assert.deepEqual(
          addresses.map((a) => [a.line1, a.livedFrom, a.livedUntil]),
          [
            ['2 New Street', '2025-03-01', null],
            ['1 Old Road', '2020-01-10', '2025-03-01'],
          ],
        );
        assert.equal(addresses[1]?.version, 2);
        assert.equal((await storyFor(person.id)).at(-1)?.summary, 'Address added: 2 New Street, Penrith, NSW (moved from 1 Old Road, Parramatta, NSW)');
      });

      it('ends the old current address today when the move has no date', async () => {
        const person = await people.create(caseworker.actor, personDetails());
        const address = { line2: null, state: null, postcode: null, country: null, livedFrom: null, livedUntil: null };
        await people.addAddress(caseworker.actor, person.id, { ...address, line1: '5 Before Street', suburb: 'Orange' }, true);
        await people.addAddress(caseworker.actor, person.id, { ...address, line1: '6 After Street', suburb: 'Orange' }, true);
        const addresses = (await people.viewRecord(caseworker.actor, person.id))?.addresses ?? [];
        assert.deepEqual(
          addresses.map((a) => [a.line1, a.livedUntil]),
          [
            ['6 After Street', null],
            ['5 Before Street', TODAY],
          ],
        );
      });

      it('keeps the old current address current when the new one is added without endPrevious', async () => {
        const person = await people.create(caseworker.actor, personDetails());
        const address = { line2: null, state: null, postcode: null, country: null, livedFrom: null, livedUntil: null };
        await people.addAddress(caseworker.actor, person.id, { ...address, line1: '1 Home Road', suburb: 'Dubbo' }, false);
        await people.addAddress(caseworker.actor, person.id, { ...address, line1: '2 Other Road', suburb: 'Dubbo' }, false);
        const addresses = (await people.viewRecord(caseworker.actor, person.id))?.addresses ?? [];
        assert.deepEqual(addresses.map((a) => a.livedUntil), [null, null]);
      });

      it('updates an address at its version, and refuses a stale one with the current address', async () => {
        const person = await people.create(caseworker.actor, personDetails());
        const input = { line1: '3 Lane', line2: null, suburb: 'Bathurst', state: null, postcode: null, country: null, livedFrom: null, livedUntil: null };
        const added = await people.addAddress(caseworker.actor, person.id, input, true);
        assert.ok(added.outcome === 'saved');
        const saved = await people.updateAddress(caseworker.actor, person.id, added.value.id, 1, { ...input, postcode: '2795' });
        assert.ok(saved.outcome === 'saved');
        assert.equal(saved.value.version, 2);
        const stale = await people.updateAddress(caseworker.actor, person.id, added.value.id, 1, { ...input, postcode: '9999' });
        assert.ok(stale.outcome === 'conflict');
        assert.equal(stale.current.postcode, '2795');
        assert.equal((await people.findAddress(caseworker.actor, person.id, added.value.id))?.postcode, '2795');
      });

      it('accepts Medicare and NHS numbers only with the right check digit, and stores them without spaces', async () => {
        assert.equal(identifierSchema.safeParse({ identifierType: 'medicare', value: '2123 45670 1' }).success, true);
        assert.equal(identifierSchema.safeParse({ identifierType: 'medicare', value: '2123 45671 1' }).success, false);
        assert.equal(identifierSchema.safeParse({ identifierType: 'nhs_number', value: '943 476 5919' }).success, true);
        const badNhs = identifierSchema.safeParse({ identifierType: 'nhs_number', value: '943 476 5918' });
        assert.equal(badNhs.success, false);
        assert.match(badNhs.error?.issues[0]?.message ?? '', /valid 10-digit NHS number/);

        const person = await people.create(caseworker.actor, personDetails());
        const medicare = identifierSchema.parse({ identifierType: 'medicare', value: '2123 45670 1' });
        const added = await people.addIdentifier(caseworker.actor, person.id, medicare);
        assert.ok(added.outcome === 'saved');
        assert.deepEqual(
          (await people.viewRecord(caseworker.actor, person.id))?.identifiers.map((i) => [i.identifierType, i.value]),
          [['medicare', '2123456701']],
        );
        assert.equal((await people.removeIdentifier(caseworker.actor, person.id, added.value.id)).outcome, 'saved');
        assert.deepEqual((await people.viewRecord(caseworker.actor, person.id))?.identifiers, []);
        assert.deepEqual(
          (await storyFor(person.id)).map((e) => e.summary).slice(1),
          ['Identifier added: Medicare card number: 2123 45670 1', 'Identifier removed: Medicare card number: 2123 45670 1'],
        );
      });
    });

    describe('relationships', () => {
      const parentOf = (relatedPersonId: string) => ({ relatedPersonId, relationshipType: 'parent' as const, startedOn: null, endedOn: null, notes: null });

      it("reads a 'parent' row as Parent on the child's page and Child on the parent's", async () => {
        const child = await people.create(caseworker.actor, personDetails({ givenNames: 'Kid', familyName: 'Doe' }));
        const parent = await people.create(caseworker.actor, personDetails({ givenNames: 'Pat', familyName: 'Doe', dateOfBirth: '1985-01-01' }));
        const added = await people.addRelationship(caseworker.actor, child.id, parentOf(parent.id));
        assert.ok(added.outcome === 'saved');
        assert.equal(added.value.label, 'Parent');

        const onChild = (await people.viewRecord(caseworker.actor, child.id))?.network ?? [];
        assert.deepEqual(onChild.map((m) => [m.person.name, m.label, m.current]), [['Pat Doe', 'Parent', true]]);
        const onParent = (await people.viewRecord(caseworker.actor, parent.id))?.network ?? [];
        assert.deepEqual(onParent.map((m) => [m.person.name, m.label, m.current]), [['Kid Doe', 'Child', true]]);

        assert.equal((await storyFor(child.id)).at(-1)?.summary, 'Pat Doe added to their network as parent');
        assert.equal((await storyFor(parent.id)).at(-1)?.summary, 'Kid Doe added to their network as child');
        assert.equal((await actionsFor(child.id)).filter((a) => a === 'relationship.added').length, 1);
        assert.equal((await actionsFor(parent.id)).filter((a) => a === 'relationship.added').length, 1);
      });

      it('refuses a relationship to oneself, saving nothing', async () => {
        const person = await people.create(caseworker.actor, personDetails());
        await assert.rejects(people.addRelationship(caseworker.actor, person.id, parentOf(person.id)), RelationshipToSelfError);
        assert.deepEqual((await people.viewRecord(caseworker.actor, person.id))?.network, []);
        assert.deepEqual(await actionsFor(person.id).then((a) => a.filter((x) => x.startsWith('relationship.'))), []);
      });

      it('updates a relationship at its version and refuses a stale version with the current relationship', async () => {
        const child = await people.create(caseworker.actor, personDetails({ givenNames: 'Kim' }));
        const carer = await people.create(caseworker.actor, personDetails({ givenNames: 'Lee' }));
        const added = await people.addRelationship(caseworker.actor, child.id, { ...parentOf(carer.id), relationshipType: 'carer' });
        assert.ok(added.outcome === 'saved');
        const id = added.value.relationshipId;
        const saved = await people.updateRelationship(caseworker.actor, child.id, id, {
          relationshipType: 'carer', startedOn: '2024-01-01', endedOn: null, notes: 'Weekends', version: 1,
        });
        assert.ok(saved.outcome === 'saved');
        assert.equal(saved.value.version, 2);
        const storyBefore = await storyFor(child.id);
        const stale = await people.updateRelationship(caseworker.actor, carer.id, id, {
          relationshipType: 'foster_carer', startedOn: null, endedOn: null, notes: null, version: 1,
        });
        assert.ok(stale.outcome === 'conflict');
        assert.equal(stale.current.version, 2);
        assert.equal(stale.current.notes, 'Weekends');
        assert.equal(stale.current.label, 'Cared for', "seen from the carer's side");
        assert.equal((await people.findNetworkMember(caseworker.actor, child.id, id))?.relationshipType, 'carer');
        assert.deepEqual(await storyFor(child.id), storyBefore);
      });

      it('ends a relationship: no longer current, on both stories, still in the network', async () => {
        const child = await people.create(caseworker.actor, personDetails({ givenNames: 'Ola', familyName: 'Ray' }));
        const partner = await people.create(caseworker.actor, personDetails({ givenNames: 'Max', familyName: 'Ray' }));
        const added = await people.addRelationship(caseworker.actor, child.id, { ...parentOf(partner.id), relationshipType: 'household_member' });
        assert.ok(added.outcome === 'saved');
        const ended = await people.updateRelationship(caseworker.actor, child.id, added.value.relationshipId, {
          relationshipType: 'household_member', startedOn: '2023-02-01', endedOn: '2025-05-31', notes: null, version: 1,
        });
        assert.ok(ended.outcome === 'saved');
        assert.equal(ended.value.current, false);
        const network = (await people.viewRecord(caseworker.actor, partner.id))?.network ?? [];
        assert.deepEqual(network.map((m) => [m.person.name, m.current, m.endedOn]), [['Ola Ray', false, '2025-05-31']]);
        assert.equal((await storyFor(child.id)).at(-1)?.summary, 'Relationship ended: Max Ray (household member), from 31 May 2025');
        assert.equal((await storyFor(partner.id)).at(-1)?.summary, 'Relationship ended: Ola Ray (household member), from 31 May 2025');
        for (const subject of [child.id, partner.id]) {
          assert.equal((await actionsFor(subject)).filter((a) => a === 'relationship.updated').length, 1);
        }
      });

      it('does not show or change a relationship through a person who is not on it', async () => {
        const [a, b, stranger] = await Promise.all(['A', 'B', 'C'].map((g) => people.create(caseworker.actor, personDetails({ givenNames: g }))));
        const added = await people.addRelationship(caseworker.actor, a!.id, { ...parentOf(b!.id), relationshipType: 'sibling' });
        assert.ok(added.outcome === 'saved');
        assert.equal(await people.findNetworkMember(caseworker.actor, stranger!.id, added.value.relationshipId), undefined);
        const outcome = await people.updateRelationship(caseworker.actor, stranger!.id, added.value.relationshipId, {
          relationshipType: 'friend', startedOn: null, endedOn: null, notes: null, version: 1,
        });
        assert.deepEqual(outcome, { outcome: 'not_found' });
      });
    });


    describe('views are audited', () => {
      it('writes a person.viewed row with the subject for viewRecord, view and viewForApi', async () => {
        const person = await people.create(caseworker.actor, personDetails());
        await people.viewRecord(caseworker.actor, person.id);
        await people.view(caseworker.actor, person.id);
        await people.viewForApi(caseworker.actor, person.id);
        const views = (await auditFor(person.id)).filter((row) => row.action === 'person.viewed');
        assert.equal(views.length, 3);
        for (const row of views) {
          assert.equal(row.subject_person_id, person.id);
          assert.equal(row.record_id, person.id);
          assert.equal(row.actor_user_id, caseworker.id);
        }
        assert.deepEqual(views[2]?.details, { via: 'api' });
      });

      it('does not audit identify, which only names the person for another page', async () => {
        const person = await people.create(caseworker.actor, personDetails({ givenNames: 'Named' }));
        assert.equal((await people.identify(caseworker.actor, person.id))?.name, 'Named Person');
        assert.deepEqual(await actionsFor(person.id), ['person.created']);
      });
    });

    describe('audit trail of a person', () => {
      it('lists who viewed and changed the record, newest first, and audits its own reading', async () => {
        const trail = new AuditTrailService(database.db);
        const person = await people.create(caseworker.actor, personDetails({ familyName: 'Trail' }));
        await people.viewRecord(caseworker.actor, person.id);
        await people.update(caseworker.actor, person.id, 1, personDetails({ familyName: 'Trailed' }));
        const entries = await trail.forPerson(auditor.actor, person.id);
        assert.deepEqual(
          entries.map((e) => [e.action, e.who, e.role]),
          [
            ['person.updated', 'Test caseworker', 'caseworker'],
            ['person.viewed', 'Test caseworker', 'caseworker'],
            ['person.created', 'Test caseworker', 'caseworker'],
          ],
        );
        assert.equal(entries[0]?.requestId, caseworker.actor.requestId);
        const again = await trail.forPerson(auditor.actor, person.id);
        assert.deepEqual([again[0]?.action, again[0]?.who, again[0]?.role], ['person.audit_trail_viewed', 'Test auditor', 'auditor']);
        assert.equal(again.length, 4);
      });

      it("shows nothing of another organisation's person", async () => {
        const elsewhere = await createStaff(database, await createOrganisation(database, 'Other'), 'caseworker');
        const theirs = await people.create(elsewhere.actor, personDetails());
        const entries = await new AuditTrailService(database.db).forPerson(auditor.actor, theirs.id);
        assert.deepEqual(entries, []);
      });
    });
  });
}
