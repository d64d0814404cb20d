import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { HearthDatabase } from '../../src/db/connect.ts';
import { generatePeople } from '../../src/features/person-index/generate/generate-people.ts';
import { writeCsvFile } from '../../src/features/person-index/import/csv-file.ts';
import { PEOPLE_CSV_HEADER, toCsvLine } from '../../src/features/person-index/import/people-csv-format.ts';
import { PeopleCsvHeaderError, readPeopleCsv, type PeopleCsvRejection } from '../../src/features/person-index/import/read-people-csv.ts';
import { actorAsAuditWho, type AuditWho } from '../../src/platform/audit/audit-log.ts';
import { verifyAuditTrail } from '../../src/platform/audit/verify-audit-trail.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { createPeopleServices } from '../../src/services.ts';
import { testEngines } from '../support/engines.ts';
import { createOrganisation, createStaff, type TestStaff } from '../support/factories.ts';
import { assertIndexInStep, indexEntry, nameCounts } from '../support/person-index.ts';

const TODAY = '2025-06-15';

for (const engine of testEngines()) {
  describe(`people import [${engine.name}]`, () => {
    let database: HearthDatabase;
    let services: ReturnType<typeof createPeopleServices>;
    let dir: string;
    let files = 0;

    before(async () => {
      database = await engine.createDatabase();
      services = createPeopleServices(database.db, fixedClock(`${TODAY}T02:00:00Z`), 'Australia/Sydney');
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-import-test-'));
    });
    after(async () => {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const newImporter = async (name: string) => createStaff(database, await createOrganisation(database, name), 'caseworker');

    /** Writes the file (header first), reads it as the command does, imports it; returns what happened. */
    async function importFile(who: AuditWho, lines: readonly (string | Buffer)[], batchSize?: number) {
      const file = path.join(dir, `people-${++files}.csv`);
      fs.writeFileSync(file, Buffer.concat([Buffer.from(`${PEOPLE_CSV_HEADER}\n`), ...lines.map((l) => Buffer.concat([Buffer.from(l), Buffer.from('\n')]))]));
      const rejected: PeopleCsvRejection[] = [];
      const stats = await services.importer.import(who, readPeopleCsv(file, { today: TODAY }), {
        onRejected: (r) => void rejected.push(r),
        ...(batchSize ? { batchSize } : {}),
      });
      return { stats, rejected: rejected.map((r) => ({ line: r.line, reason: r.reason })) };
    }

    /** The GIN index's pending list limit: widened while a big file is imported, put back after. */
    const pendingListLimit = async () =>
      (await sql<{ options: string[] }>`select reloptions as options from pg_class where relname = 'person_index_keys'`.execute(database.db)).rows[0]?.options;

    const personBy = (organisationId: string, externalId: string) =>
      database.db.selectFrom('people').selectAll().where('organisation_id', '=', organisationId).where('external_id', '=', externalId).executeTakeFirst();
    const everyone = (organisationId: string) => database.db.selectFrom('people').select(['external_id']).where('organisation_id', '=', organisationId).orderBy('external_id').execute();

    it('imports every valid row with its story event, audit row and index entry, and reports each rejected row by line and reason', async () => {
      const staff = await newImporter('Import');
      const who = actorAsAuditWho(staff.actor);
      const { stats, rejected } = await importFile(who, [
        'P1,Kate,Smith,2015-03-04,female,2123 45670 1,12 High Street,Orange,2800,NSW', // line 2
        'P2,Ren,Ito,2011-02-30,,,,,,',
        'P3,Old,Timer,1066-10-14,,,,,,',
        'P4,Future,Child,2099-01-01,,,,,,',
        'P5,Too,Few,2015-01-01', // line 6
        'P6,"Broken,Quote,2015-01-01,,,,,,',
        'P7,Sam,"O\'Neill, Jr",2016-07-08,male,,"4/20 Long Road, Rear",Bathurst,2795,NSW',
        Buffer.from([0x50, 0x38, 0x2c, 0x52, 0x65, 0x6e, 0xff, 0xfe, 0x2c, 0x42, 0x61, 0x64, 0x2c, 0x2c, 0x2c, 0x2c, 0x2c, 0x2c, 0x2c]), // P8,Ren\xff\xfe,Bad,,,,,,,
        `P9,${'a'.repeat(10_000)},Long,,,,,,,`, // line 10
        'P10,Con\x07trol,Char,,,,,,,',
        'P11,,,2015-01-01,female,,,,,',
        'P12,Zoë,Müller,2013-07-22,female,943 476 5919,,,,',
        ',No,Id,,,,,,,', // line 14
        'P13,Ava,Jones,2014-13-01,unknown,,,,,',
      ]);
      assert.deepEqual(rejected, [
        { line: 3, reason: "date_of_birth '2011-02-30' is not a real date" },
        { line: 4, reason: 'date_of_birth 1066-10-14 is before 1900' },
        { line: 5, reason: 'date_of_birth is in the future' },
        { line: 6, reason: 'expected 10 columns, found 4' },
        { line: 7, reason: 'unterminated quote' },
        { line: 9, reason: 'not valid UTF-8' },
        { line: 10, reason: 'given_name is 10,000 characters: at most 100' },
        { line: 11, reason: 'control characters in given_name' },
        { line: 12, reason: 'given_name and family_name are both empty: a person needs a name' },
        { line: 14, reason: 'external_id is empty' },
        { line: 15, reason: "date_of_birth '2014-13-01' is not a real date; sex must be female, male or empty" },
      ]);
      assert.deepEqual(stats, { read: 14, created: 3, updated: 0, unchanged: 0, rejected: 11 });
      assert.deepEqual(await everyone(staff.organisationId), [{ external_id: 'P1' }, { external_id: 'P12' }, { external_id: 'P7' }], 'nothing of a rejected row was written');

      const kate = await personBy(staff.organisationId, 'P1');
      assert.deepEqual(kate && [kate.given_names, kate.family_name, kate.date_of_birth, kate.sex, kate.created_by], ['Kate', 'Smith', '2015-03-04', 'female', staff.id]);
      const sam = await personBy(staff.organisationId, 'P7');
      assert.deepEqual(sam && [sam.given_names, sam.family_name, sam.sex], ['Sam', "O'Neill, Jr", 'male']);
      const zoe = await personBy(staff.organisationId, 'P12');
      assert.deepEqual(zoe && [zoe.given_names, zoe.family_name], ['Zoë', 'Müller']);
      const ids = [kate!.id, sam!.id, zoe!.id];
      assert.deepEqual(
        (await database.db.selectFrom('person_addresses').select(['person_id', 'line1', 'suburb', 'postcode', 'state', 'lived_until']).where('person_id', 'in', ids).orderBy('line1').execute()).map(({ person_id, ...a }) => [person_id === kate!.id ? 'P1' : 'P7', a]),
        [
          ['P1', { line1: '12 High Street', suburb: 'Orange', postcode: '2800', state: 'NSW', lived_until: null }],
          ['P7', { line1: '4/20 Long Road, Rear', suburb: 'Bathurst', postcode: '2795', state: 'NSW', lived_until: null }],
        ],
      );
      assert.deepEqual(
        (await database.db.selectFrom('person_identifiers').select(['identifier_type', 'value']).where('person_id', 'in', ids).orderBy('value').execute()),
        [
          { identifier_type: 'medicare', value: '2123456701' },
          { identifier_type: 'nhs_number', value: '9434765919' },
        ],
      );
      for (const [externalId, id, line] of [
        ['P1', kate!.id, 2],
        ['P7', sam!.id, 8],
        ['P12', zoe!.id, 13],
      ] as const) {
        const story = await database.db.selectFrom('story_events').select(['kind', 'summary', 'details', 'actor_user_id']).where('person_id', '=', id).execute();
        assert.deepEqual(story, [{ kind: 'person.imported', summary: `Record created by import (external id ${externalId})`, details: { externalId, line }, actor_user_id: staff.id }]);
        const audit = await database.db.selectFrom('audit_events').select(['action', 'record_id', 'actor_user_id', 'details']).where('subject_person_id', '=', id).execute();
        assert.deepEqual(audit, [{ action: 'person.imported', record_id: id, actor_user_id: staff.id, details: { line } }]);
        assert.ok(await indexEntry(database, id), `${externalId} is in the index`);
      }
      await assertIndexInStep(database, staff.organisationId);
      const found = await services.personIndex.search(who, { given: 'Zoe', family: 'Mueller' }, { limit: 3 });
      assert.deepEqual(found.candidates.map((c) => [c.externalId, c.personId]).slice(0, 1), [['P12', zoe!.id]]);
      assert.equal((await verifyAuditTrail(database.db)).intact, true);
    });

    it('stops before any row when the header is wrong', async () => {
      const staff = await newImporter('Header');
      const file = path.join(dir, 'bad-header.csv');
      fs.writeFileSync(file, 'id,given,family\nP1,Kate,Smith\n');
      await assert.rejects(
        services.importer.import(actorAsAuditWho(staff.actor), readPeopleCsv(file, { today: TODAY }), { onRejected: () => assert.fail('no row is read') }),
        (error: unknown) => error instanceof PeopleCsvHeaderError && /The header is not right/.test(error.message),
      );
      assert.deepEqual(await everyone(staff.organisationId), []);
    });

    describe('re-importing the same external_id', () => {
      let staff: TestStaff;
      let who: AuditWho;
      let kateId: string;

      before(async () => {
        staff = await newImporter('Reimport');
        who = actorAsAuditWho(staff.actor);
        const first = await importFile(who, ['E1,Kate,Smith,2015-03-04,female,2123 45670 1,12 High Street,Orange,2800,NSW', 'E2,Liam,Walsh,2012-01-02,male,,,,,']);
        assert.equal(first.stats.created, 2);
        kateId = (await personBy(staff.organisationId, 'E1'))!.id;
      });

      it('updates what changed, moves the old address into history, adds a new identifier, and keeps what an empty column leaves out', async () => {
        const countsBefore = await nameCounts(database, staff.organisationId);
        const { stats, rejected } = await importFile(who, ['E1,,Smith-Jones,,,943 476 5919,7 Banksia Road,Dubbo,2830,NSW', 'E2,Liam,,,,,,,,']);
        assert.deepEqual(rejected, []);
        assert.deepEqual(stats, { read: 2, created: 0, updated: 1, unchanged: 1, rejected: 0 });
        const people = await database.db.selectFrom('people').selectAll().where('organisation_id', '=', staff.organisationId).where('external_id', '=', 'E1').execute();
        assert.equal(people.length, 1, 'never a second person');
        const kate = people[0]!;
        assert.deepEqual([kate.id, kate.given_names, kate.family_name, kate.date_of_birth, kate.sex, kate.version], [kateId, 'Kate', 'Smith-Jones', '2015-03-04', 'female', 2]);
        const addresses = await database.db.selectFrom('person_addresses').select(['line1', 'lived_until']).where('person_id', '=', kateId).orderBy('created_at').execute();
        assert.equal(addresses.length, 2);
        assert.equal(addresses[0]?.line1, '12 High Street');
        assert.notEqual(addresses[0]?.lived_until, null, 'the old address is in her history, ended');
        assert.deepEqual(addresses[1], { line1: '7 Banksia Road', lived_until: null });
        const identifiers = await database.db.selectFrom('person_identifiers').select(['identifier_type', 'value', 'removed_at']).where('person_id', '=', kateId).orderBy('value').execute();
        assert.deepEqual(identifiers, [
          { identifier_type: 'medicare', value: '2123456701', removed_at: null },
          { identifier_type: 'nhs_number', value: '9434765919', removed_at: null },
        ]);
        const story = await database.db.selectFrom('story_events').select(['kind', 'summary']).where('person_id', '=', kateId).orderBy('created_at').execute();
        assert.deepEqual(story.at(-1), { kind: 'person.details_changed', summary: 'Updated by import (external id E1): family name, address, identifier' });
        const audit = await database.db.selectFrom('audit_events').select(['action', 'details']).where('subject_person_id', '=', kateId).orderBy('seq').execute();
        assert.deepEqual(audit.map((a) => a.action), ['person.imported', 'person.updated']);
        assert.deepEqual(audit[1]?.details, { via: 'import', line: 2 });
        const liam = await personBy(staff.organisationId, 'E2');
        assert.deepEqual(liam && [liam.family_name, liam.date_of_birth, liam.sex, liam.version], ['Walsh', '2012-01-02', 'male', 1], 'empty columns erase nothing');

        // The index follows: her new name and address, and the counts moved from the old name to the new one.
        const entry = await indexEntry(database, kateId);
        assert.deepEqual(entry?.record.names, [{ given: 'Kate', family: 'Smith-Jones' }]);
        assert.deepEqual(entry.record.addresses.map((a) => a.suburb), ['Dubbo', 'Orange']);
        assert.ok(entry.keys.includes('id:nhs_number:9434765919'));
        const countsAfter = await nameCounts(database, staff.organisationId);
        assert.equal(countsAfter.get('family|smith') ?? 0, (countsBefore.get('family|smith') ?? 0) - 1);
        assert.equal(countsAfter.get('family|smithjones'), 1);
        await assertIndexInStep(database, staff.organisationId);
      });

      it('changes nothing, and writes nothing, when the same rows come again', async () => {
        const storyBefore = await database.db.selectFrom('story_events').select('id').where('organisation_id', '=', staff.organisationId).execute();
        const { stats } = await importFile(who, ['E1,Kate,Smith-Jones,2015-03-04,female,943 476 5919,7 Banksia Road,Dubbo,2830,NSW', 'E2,Liam,Walsh,2012-01-02,male,,,,,']);
        assert.deepEqual(stats, { read: 2, created: 0, updated: 0, unchanged: 2, rejected: 0 });
        assert.deepEqual(await database.db.selectFrom('story_events').select('id').where('organisation_id', '=', staff.organisationId).execute(), storyBefore);
        assert.equal((await personBy(staff.organisationId, 'E1'))?.version, 2);
      });

      it('takes the later of two rows for one external_id in a file', async () => {
        const { stats } = await importFile(who, ['E3,Ada,First,2016-01-01,,,,,,', 'E3,Ada,Second,2016-01-01,,,,,,']);
        assert.equal(stats.created, 1);
        const rows = await database.db.selectFrom('people').select('family_name').where('organisation_id', '=', staff.organisationId).where('external_id', '=', 'E3').execute();
        assert.deepEqual(rows, [{ family_name: 'Second' }]);
        await assertIndexInStep(database, staff.organisationId);
      });

      it("keeps one organisation's external ids apart from another's", async () => {
        const other = await newImporter('Reimport elsewhere');
        const { stats } = await importFile(actorAsAuditWho(other.actor), ['E1,Someone,Else,2001-01-01,,,,,,']);
        assert.equal(stats.created, 1);
        assert.equal((await personBy(staff.organisationId, 'E1'))?.given_names, 'Kate');
        assert.equal((await personBy(other.organisationId, 'E1'))?.given_names, 'Someone');
      });
    });

    describe('a batch that fails', () => {
      /** Makes the database refuse a write, as a full disk or a broken constraint would, for the length of `work`. */
      async function whileRefusing(table: 'people' | 'audit_events', condition: string, work: () => Promise<void>) {
        await sql.raw(`create function refuse_for_test() returns trigger language plpgsql as $$
          begin
            if ${condition} then raise exception 'the database refused the row'; end if;
            return new;
          end $$`).execute(database.db);
        await sql.raw(`create trigger refuse_for_test before insert on ${table} for each row execute function refuse_for_test()`).execute(database.db);
        try {
          await work();
        } finally {
          await sql.raw(`drop trigger refuse_for_test on ${table}`).execute(database.db);
          await sql.raw('drop function refuse_for_test()').execute(database.db);
        }
      }

      it('writes nothing of that batch, and keeps the batches before it', async () => {
        const staff = await newImporter('Batches');
        const who = actorAsAuditWho(staff.actor);
        const counts = async () => Object.fromEntries(await nameCounts(database, staff.organisationId));
        await whileRefusing('people', "new.external_id = 'B-FAIL'", async () => {
          await assert.rejects(
            // Batches of two: the second fails while the third is read and prepared, which is then never written.
            importFile(who, ['B1,Ann,Lee,2010-01-01,,,,,,', 'B2,Bo,Lee,2011-01-01,,,,,,', 'B3,Cy,Lee,2012-01-01,,,,,,', 'B-FAIL,Di,Lee,2013-01-01,,,,,,', 'B5,Ed,Lee,2015-01-01,,,,,,', 'B6,Flo,Lee,2016-01-01,,,,,,', 'B7,Gus,Lee,2017-01-01,,,,,,'], 2),
            /the database refused the row/,
          );
        });
        assert.deepEqual(await everyone(staff.organisationId), [{ external_id: 'B1' }, { external_id: 'B2' }]);
        assert.deepEqual(await pendingListLimit(), ['gin_pending_list_limit=256'], 'the index is as it was, though the import failed');
        assert.deepEqual(await counts(), { 'family|lee': 2, 'given|ann': 1, 'given|bo': 1, 'total|': 2 }, 'no name of the failed batch is counted');
        assert.equal((await database.db.selectFrom('story_events').select('id').where('organisation_id', '=', staff.organisationId).execute()).length, 2);
        assert.equal((await database.db.selectFrom('audit_events').select('id').where('organisation_id', '=', staff.organisationId).execute()).length, 2);
        await assertIndexInStep(database, staff.organisationId);

        // A batch that adds one person and updates another, failing at the update's audit row: neither is written.
        const b1 = await personBy(staff.organisationId, 'B1');
        const before = await counts();
        await whileRefusing('audit_events', "new.action = 'person.updated'", async () => {
          await assert.rejects(importFile(who, ['B4,Eve,Lee,2014-01-01,,,,,,', 'B1,Ann,Lee-Park,2010-01-01,,,,,,'], 10), /the database refused the row/);
        });
        assert.deepEqual(await everyone(staff.organisationId), [{ external_id: 'B1' }, { external_id: 'B2' }]);
        assert.deepEqual(await personBy(staff.organisationId, 'B1'), b1);
        assert.deepEqual(await counts(), before);
        await assertIndexInStep(database, staff.organisationId);
        assert.equal((await verifyAuditTrail(database.db)).intact, true);
      });
    });

    it('leaves the audit trail intact after a bulk import of generated people, a row for each, in order', async () => {
      const staff = await newImporter('Bulk');
      const file = path.join(dir, 'generated.csv');
      const count = 600;
      await writeCsvFile(file, PEOPLE_CSV_HEADER, (function* () {
        for (const person of generatePeople({ count, seed: 9, referenceDate: '2025-06-01' })) yield toCsvLine(person);
      })());
      const rejected: PeopleCsvRejection[] = [];
      const progress: number[] = [];
      const limits: Promise<string[] | undefined>[] = [];
      const stats = await services.importer.import(actorAsAuditWho(staff.actor), readPeopleCsv(file, { today: TODAY }), {
        batchSize: 250,
        onRejected: (r) => void rejected.push(r),
        onProgress: (s) => {
          progress.push(s.created);
          limits.push(pendingListLimit());
        },
      });
      assert.deepEqual((await Promise.all(limits))[0], ['gin_pending_list_limit=65536'], 'widened while the file is imported');
      assert.deepEqual(rejected, []);
      assert.deepEqual(stats, { read: count, created: count, updated: 0, unchanged: 0, rejected: 0 });
      assert.deepEqual(progress, [250, 500, 600]);
      assert.deepEqual(await pendingListLimit(), ['gin_pending_list_limit=256'], 'the pending list widened for the import is narrow again');
      const audit = await database.db.selectFrom('audit_events').select(['seq', 'action']).where('organisation_id', '=', staff.organisationId).orderBy('seq').execute();
      assert.equal(audit.length, count);
      assert.ok(audit.every((row, i) => row.action === 'person.imported' && Number(row.seq) === i + 1), 'one row each, seq 1, 2, 3 ...');
      const verified = await verifyAuditTrail(database.db);
      assert.equal(verified.intact, true);
      assert.equal(verified.organisations.find((o) => o.organisationId === staff.organisationId)?.rowsChecked, count);
      await assertIndexInStep(database, staff.organisationId);
    });
  });
}
