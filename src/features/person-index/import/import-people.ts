import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { asSystem, inOrganisation, type Trx } from '../../../db/tenancy.ts';
import { recordAuditBatch, type AuditEntry, type AuditWho } from '../../../platform/audit/audit-log.ts';
import { timeOrderedUuid } from '../../../platform/ids/time-ordered-uuid.ts';
import { isMedicareNumber, isNhsNumber } from '../../people/identifiers.ts';
import { DEFAULT_MODEL } from '../matching/index.ts';
import type { MatchRecord } from '../matching/types.ts';
import { toMatchAddress } from '../record-from-database.ts';
import type { MatcherKit, PersonIndexService } from '../service.ts';
import type { PeopleCsvItem, PeopleCsvRejection, PersonImportRow } from './read-people-csv.ts';

/** The GIN index's pending list as migration 0010 sets it, and while a big file is imported. */
const PENDING_LIST_KB = 256;
const BULK_PENDING_LIST_KB = 65_536;

export interface ImportStats {
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface ImportOptions {
  readonly batchSize?: number;
  readonly onRejected: (rejection: PeopleCsvRejection) => void | Promise<void>;
  readonly onProgress?: (stats: Readonly<ImportStats>) => void;
}

interface LineRow {
  readonly line: number;
  readonly row: PersonImportRow;
}

/**
 * Imports people from a file, a batch per transaction: every valid row is imported, every invalid
 * one is rejected with its line and reason, and a batch is written whole or not at all. A row whose
 * external_id is already known updates that person (an empty column keeps what is recorded: a blank
 * never erases) instead of adding a second one. New people are written with set-based inserts, so a
 * million rows take seconds, with their story event, audit row and index entry like any other.
 */
export class PeopleImporter {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly kit: MatcherKit,
    private readonly personIndex: PersonIndexService,
  ) {}

  async import(who: AuditWho, items: AsyncIterable<PeopleCsvItem>, options: ImportOptions): Promise<ImportStats> {
    let widened = false;
    try {
      return await this.importItems(who, items, options, async () => {
        widened ||= await this.widenPendingList();
      });
    } finally {
      if (widened) await this.narrowPendingList();
    }
  }

  private async importItems(who: AuditWho, items: AsyncIterable<PeopleCsvItem>, options: ImportOptions, onFullBatch: () => Promise<void>): Promise<ImportStats> {
    const stats: ImportStats = { read: 0, created: 0, updated: 0, unchanged: 0, rejected: 0 };
    const batchSize = options.batchSize ?? 5000;
    let batch: LineRow[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const rows = batch;
      batch = [];
      if (rows.length >= batchSize) await onFullBatch();
      const outcome = await inOrganisation(this.db, who.organisationId, (trx) => this.importBatch(trx, who, rows));
      stats.created += outcome.created;
      stats.updated += outcome.updated;
      stats.unchanged += outcome.unchanged;
      options.onProgress?.(stats);
    };
    for await (const item of items) {
      stats.read++;
      if (item.kind === 'rejected') {
        stats.rejected++;
        await options.onRejected(item);
        continue;
      }
      if (!item.row.given_name && !item.row.family_name) {
        stats.rejected++;
        await options.onRejected({ line: item.line, reason: 'given_name and family_name are both empty: a person needs a name', raw: item.row.external_id });
        continue;
      }
      batch.push({ line: item.line, row: item.row });
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    if (stats.created + stats.updated > 0) await this.tidyAfterBulkChange();
    return stats;
  }

  /**
   * A file of more than one batch: new keys wait in the GIN index's pending list until it holds
   * 64 MB rather than 256 kB (migration 0010), then go into the index together. Measured at a
   * million people, 50,000 more were indexed in 1.2 s instead of 2.8 s. Searches meanwhile read a
   * longer list; the import puts the limit back and empties the list when it ends, however it ends.
   * The change takes the index's lock for a moment: if a search or another import holds it for
   * more than a second, the import goes on at the usual pace rather than hold searches up.
   */
  private async widenPendingList(): Promise<boolean> {
    try {
      await asSystem(this.db, async (trx) => {
        await sql`set local lock_timeout = '1s'`.execute(trx);
        await sql`alter index person_index_keys set (gin_pending_list_limit = ${sql.raw(String(BULK_PENDING_LIST_KB))})`.execute(trx);
      });
      return true;
    } catch {
      return false;
    }
  }

  private async narrowPendingList(): Promise<void> {
    await sql`alter index person_index_keys set (gin_pending_list_limit = ${sql.raw(String(PENDING_LIST_KB))})`.execute(this.db);
    await sql`select gin_clean_pending_list('person_index_keys'::regclass)`.execute(this.db);
  }

  /**
   * After many people at once: the keys still waiting in the index's pending list are merged into
   * it (every search reads that list whole, and PGlite has no autovacuum to do it), and the planner's
   * statistics are brought up to date.
   */
  private async tidyAfterBulkChange(): Promise<void> {
    await sql`select gin_clean_pending_list('person_index_keys'::regclass)`.execute(this.db);
    await sql`analyze people, person_index, person_name_counts`.execute(this.db);
  }

  private async importBatch(trx: Trx, who: AuditWho, input: readonly LineRow[]) {
    // The same external_id twice in a batch: the later line wins, as it would across two files.
    const byId = new Map<string, LineRow>();
    for (const item of input) {
      byId.delete(item.row.external_id);
      byId.set(item.row.external_id, item);
    }
    const rows = [...byId.values()];
    const existing = await trx
      .selectFrom('people')
      .select(['id', 'external_id', 'given_names', 'family_name', 'date_of_birth', 'sex', 'merged_into_id'])
      // A join, not `= any(...)`: the planner estimates each of 5,000 listed values one by one.
      .where('external_id', 'in', sql<string>`(select unnest(${sql.val(rows.map((r) => r.row.external_id))}::text[]))`)
      .execute();
    const known = new Map(existing.map((p) => [p.external_id!, p]));
    const fresh = rows.filter((r) => !known.has(r.row.external_id));
    await this.createPeople(trx, who, fresh);
    let updated = 0;
    let unchanged = 0;
    for (const item of rows) {
      const person = known.get(item.row.external_id);
      if (!person) continue;
      if (await this.updatePerson(trx, who, person, item)) updated++;
      else unchanged++;
    }
    return { created: fresh.length, updated, unchanged };
  }

  private async createPeople(trx: Trx, who: AuditWho, items: readonly LineRow[]): Promise<void> {
    if (items.length === 0) return;
    const organisationId = who.organisationId;
    const now = new Date();
    // Time-ordered ids: every index over a person's id, in every table written here, grows at its end.
    const people = items.map((item) => ({ id: timeOrderedUuid(), item }));
    const newIds = (n: number) => Array.from({ length: n }, () => timeOrderedUuid());
    const column = <T>(pick: (p: (typeof people)[number]) => T) => people.map(pick);

    await sql`insert into people (id, organisation_id, external_id, given_names, family_name, date_of_birth, sex, created_by, updated_by, updated_at)
      select id, ${organisationId}::uuid, external_id, given_names, family_name, date_of_birth, sex, ${who.userId}::uuid, ${who.userId}::uuid, ${now}::timestamptz
      from unnest(${column((p) => p.id)}::uuid[], ${column((p) => p.item.row.external_id)}::text[], ${column((p) => p.item.row.given_name ?? '')}::text[],
                  ${column((p) => p.item.row.family_name ?? '')}::text[], ${column((p) => p.item.row.date_of_birth)}::date[], ${column((p) => p.item.row.sex ?? 'not_recorded')}::text[])
        as t(id, external_id, given_names, family_name, date_of_birth, sex)`.execute(trx);

    const withAddress = people.filter((p) => p.item.row.street || p.item.row.suburb || p.item.row.postcode);
    if (withAddress.length > 0) {
      await sql`insert into person_addresses (id, organisation_id, person_id, line1, suburb, state, postcode, updated_at)
        select id, ${organisationId}::uuid, person_id, line1, suburb, state, postcode, ${now}::timestamptz
        from unnest(${newIds(withAddress.length)}::uuid[], ${withAddress.map((p) => p.id)}::uuid[], ${withAddress.map((p) => p.item.row.street ?? '')}::text[], ${withAddress.map((p) => p.item.row.suburb ?? '')}::text[],
                    ${withAddress.map((p) => p.item.row.state)}::text[], ${withAddress.map((p) => p.item.row.postcode)}::text[])
          as t(id, person_id, line1, suburb, state, postcode)`.execute(trx);
    }

    const withIdentifier = people.filter((p) => p.item.row.identifier);
    if (withIdentifier.length > 0) {
      await sql`insert into person_identifiers (id, organisation_id, person_id, identifier_type, value)
        select id, ${organisationId}::uuid, person_id, identifier_type, value
        from unnest(${newIds(withIdentifier.length)}::uuid[], ${withIdentifier.map((p) => p.id)}::uuid[], ${withIdentifier.map((p) => identifierType(p.item.row.identifier!))}::text[],
                    ${withIdentifier.map((p) => p.item.row.identifier)}::text[]) as t(id, person_id, identifier_type, value)`.execute(trx);
    }

    await sql`insert into story_events (id, organisation_id, person_id, occurred_at, kind, summary, details, actor_user_id)
      select id, ${organisationId}::uuid, person_id, ${now}::timestamptz, 'person.imported', summary, details, ${who.userId}::uuid
      from unnest(${newIds(people.length)}::uuid[], ${column((p) => p.id)}::uuid[], ${column((p) => `Record created by import (external id ${p.item.row.external_id})`)}::text[],
                  ${column((p) => JSON.stringify({ externalId: p.item.row.external_id, line: p.item.line }))}::jsonb[]) as t(id, person_id, summary, details)`.execute(trx);

    const matcher = this.kit.matcher(DEFAULT_MODEL);
    const records = people.map((p) => matchRecordOf(p.id, p.item.row));
    // Every person's keys in one list, numbered by set (person_key_number, inlined) rather than by a
    // function call per person: at a million people the call per person was a third of the import.
    const keyOwners: number[] = [];
    const keys: string[] = [];
    records.forEach((record, i) => {
      for (const key of matcher.keysForRecord(record)) {
        keyOwners.push(i + 1);
        keys.push(key);
      }
    });
    await sql`insert into person_index (person_id, organisation_id, record, keys)
      select t.person_id, ${organisationId}::uuid, t.record, coalesce(k.numbers, '{}')
      from unnest(${column((p) => p.id)}::uuid[], ${records.map(({ id: _id, ...stored }) => JSON.stringify(stored))}::jsonb[]) with ordinality as t(person_id, record, n)
      left join (select owner, array_agg(person_key_number(key)) as numbers
                 from unnest(${keyOwners}::int[], ${keys}::text[]) as f(owner, key) group by owner) as k on k.owner = t.n`.execute(trx);
    await this.personIndex.addCounts(trx, organisationId, records);

    const entries: AuditEntry[] = people.map((p) => ({
      action: 'person.imported',
      recordType: 'person',
      recordId: p.id,
      subjectPersonId: p.id,
      details: { line: p.item.line },
    }));
    await recordAuditBatch(trx, who, entries);
  }

  /** Applies a row to a known person; returns whether anything changed. */
  private async updatePerson(
    trx: Trx,
    who: AuditWho,
    person: { id: string; given_names: string; family_name: string; date_of_birth: string | null; sex: string; merged_into_id: string | null },
    item: LineRow,
  ): Promise<boolean> {
    const { row } = item;
    const next = {
      given_names: row.given_name ?? person.given_names,
      family_name: row.family_name ?? person.family_name,
      date_of_birth: row.date_of_birth ?? person.date_of_birth,
      sex: row.sex ?? person.sex,
    };
    const changedFields = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== person[k]);
    const changes: string[] = [];
    if (changedFields.length > 0) {
      await trx
        .updateTable('people')
        .set({ ...next, updated_at: new Date(), updated_by: who.userId, version: sql`version + 1` })
        .where('id', '=', person.id)
        .execute();
      changes.push(...changedFields.map((f) => f.replace(/_/g, ' ').replace('given names', 'given names')));
    }
    if (row.street || row.suburb || row.postcode) {
      const current = await trx
        .selectFrom('person_addresses')
        .select(['id', 'line1', 'suburb', 'postcode'])
        .where('person_id', '=', person.id)
        .where('lived_until', 'is', null)
        .execute();
      const same = current.some((a) => a.line1 === (row.street ?? '') && a.suburb === (row.suburb ?? '') && (a.postcode ?? null) === row.postcode);
      if (!same) {
        const today = new Date().toISOString().slice(0, 10);
        await trx
          .updateTable('person_addresses')
          .set({ lived_until: today, updated_at: new Date(), version: sql`version + 1` })
          .where('person_id', '=', person.id)
          .where('lived_until', 'is', null)
          .execute();
        await trx
          .insertInto('person_addresses')
          .values({ organisation_id: who.organisationId, person_id: person.id, line1: row.street ?? '', suburb: row.suburb ?? '', state: row.state, postcode: row.postcode, updated_at: new Date() })
          .execute();
        changes.push('address');
      }
    }
    if (row.identifier) {
      const type = identifierType(row.identifier);
      const has = await trx
        .selectFrom('person_identifiers')
        .select('id')
        .where('person_id', '=', person.id)
        .where('identifier_type', '=', type)
        .where('value', '=', row.identifier)
        .where('removed_at', 'is', null)
        .executeTakeFirst();
      if (!has) {
        await trx.insertInto('person_identifiers').values({ organisation_id: who.organisationId, person_id: person.id, identifier_type: type, value: row.identifier }).execute();
        changes.push('identifier');
      }
    }
    if (changes.length === 0) return false;
    if (changedFields.length === 0) {
      await trx.updateTable('people').set({ updated_at: new Date(), updated_by: who.userId, version: sql`version + 1` }).where('id', '=', person.id).execute();
    }
    await this.personIndex.reindex(trx, person.id);
    await trx
      .insertInto('story_events')
      .values({
        organisation_id: who.organisationId,
        person_id: person.id,
        occurred_at: new Date(),
        kind: 'person.details_changed',
        summary: `Updated by import (external id ${row.external_id}): ${changes.join(', ')}`,
        details: JSON.stringify({ externalId: row.external_id, line: item.line, fields: changes }),
        actor_user_id: who.userId,
      })
      .execute();
    await recordAuditBatch(trx, who, [{ action: 'person.updated', recordType: 'person', recordId: person.id, subjectPersonId: person.id, details: { via: 'import', line: item.line } }]);
    return true;
  }
}

/** The identifier's kind, from its check digits: Medicare, NHS number, or other. */
export function identifierType(value: string): string {
  if (isMedicareNumber(value)) return 'medicare';
  if (isNhsNumber(value)) return 'nhs_number';
  return 'other';
}

/** The same MatchRecord the index builds from the database, built from the row being written. */
function matchRecordOf(id: string, row: PersonImportRow): MatchRecord {
  const hasAddress = row.street || row.suburb || row.postcode;
  return {
    id,
    names: [{ given: row.given_name ?? '', family: row.family_name ?? '' }],
    dateOfBirth: row.date_of_birth,
    sex: row.sex,
    addresses: hasAddress ? [toMatchAddress({ line1: row.street ?? '', line2: null, suburb: row.suburb ?? '', state: row.state, postcode: row.postcode })] : [],
    identifiers: row.identifier ? [`${identifierType(row.identifier)}:${row.identifier}`] : [],
  };
}
