import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { inOrganisation, type Trx } from '../../db/tenancy.ts';
import type { Actor } from '../../platform/access/actor.ts';
import { actorAsAuditWho, recordAudit } from '../../platform/audit/audit-log.ts';
import type { Clock } from '../../platform/clock.ts';
import { recordStoryEvent } from '../../platform/story/story-events.ts';
import { longDate } from '../../platform/time.ts';
import type { Comparison } from '../person-index/matching/types.ts';

export interface QueuedPair {
  readonly id: string;
  readonly version: number;
  readonly weight: number;
  readonly probability: number;
  readonly decision: 'match' | 'possible';
  readonly status: 'pending' | 'merged' | 'dismissed';
  readonly comparisons: readonly Comparison[];
  readonly a: PairMember;
  readonly b: PairMember;
}

export interface PairMember {
  readonly id: string;
  readonly name: string;
  readonly dateOfBirth: string | null;
  readonly version: number;
  readonly mergedIntoId: string | null;
}

/** The review queue of likely duplicates: reviewers confirm (by merging) or dismiss each pair. */
export class DuplicateQueueService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async pending(actor: Actor, limit = 100): Promise<{ pairs: QueuedPair[]; total: number }> {
    return inOrganisation(this.db, actor.organisationId, async (trx) => {
      const rows = await pairQuery(trx)
        .where('d.status', '=', 'pending')
        .where('a.merged_into_id', 'is', null)
        .where('b.merged_into_id', 'is', null)
        .orderBy('d.weight', 'desc')
        .limit(limit)
        .execute();
      const total = await trx
        .selectFrom('duplicate_candidates as d')
        .innerJoin('people as a', 'a.id', 'd.person_a_id')
        .innerJoin('people as b', 'b.id', 'd.person_b_id')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('d.status', '=', 'pending')
        .where('a.merged_into_id', 'is', null)
        .where('b.merged_into_id', 'is', null)
        .executeTakeFirstOrThrow();
      return { pairs: rows.map(toPair), total: total.n };
    });
  }

  async find(actor: Actor, id: string): Promise<QueuedPair | undefined> {
    return inOrganisation(this.db, actor.organisationId, async (trx) => {
      const row = await pairQuery(trx).where('d.id', '=', id).executeTakeFirst();
      return row ? toPair(row) : undefined;
    });
  }

  /** A reviewer decides the two are different people: the pair leaves the queue, both stories say so. */
  async dismiss(actor: Actor, id: string, version: number, reason: string | null): Promise<'dismissed' | 'not_found' | 'stale'> {
    return inOrganisation(this.db, actor.organisationId, async (trx) => {
      const row = await pairQuery(trx).where('d.id', '=', id).executeTakeFirst();
      if (!row) return 'not_found';
      const pair = toPair(row);
      const updated = await trx
        .updateTable('duplicate_candidates')
        .set({ status: 'dismissed', decided_at: this.clock.now(), decided_by: actor.userId, version: sql`version + 1` })
        .where('id', '=', id)
        .where('version', '=', version)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) return 'stale';
      for (const [self, other] of [
        [pair.a, pair.b],
        [pair.b, pair.a],
      ] as const) {
        await recordStoryEvent(trx, actor, {
          personId: self.id,
          kind: 'person.duplicate_dismissed',
          summary: `Checked against the record of ${describe(other)}: not the same person${reason ? ` (${reason})` : ''}`,
          details: { candidateId: id, otherPersonId: other.id },
        });
        await recordAudit(trx, actorAsAuditWho(actor), { action: 'person.duplicate_dismissed', recordType: 'duplicate_candidate', recordId: id, subjectPersonId: self.id });
      }
      return 'dismissed';
    });
  }
}

function pairQuery(trx: Trx) {
  return trx
    .selectFrom('duplicate_candidates as d')
    .innerJoin('people as a', 'a.id', 'd.person_a_id')
    .innerJoin('people as b', 'b.id', 'd.person_b_id')
    .select([
      'd.id',
      'd.version',
      'd.weight',
      'd.probability',
      'd.decision',
      'd.status',
      'd.comparisons',
      'a.id as a_id',
      'a.given_names as a_given',
      'a.family_name as a_family',
      'a.date_of_birth as a_dob',
      'a.version as a_version',
      'a.merged_into_id as a_merged',
      'b.id as b_id',
      'b.given_names as b_given',
      'b.family_name as b_family',
      'b.date_of_birth as b_dob',
      'b.version as b_version',
      'b.merged_into_id as b_merged',
    ]);
}

type PairRow = Awaited<ReturnType<ReturnType<typeof pairQuery>['executeTakeFirstOrThrow']>>;

function toPair(row: PairRow): QueuedPair {
  return {
    id: row.id,
    version: row.version,
    weight: row.weight,
    probability: row.probability,
    decision: row.decision,
    status: row.status,
    comparisons: row.comparisons as Comparison[],
    a: { id: row.a_id, name: [row.a_given, row.a_family].filter(Boolean).join(' '), dateOfBirth: row.a_dob, version: row.a_version, mergedIntoId: row.a_merged },
    b: { id: row.b_id, name: [row.b_given, row.b_family].filter(Boolean).join(' '), dateOfBirth: row.b_dob, version: row.b_version, mergedIntoId: row.b_merged },
  };
}

function describe(member: PairMember): string {
  return member.dateOfBirth ? `${member.name} (born ${longDate(member.dateOfBirth)})` : member.name;
}
