import assert from 'node:assert/strict';
import type { HearthDatabase } from '../../src/db/connect.ts';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { generatePeople, importRowOf, type GeneratedPerson, type GeneratePeopleOptions } from '../../src/features/person-index/generate/generate-people.ts';
import type { PeopleImporter } from '../../src/features/person-index/import/import-people.ts';
import type { PeopleCsvItem, PeopleCsvRejection, PersonImportRow } from '../../src/features/person-index/import/read-people-csv.ts';
import { createMatcher, DEFAULT_MODEL, nameTermsOfRecord } from '../../src/features/person-index/matching/index.ts';
import type { MatchRecord } from '../../src/features/person-index/matching/types.ts';
import { matchRecordFromDatabase } from '../../src/features/person-index/record-from-database.ts';
import type { AuditWho } from '../../src/platform/audit/audit-log.ts';

/**
 * Steps shared by the person index, import, duplicate and merge tests: putting generated people in
 * through the importer, and checking that the index says exactly what the records say.
 */

export async function* asImportItems(rows: Iterable<PersonImportRow>): AsyncGenerator<PeopleCsvItem> {
  let line = 1;
  for (const row of rows) yield { kind: 'row', line: ++line, row };
}

/** Imports generated people (with an `external_id` prefix, so several populations can share an organisation). */
export async function importGeneratedPeople(
  importer: PeopleImporter,
  who: AuditWho,
  options: GeneratePeopleOptions & { prefix?: string },
): Promise<GeneratedPerson[]> {
  const people = [...generatePeople(options)].map((p) => ({
    ...p,
    external_id: `${options.prefix ?? ''}${p.external_id}`,
    duplicate_of: p.duplicate_of && `${options.prefix ?? ''}${p.duplicate_of}`,
  }));
  const rejected: PeopleCsvRejection[] = [];
  const stats = await importer.import(who, asImportItems(people.map(importRowOf)), { onRejected: (r) => void rejected.push(r) });
  assert.deepEqual(rejected, [], 'every generated person is importable');
  assert.equal(stats.created, people.length);
  return people;
}

/** A whole import row with every field empty but the ones given. */
export function importRow(fields: Partial<PersonImportRow> & { external_id: string }): PersonImportRow {
  return {
    given_name: null,
    family_name: null,
    date_of_birth: null,
    sex: null,
    identifier: null,
    street: null,
    suburb: null,
    postcode: null,
    state: null,
    ...fields,
  };
}

export interface IndexEntry {
  readonly record: Omit<MatchRecord, 'id'>;
  /**
   * The keys stored, as text: the matcher's keys for the stored record whose numbers are stored
   * (keys are stored as numbers, migration 0012), and `#n` for a stored number none of them explains.
   */
  readonly keys: string[];
}

/** The numbers the database stores for keys (person_key_number), in the keys' order. */
export async function keyNumbers(db: Kysely<Database>, keys: readonly string[]): Promise<number[]> {
  const { rows } = await sql<{ numbers: number[] }>`select person_key_numbers(${sql.val(keys)}::text[]) as numbers`.execute(db);
  return rows[0]?.numbers ?? [];
}

/** One person's index row, read as the owner; undefined when they are not in the index. */
export async function indexEntry(database: HearthDatabase, personId: string): Promise<IndexEntry | undefined> {
  const row = await database.db.selectFrom('person_index').select(['record', 'keys']).where('person_id', '=', personId).executeTakeFirst();
  if (!row) return undefined;
  const record = row.record as unknown as Omit<MatchRecord, 'id'>;
  const possible = createMatcher(DEFAULT_MODEL).keysForRecord({ ...record, id: personId });
  const numbers = await keyNumbers(database.db, possible);
  const stored = new Set(row.keys);
  const explained = new Set(numbers);
  const keys = [...possible.filter((_key, i) => stored.has(numbers[i]!)), ...row.keys.filter((n) => !explained.has(n)).map((n) => `#${n}`)];
  return { record, keys: keys.sort() };
}

/** The organisation's name counts as 'kind|name' -> people, leaving out names nobody has any more. */
export async function nameCounts(database: HearthDatabase, organisationId: string): Promise<Map<string, number>> {
  const rows = await database.db
    .selectFrom('person_name_counts')
    .select(['kind', 'name', 'people'])
    .where('organisation_id', '=', organisationId)
    .where('people', '>', 0)
    .execute();
  return new Map(rows.map((r) => [`${r.kind}|${r.name}`, r.people]));
}

/**
 * The index is in step with the records: every unmerged person of the organisation has an entry
 * whose record is what the records say now and whose keys are the matcher's keys for it; nobody else
 * has one; and the name counts are the counts of those records' names.
 */
export async function assertIndexInStep(database: HearthDatabase, organisationId: string): Promise<void> {
  const matcher = createMatcher(DEFAULT_MODEL);
  const people = await database.db.selectFrom('people').select(['id', 'merged_into_id']).where('organisation_id', '=', organisationId).execute();
  const entries = await database.db.selectFrom('person_index').select(['person_id', 'record', 'keys']).where('organisation_id', '=', organisationId).execute();
  const byPerson = new Map(entries.map((e) => [e.person_id, e]));
  const expectedCounts = new Map<string, number>();
  const bump = (key: string) => expectedCounts.set(key, (expectedCounts.get(key) ?? 0) + 1);
  await database.db.transaction().execute(async (trx) => {
    for (const person of people) {
      const entry = byPerson.get(person.id);
      if (person.merged_into_id) {
        assert.equal(entry, undefined, `merged person ${person.id} is not in the index`);
        continue;
      }
      assert.ok(entry, `person ${person.id} is in the index`);
      const record = await matchRecordFromDatabase(trx, person.id);
      assert.ok(record);
      const { id: _id, ...stored } = record;
      assert.deepEqual(entry.record, JSON.parse(JSON.stringify(stored)), `the index record of ${person.id} is their record now`);
      // In the transaction: PGlite has one connection, and it is this transaction's until it ends.
      const expectedKeys = await keyNumbers(trx, matcher.keysForRecord(record));
      assert.deepEqual([...entry.keys].sort((a, b) => a - b), expectedKeys.sort((a, b) => a - b), `the index keys of ${person.id} are the matcher's keys`);
      const terms = nameTermsOfRecord(record);
      for (const name of terms.given) bump(`given|${name}`);
      for (const name of terms.family) bump(`family|${name}`);
      bump('total|');
    }
  });
  assert.equal(entries.length, people.filter((p) => !p.merged_into_id).length, 'no index entry without a person');
  assert.deepEqual(Object.fromEntries([...(await nameCounts(database, organisationId))].sort()), Object.fromEntries([...expectedCounts].sort()), 'name counts are the counts of the indexed names');
}
