import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { HearthDatabase } from '../../src/db/connect.ts';
import { inOrganisation } from '../../src/db/tenancy.ts';
import { createPeopleServices } from '../../src/services.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { testEngines } from '../support/engines.ts';
import { createOrganisation, createStaff, personDetails } from '../support/factories.ts';

for (const engine of testEngines()) {
  describe(`tenancy by row-level security [${engine.name}]`, () => {
    let database: HearthDatabase;
    let orgA: string;
    let orgB: string;
    let personA: string;
    let personB: string;

    before(async () => {
      database = await engine.createDatabase();
      orgA = await createOrganisation(database, 'A');
      orgB = await createOrganisation(database, 'B');
      const people = createPeopleServices(database.db, systemClock, 'Australia/Sydney').people;
      personA = (await people.create((await createStaff(database, orgA, 'caseworker')).actor, personDetails({ familyName: 'Alpha' }))).id;
      personB = (await people.create((await createStaff(database, orgB, 'caseworker')).actor, personDetails({ familyName: 'Bravo' }))).id;
    });
    after(() => database.close());

    it('shows an organisation only its own people, even to a query with no WHERE', async () => {
      const seenByA = await inOrganisation(database.db, orgA, (trx) => trx.selectFrom('people').select('id').execute());
      assert.deepEqual(seenByA.map((r) => r.id), [personA]);
      const seenByB = await inOrganisation(database.db, orgB, (trx) => trx.selectFrom('people').select('id').execute());
      assert.deepEqual(seenByB.map((r) => r.id), [personB]);
    });

    it('hides every case table from a direct SQL query made as the application role', async () => {
      for (const table of ['people', 'story_events', 'audit_events', 'users', 'person_addresses', 'relationships']) {
        const counts = await database.db.transaction().execute(async (trx) => {
          await sql`select set_config('app.organisation_id', ${orgA}, true)`.execute(trx);
          await sql`set local role hearth_app`.execute(trx);
          const mine = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where organisation_id = ${orgB}`.execute(trx);
          return mine.rows[0]?.n;
        });
        assert.equal(counts, 0, `${table}: organisation B's rows must be invisible to A`);
      }
    });

    it('shows nothing at all when no organisation is set', async () => {
      const rows = await database.db.transaction().execute(async (trx) => {
        await sql`set local role hearth_app`.execute(trx);
        return sql<{ n: number }>`select count(*)::int as n from people`.execute(trx);
      });
      assert.equal(rows.rows[0]?.n, 0);
    });

    it('refuses to write a row into another organisation', async () => {
      await assert.rejects(
        inOrganisation(database.db, orgA, (trx) =>
          trx.insertInto('people').values({ organisation_id: orgB, family_name: 'Intruder', updated_at: new Date() }).execute(),
        ),
        /row-level security/,
      );
    });

    it('refuses to update or read another organisation\'s person by id', async () => {
      const updated = await inOrganisation(database.db, orgA, (trx) =>
        trx.updateTable('people').set({ family_name: 'Changed' }).where('id', '=', personB).executeTakeFirst(),
      );
      assert.equal(Number(updated.numUpdatedRows), 0);
      const found = await inOrganisation(database.db, orgA, (trx) => trx.selectFrom('people').selectAll().where('id', '=', personB).executeTakeFirst());
      assert.equal(found, undefined);
    });

    it('gives the application role no access to sessions, tokens or secrets', async () => {
      for (const table of ['sessions', 'api_tokens', 'instance_secrets']) {
        await assert.rejects(
          inOrganisation(database.db, orgA, (trx) => sql`select * from ${sql.table(table)}`.execute(trx)),
          /permission denied/,
          table,
        );
      }
    });

    it('acts as the application role in the organisation, and resets the role when the transaction ends', async () => {
      const inside = await inOrganisation(database.db, orgA, async (trx) =>
        (await sql<{ who: string; organisation: string }>`select current_user as who, current_setting('app.organisation_id') as organisation`.execute(trx)).rows[0],
      );
      assert.deepEqual(inside, { who: 'hearth_app', organisation: orgA });
      const role = await sql<{ current_user: string }>`select current_user`.execute(database.db);
      assert.notEqual(role.rows[0]?.current_user, 'hearth_app');
    });
  });
}
