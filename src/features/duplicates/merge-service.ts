import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { inOrganisation, type Trx } from '../../db/tenancy.ts';
import type { Actor } from '../../platform/access/actor.ts';
import { actorAsAuditWho, recordAudit } from '../../platform/audit/audit-log.ts';
import type { Clock } from '../../platform/clock.ts';
import { recordStoryEvent } from '../../platform/story/story-events.ts';
import { longDate } from '../../platform/time.ts';
import type { PersonIndexService } from '../person-index/service.ts';

/**
 * The references a merge moves from the merged person to the survivor: every row that belongs to a
 * person. A new table that holds a person_id belongs here too, or a merge would leave it behind.
 */
const MOVABLE: readonly {
  table: 'person_names' | 'person_addresses' | 'person_identifiers' | 'relationships' | 'story_events' | 'report_children';
  column: 'person_id' | 'related_person_id';
}[] = [
  { table: 'person_names', column: 'person_id' },
  { table: 'person_addresses', column: 'person_id' },
  { table: 'person_identifiers', column: 'person_id' },
  { table: 'relationships', column: 'person_id' },
  { table: 'relationships', column: 'related_person_id' },
  { table: 'story_events', column: 'person_id' },
  // A child named in a report: the reports follow the child, so their history (and the second check) sees them all.
  { table: 'report_children', column: 'person_id' },
];

export type MergeRefusal =
  | 'same_person'
  | 'not_found'
  | 'already_merged'
  | 'related'
  | 'stale';

export type MergeOutcome = { readonly outcome: 'merged'; readonly mergeId: string } | { readonly outcome: 'refused'; readonly reason: MergeRefusal };
export interface MergeSummary {
  readonly id: string;
  readonly mergedAt: Date;
  readonly undone: boolean;
  readonly survivor: { readonly id: string; readonly description: string };
  readonly merged: { readonly id: string; readonly description: string };
}

export type UnmergeOutcome = { readonly outcome: 'unmerged'; readonly survivorId: string; readonly mergedId: string } | { readonly outcome: 'refused'; readonly reason: 'not_found' | 'already_unmerged' | 'survivor_merged' };

/**
 * Merging never destroys: the merged person's row stays (marked as merged into the survivor), every
 * row of theirs that moves to the survivor is listed in person_merge_moves, and unmerge moves exactly
 * those back. Both stories say what happened; both are audited.
 */
export class MergeService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly personIndex: PersonIndexService,
  ) {}

  async merge(
    actor: Actor,
    input: { survivorId: string; mergedId: string; survivorVersion: number; mergedVersion: number; reason: string | null },
  ): Promise<MergeOutcome> {
    if (input.survivorId === input.mergedId) return { outcome: 'refused', reason: 'same_person' };
    return inOrganisation(this.db, actor.organisationId, async (trx) => {
      const people = await trx
        .selectFrom('people')
        .select(['id', 'given_names', 'family_name', 'date_of_birth', 'merged_into_id', 'version'])
        .where('id', 'in', [input.survivorId, input.mergedId])
        .forUpdate()
        .execute();
      const survivor = people.find((p) => p.id === input.survivorId);
      const merged = people.find((p) => p.id === input.mergedId);
      if (!survivor || !merged) return { outcome: 'refused', reason: 'not_found' } as const;
      if (survivor.merged_into_id || merged.merged_into_id) return { outcome: 'refused', reason: 'already_merged' } as const;
      if (survivor.version !== input.survivorVersion || merged.version !== input.mergedVersion) return { outcome: 'refused', reason: 'stale' } as const;
      if (await relatedToEachOther(trx, survivor.id, merged.id)) return { outcome: 'refused', reason: 'related' } as const;

      const now = this.clock.now();
      const mergeRow = await trx
        .insertInto('person_merges')
        .values({ organisation_id: actor.organisationId, survivor_id: survivor.id, merged_id: merged.id, merged_at: now, merged_by: actor.userId, reason: input.reason })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const { table, column } of MOVABLE) {
        await sql`insert into person_merge_moves (merge_id, organisation_id, table_name, column_name, row_id)
                  select ${mergeRow.id}, organisation_id, ${table}, ${column}, id from ${sql.table(table)} where ${sql.ref(column)} = ${merged.id}`.execute(trx);
        await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${survivor.id} where ${sql.ref(column)} = ${merged.id}`.execute(trx);
      }
      await trx.updateTable('people').set({ merged_into_id: survivor.id }).where('id', '=', merged.id).execute();
      await trx
        .updateTable('people')
        .set({ updated_at: now, updated_by: actor.userId, version: sql`version + 1` })
        .where('id', '=', survivor.id)
        .execute();
      await trx
        .updateTable('duplicate_candidates')
        .set({ status: 'merged', decided_at: now, decided_by: actor.userId, version: sql`version + 1` })
        .where('person_a_id', '=', survivor.id < merged.id ? survivor.id : merged.id)
        .where('person_b_id', '=', survivor.id < merged.id ? merged.id : survivor.id)
        .execute();
      await this.personIndex.reindex(trx, merged.id);
      await this.personIndex.reindex(trx, survivor.id);

      const mergedName = describe(merged);
      await recordStoryEvent(trx, actor, {
        personId: survivor.id,
        kind: 'person.merged',
        summary: `Record of ${mergedName} merged into this record${input.reason ? `: ${input.reason}` : ''}`,
        details: { mergeId: mergeRow.id, mergedId: merged.id },
      });
      await recordStoryEvent(trx, actor, {
        personId: merged.id,
        kind: 'person.merged',
        summary: `Merged into the record of ${describe(survivor)}`,
        details: { mergeId: mergeRow.id, survivorId: survivor.id },
      });
      for (const subject of [survivor.id, merged.id]) {
        await recordAudit(trx, actorAsAuditWho(actor), { action: 'person.merged', recordType: 'person_merge', recordId: mergeRow.id, subjectPersonId: subject });
      }
      return { outcome: 'merged', mergeId: mergeRow.id } as const;
    });
  }

  /** A merge as its undo page names it: who was kept, who was merged, when, and whether it was undone. */
  async find(actor: Actor, mergeId: string): Promise<MergeSummary | undefined> {
    return inOrganisation(this.db, actor.organisationId, async (trx) => {
      const row = await trx
        .selectFrom('person_merges as m')
        .innerJoin('people as s', 's.id', 'm.survivor_id')
        .innerJoin('people as g', 'g.id', 'm.merged_id')
        .select(['m.id', 'm.merged_at', 'm.unmerged_at', 's.id as survivor_id', 's.given_names as s_given', 's.family_name as s_family', 's.date_of_birth as s_dob', 'g.id as merged_id', 'g.given_names as g_given', 'g.family_name as g_family', 'g.date_of_birth as g_dob'])
        .where('m.id', '=', mergeId)
        .executeTakeFirst();
      if (!row) return undefined;
      return {
        id: row.id,
        mergedAt: row.merged_at,
        undone: row.unmerged_at !== null,
        survivor: { id: row.survivor_id, description: describe({ given_names: row.s_given, family_name: row.s_family, date_of_birth: row.s_dob }) },
        merged: { id: row.merged_id, description: describe({ given_names: row.g_given, family_name: row.g_family, date_of_birth: row.g_dob }) },
      };
    });
  }

  async unmerge(actor: Actor, mergeId: string): Promise<UnmergeOutcome> {
    return inOrganisation(this.db, actor.organisationId, async (trx) => {
      const merge = await trx.selectFrom('person_merges').selectAll().where('id', '=', mergeId).forUpdate().executeTakeFirst();
      if (!merge) return { outcome: 'refused', reason: 'not_found' } as const;
      if (merge.unmerged_at) return { outcome: 'refused', reason: 'already_unmerged' } as const;
      const survivor = await trx.selectFrom('people').select(['id', 'given_names', 'family_name', 'date_of_birth', 'merged_into_id']).where('id', '=', merge.survivor_id).executeTakeFirstOrThrow();
      // A later merge moved the survivor's rows (and these) on again: that one must be undone first.
      if (survivor.merged_into_id) return { outcome: 'refused', reason: 'survivor_merged' } as const;
      const merged = await trx.selectFrom('people').select(['id', 'given_names', 'family_name', 'date_of_birth']).where('id', '=', merge.merged_id).executeTakeFirstOrThrow();

      const moves = await trx.selectFrom('person_merge_moves').select(['table_name', 'column_name', 'row_id']).where('merge_id', '=', merge.id).execute();
      for (const { table, column } of MOVABLE) {
        const ids = moves.filter((m) => m.table_name === table && m.column_name === column).map((m) => m.row_id);
        for (let i = 0; i < ids.length; i += 1000) {
          const batch = ids.slice(i, i + 1000);
          await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${merged.id}
                    where id in (${sql.join(batch)}) and ${sql.ref(column)} = ${survivor.id}`.execute(trx);
        }
      }
      const now = this.clock.now();
      await trx.updateTable('people').set({ merged_into_id: null }).where('id', '=', merged.id).execute();
      await trx
        .updateTable('people')
        .set({ updated_at: now, updated_by: actor.userId, version: sql`version + 1` })
        .where('id', '=', survivor.id)
        .execute();
      await trx.updateTable('person_merges').set({ unmerged_at: now, unmerged_by: actor.userId }).where('id', '=', merge.id).execute();
      await trx
        .updateTable('duplicate_candidates')
        .set({ status: 'dismissed', decided_at: now, decided_by: actor.userId, version: sql`version + 1` })
        .where('person_a_id', '=', survivor.id < merged.id ? survivor.id : merged.id)
        .where('person_b_id', '=', survivor.id < merged.id ? merged.id : survivor.id)
        .execute();
      await this.personIndex.reindex(trx, survivor.id);
      await this.personIndex.reindex(trx, merged.id);

      await recordStoryEvent(trx, actor, {
        personId: survivor.id,
        kind: 'person.unmerged',
        summary: `Merge undone: the record of ${describe(merged)} is separate again`,
        details: { mergeId: merge.id },
      });
      await recordStoryEvent(trx, actor, {
        personId: merged.id,
        kind: 'person.unmerged',
        summary: `Merge undone: separated from the record of ${describe(survivor)}`,
        details: { mergeId: merge.id },
      });
      for (const subject of [survivor.id, merged.id]) {
        await recordAudit(trx, actorAsAuditWho(actor), { action: 'person.unmerged', recordType: 'person_merge', recordId: merge.id, subjectPersonId: subject });
      }
      return { outcome: 'unmerged', survivorId: survivor.id, mergedId: merged.id } as const;
    });
  }
}

async function relatedToEachOther(trx: Trx, a: string, b: string): Promise<boolean> {
  const row = await trx
    .selectFrom('relationships')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([eb('person_id', '=', a), eb('related_person_id', '=', b)]),
        eb.and([eb('person_id', '=', b), eb('related_person_id', '=', a)]),
      ]),
    )
    .executeTakeFirst();
  return row !== undefined;
}

function describe(person: { given_names: string; family_name: string; date_of_birth: string | null }): string {
  const name = [person.given_names, person.family_name].filter(Boolean).join(' ');
  return person.date_of_birth ? `${name} (born ${longDate(person.date_of_birth)})` : name;
}
