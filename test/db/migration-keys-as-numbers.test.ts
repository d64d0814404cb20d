import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Migrator, sql } from 'kysely';
import { connect, type HearthDatabase } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { migrations } from '../../src/db/migrations/index.ts';
import { createOrganisation } from '../support/factories.ts';
import { withAdmin, withDatabase } from '../support/engines.ts';

/**
 * An installation indexed before migration 0012 keeps its index: the text keys already stored become
 * the numbers a search now looks up, name-only keys negative, and nobody needs reindexing.
 */
const BEFORE = '0011-name-spellings-by-kind';
const TEXT_KEYS = ['dob:2015:3:4', 'nn:KT:SM0', 'np:SM0:kat', 'n1:SM0', 'n1:KT'];

interface Unmigrated {
  readonly name: string;
  open(): Promise<HearthDatabase>;
  dispose(): Promise<void>;
}

function engines(): Unmigrated[] {
  const list: Unmigrated[] = [{ name: 'pglite', open: () => connect({ engine: 'pglite-memory' }), dispose: async () => undefined }];
  const url = process.env['TEST_DATABASE_URL'];
  if (url) {
    const name = `hearth_migration_0012_${process.pid}`;
    list.push({
      name: 'postgres',
      async open() {
        await withAdmin(url, async (client) => {
          await client.query(`drop database if exists ${name} with (force)`);
          await client.query(`create database ${name}`);
        });
        return connect({ engine: 'postgres', url: withDatabase(url, name) });
      },
      dispose: () => withAdmin(url, async (client) => void (await client.query(`drop database if exists ${name} with (force)`))),
    });
  }
  return list;
}

for (const engine of engines()) {
  describe(`migration 0012: blocking keys as numbers [${engine.name}]`, () => {
    let database: HearthDatabase;
    let personId: string;

    before(async () => {
      database = await engine.open();
      const migrator = new Migrator({ db: database.db, provider: { getMigrations: () => Promise.resolve(migrations) } });
      const { error } = await migrator.migrateTo(BEFORE);
      assert.equal(error, undefined);
      const organisationId = await createOrganisation(database);
      personId = (
        await sql<{ id: string }>`insert into people (organisation_id, given_names, family_name, date_of_birth) values (${organisationId}, 'Kate', 'Smith', '2015-03-04') returning id`.execute(database.db)
      ).rows[0]!.id;
      await sql`insert into person_index (person_id, organisation_id, record, keys) values (${personId}, ${organisationId}, '{}', ${sql.val(TEXT_KEYS)}::text[])`.execute(database.db);
      await migrateToLatest(database.db);
    });
    after(async () => {
      await database.close();
      await engine.dispose();
    });

    it('turns the stored text keys into the numbers a search looks up', async () => {
      const stored = (await sql<{ keys: number[] }>`select keys from person_index where person_id = ${personId}`.execute(database.db)).rows[0]?.keys;
      const expected = (await sql<{ numbers: number[] }>`select person_key_numbers(${sql.val(TEXT_KEYS)}::text[]) as numbers`.execute(database.db)).rows[0]?.numbers;
      assert.equal(stored?.length, TEXT_KEYS.length);
      assert.deepEqual(stored, expected);
    });

    it('numbers name-only keys below zero and every other key from zero up', async () => {
      const numbers = (await sql<{ numbers: number[] }>`select person_key_numbers(${sql.val(TEXT_KEYS)}::text[]) as numbers`.execute(database.db)).rows[0]?.numbers ?? [];
      assert.deepEqual(
        numbers.map((n) => n < 0),
        TEXT_KEYS.map((key) => key.startsWith('n1:')),
      );
    });
  });
}
