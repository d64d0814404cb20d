import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { jsonRows, jsonTexts } from '../../../db/json-rows.ts';
import { asSystem, inOrganisation, type Trx } from '../../../db/tenancy.ts';
import { recordAuditBatch, type AuditEntry, type AuditWho } from '../../../platform/audit/audit-log.ts';
import { timeOrderedUuid } from '../../../platform/ids/time-ordered-uuid.ts';
import { isMedicareNumber, isNhsNumber } from '../../people/identifiers.ts';
import { DEFAULT_MODEL } from '../matching/index.ts';
import type { MatchRecord } from '../matching/types.ts';
import { toMatchAddress } from '../record-from-database.ts';
import type { MatcherKit, NameTerms, PersonIndexService } from '../service.ts';
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
 * never erases) instead of adding a second one. New people are written set-based, a batch's rows in
 * one JSON parameter and one statement, with their story event, audit row and index entry like any
 * other; the next batch is prepared while the database writes one. A million take about three
 * minutes on a 2-core machine (decision 0011 says where the time goes).
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
    // One batch is written while the next is read and prepared; batches are written in file order.
    let writing: Promise<Settled> | undefined;
    // Set when a write fails: reading stops at the next row, so no later line is reported as read.
    let failed = false;
    const finishWriting = async () => {
      const settled = await writing;
      writing = undefined;
      if (settled && !settled.ok) throw settled.error;
    };
    const flush = async () => {
      if (batch.length === 0) return;
      const full = batch.length >= batchSize;
      const rows = lastLineOfEachId(batch);
      batch = [];
      const prepared = await this.prepare(rows);
      await finishWriting();
      if (full) await onFullBatch();
      writing = settle(
        inOrganisation(this.db, who.organisationId, (trx) => this.importBatch(trx, who, rows, prepared)).then((outcome) => {
          stats.created += outcome.created;
          stats.updated += outcome.updated;
          stats.unchanged += outcome.unchanged;
          options.onProgress?.(stats);
        }),
      ).then((settled) => {
        failed ||= !settled.ok;
        return settled;
      });
    };
    try {
      await this.readItems(items, stats, options, () => failed, async (row) => {
        batch.push(row);
        if (batch.length >= batchSize) await flush();
      });
      await finishWriting();
      await flush();
      await finishWriting();
    } catch (error) {
      await writing; // settled, never rejected: the first failure is the one to report
      throw error;
    }
    if (stats.created + stats.updated > 0) await this.tidyAfterBulkChange();
    return stats;
  }

  /** Counts and rejects what cannot be imported; hands on each row that can; stops when told to. */
  private async readItems(items: AsyncIterable<PeopleCsvItem>, stats: ImportStats, options: ImportOptions, stop: () => boolean, onRow: (row: LineRow) => Promise<void>): Promise<void> {
    for await (const item of items) {
      if (stop()) return;
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
      await onRow({ line: item.line, row: item.row });
    }
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

  /** A batch in one transaction: new people added, known ones (by external_id) updated. */
  private async importBatch(trx: Trx, who: AuditWho, rows: readonly LineRow[], prepared: readonly NewPerson[]) {
    // Room for the batch's rows (a few MB) in memory, and for merging the index's pending list when it
    // fills; and, since a batch's people are one statement, a limit for a batch rather than a page's query.
    await sql`select set_config('work_mem', '64MB', true), set_config('statement_timeout', ${String(BATCH_TIMEOUT_MS)}, true)`.execute(trx);
    const existing = await trx
      .selectFrom('people')
      .select(['id', 'external_id', 'given_names', 'family_name', 'date_of_birth', 'sex', 'merged_into_id'])
      // A join, not `= any(...)`: the planner estimates each of 5,000 listed values one by one.
      .where('external_id', 'in', sql<string>`(select value from ${jsonTexts(rows.map((r) => r.row.external_id))})`)
      .execute();
    const known = new Map(existing.map((p) => [p.external_id!, p]));
    const fresh = prepared.filter((p) => !known.has(p.row.external_id));
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

  /**
   * Everything about a batch's new people that needs no database: ids, index records and keys. Done
   * while the database writes the batch before (it yields every few hundred rows so that batch's
   * statements go on being sent): on PostgreSQL the two run side by side.
   */
  private async prepare(items: readonly LineRow[]): Promise<NewPerson[]> {
    const matcher = this.kit.matcher(DEFAULT_MODEL);
    const prepared: NewPerson[] = [];
    for (const [i, { line, row }] of items.entries()) {
      if (i > 0 && i % PREPARE_SLICE === 0) await yieldToEventLoop();
      // Time-ordered ids: every index over a person's id, in every table written here, grows at its end.
      const kind = row.identifier ? identifierType(row.identifier) : null;
      const matchRecord = matchRecordOf(timeOrderedUuid(), row, kind);
      const { id, ...record } = matchRecord;
      prepared.push({ line, row, id, record, identifierType: kind, keys: matcher.keysForRecord(matchRecord), terms: this.kit.recordTerms(matchRecord) });
    }
    return prepared;
  }

  /**
   * New people in one statement: the person, their address and identifier, the story event and the
   * index entry, each table's rows inserted from the one JSON parameter. Then the name counts and
   * one audit row per person.
   */
  private async createPeople(trx: Trx, who: AuditWho, people: readonly NewPerson[]): Promise<void> {
    if (people.length === 0) return;
    const organisationId = who.organisationId;
    const now = new Date();
    const rows = people.map(({ id, line, row, record, identifierType, keys }) => ({
      id,
      external_id: row.external_id,
      given_names: row.given_name ?? '',
      family_name: row.family_name ?? '',
      date_of_birth: row.date_of_birth,
      sex: row.sex ?? 'not_recorded',
      address_id: record.addresses.length > 0 ? timeOrderedUuid() : null,
      line1: row.street ?? '',
      suburb: row.suburb ?? '',
      state: row.state,
      postcode: row.postcode,
      identifier_id: row.identifier ? timeOrderedUuid() : null,
      identifier_type: identifierType,
      identifier: row.identifier,
      event_id: timeOrderedUuid(),
      summary: `Record created by import (external id ${row.external_id})`,
      event_details: { externalId: row.external_id, line },
      record,
      keys,
    }));
    const input = jsonRows(rows, {
      id: 'uuid', external_id: 'text', given_names: 'text', family_name: 'text', date_of_birth: 'date', sex: 'text',
      address_id: 'uuid', line1: 'text', suburb: 'text', state: 'text', postcode: 'text',
      identifier_id: 'uuid', identifier_type: 'text', identifier: 'text',
      event_id: 'uuid', summary: 'text', event_details: 'jsonb', record: 'jsonb', keys: 'jsonb',
    });
    // Foreign keys are checked when the whole statement ends, so the people are there for the rest.
    await sql`with input as materialized (select * from ${input}),
      people_written as (
        insert into people (id, organisation_id, external_id, given_names, family_name, date_of_birth, sex, created_by, updated_by, updated_at)
        select id, ${organisationId}::uuid, external_id, given_names, family_name, date_of_birth, sex, ${who.userId}::uuid, ${who.userId}::uuid, ${now}::timestamptz
        from input),
      addresses_written as (
        insert into person_addresses (id, organisation_id, person_id, line1, suburb, state, postcode, updated_at)
        select address_id, ${organisationId}::uuid, id, line1, suburb, state, postcode, ${now}::timestamptz
        from input where address_id is not null),
      identifiers_written as (
        insert into person_identifiers (id, organisation_id, person_id, identifier_type, value)
        select identifier_id, ${organisationId}::uuid, id, identifier_type, identifier
        from input where identifier_id is not null),
      story_written as (
        insert into story_events (id, organisation_id, person_id, occurred_at, kind, summary, details, actor_user_id)
        select event_id, ${organisationId}::uuid, id, ${now}::timestamptz, 'person.imported', summary, event_details, ${who.userId}::uuid
        from input)
      -- Keys are numbered where they are stored (person_key_number, inlined), as searches number them.
      insert into person_index (person_id, organisation_id, record, keys)
      select id, ${organisationId}::uuid, record, coalesce((select array_agg(person_key_number(key)) from jsonb_array_elements_text(input.keys) as key), '{}')
      from input`.execute(trx);
    await this.personIndex.addCounts(trx, organisationId, people.map((p) => p.terms));

    const entries: AuditEntry[] = people.map((p) => ({
      action: 'person.imported',
      recordType: 'person',
      recordId: p.id,
      subjectPersonId: p.id,
      details: { line: p.line },
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

/** A row of the file, prepared for writing as a new person. */
interface NewPerson extends LineRow {
  readonly id: string;
  /** The match record as the index stores it (without its id). */
  readonly record: Omit<MatchRecord, 'id'>;
  /** The identifier's kind from its check digits, when the row has one. */
  readonly identifierType: string | null;
  readonly keys: readonly string[];
  readonly terms: NameTerms;
}

/** The longest one batch's statement may take on PostgreSQL (a 50,000-row batch takes a few seconds). */
const BATCH_TIMEOUT_MS = 120_000;

/** How many rows are prepared between two turns of the event loop. */
const PREPARE_SLICE = 500;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

type Settled = { readonly ok: true } | { readonly ok: false; readonly error: unknown };

/** A promise that never rejects, so a write can fail while the next batch is read without going unhandled. */
function settle(work: Promise<void>): Promise<Settled> {
  return work.then(
    () => ({ ok: true }) as const,
    (error: unknown) => ({ ok: false, error }) as const,
  );
}

/** The same external_id twice in a batch: the later line wins, as it would across two files. */
function lastLineOfEachId(items: readonly LineRow[]): LineRow[] {
  const byId = new Map<string, LineRow>();
  for (const item of items) {
    byId.delete(item.row.external_id);
    byId.set(item.row.external_id, item);
  }
  return [...byId.values()];
}

/** The identifier's kind, from its check digits: Medicare, NHS number, or other. */
export function identifierType(value: string): string {
  if (isMedicareNumber(value)) return 'medicare';
  if (isNhsNumber(value)) return 'nhs_number';
  return 'other';
}

/** The same MatchRecord the index builds from the database, built from the row being written. */
function matchRecordOf(id: string, row: PersonImportRow, identifierKind: string | null): MatchRecord {
  const hasAddress = row.street || row.suburb || row.postcode;
  return {
    id,
    names: [{ given: row.given_name ?? '', family: row.family_name ?? '' }],
    dateOfBirth: row.date_of_birth,
    sex: row.sex,
    addresses: hasAddress ? [toMatchAddress({ line1: row.street ?? '', line2: null, suburb: row.suburb ?? '', state: row.state, postcode: row.postcode })] : [],
    identifiers: row.identifier ? [`${identifierKind}:${row.identifier}`] : [],
  };
}
