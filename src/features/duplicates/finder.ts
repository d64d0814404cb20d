import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { inOrganisation, type Trx } from '../../db/tenancy.ts';
import { recordAudit, type AuditWho } from '../../platform/audit/audit-log.ts';
import type { MatchRecord, MatchResult } from '../person-index/matching/types.ts';
import type { MatcherKit, PersonIndexService } from '../person-index/service.ts';

export interface DuplicatePair {
  readonly personAId: string;
  readonly personBId: string;
  readonly externalIdA: string | null;
  readonly externalIdB: string | null;
  readonly result: MatchResult;
}

export interface FindOptions {
  /** A key shared by more people than this is too common to say anything (a date of birth in a big city). */
  readonly maxGroupSize?: number;
  /** Stops collecting pairs beyond this many, so one run cannot exhaust memory. */
  readonly maxPairs?: number;
  readonly onProgress?: (done: number, total: number) => void;
  /** Learn the organisation's model from its people first (default true). */
  readonly learn?: boolean;
}

export interface FindOutcome {
  readonly pairsCompared: number;
  readonly found: readonly DuplicatePair[];
  readonly queued: number;
  readonly truncated: boolean;
}

/**
 * Finds likely duplicate pairs across an organisation's whole index: blocking (people who share a key)
 * then scoring each pair with the matcher. Pairs scored 'match' or 'possible' go to the review queue
 * (never merged here); pairs a reviewer already decided stay decided.
 */
export class DuplicateFinder {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly kit: MatcherKit,
    private readonly personIndex: PersonIndexService,
  ) {}

  async find(who: AuditWho, options: FindOptions = {}): Promise<FindOutcome> {
    const maxGroupSize = options.maxGroupSize ?? 50;
    const maxPairs = options.maxPairs ?? 2_000_000;
    return inOrganisation(this.db, who.organisationId, async (trx) => {
      if (options.learn !== false) await this.personIndex.learn(trx, who.organisationId);
      const { pairs, truncated } = await candidatePairs(trx, who.organisationId, maxGroupSize, maxPairs);
      const [model, frequencies] = await Promise.all([this.personIndex.modelFor(trx, who.organisationId), this.personIndex.allFrequencies(trx, who.organisationId)]);
      const matcher = this.kit.matcher(model, frequencies);
      const found: DuplicatePair[] = [];
      const ids = [...pairs.keys()];
      for (let i = 0; i < ids.length; i += 2000) {
        const batch = ids.slice(i, i + 2000).map((key) => key.split('|') as [string, string]);
        const records = await loadRecords(trx, batch.flat());
        for (const [a, b] of batch) {
          const recordA = records.get(a);
          const recordB = records.get(b);
          if (!recordA || !recordB) continue;
          const result = matcher.comparePrepared(matcher.prepare(recordA.record), matcher.prepare(recordB.record));
          if (result.decision !== 'non-match') {
            found.push({ personAId: a, personBId: b, externalIdA: recordA.externalId, externalIdB: recordB.externalId, result });
          }
        }
        options.onProgress?.(Math.min(i + 2000, ids.length), ids.length);
      }
      const queued = await queue(trx, who.organisationId, found);
      await recordAudit(trx, who, {
        action: 'people.duplicates_found',
        recordType: 'duplicate_candidate',
        details: { pairsCompared: ids.length, found: found.length, queued },
      });
      found.sort((x, y) => y.result.weight - x.result.weight);
      return { pairsCompared: ids.length, found, queued, truncated };
    });
  }
}

/** Every pair of people sharing a key (a key shared by more than `maxGroupSize` people is skipped). */
async function candidatePairs(trx: Trx, organisationId: string, maxGroupSize: number, maxPairs: number) {
  const groups = await sql<{ members: string[] }>`
    select array_agg(person_id order by person_id) as members
    from (select person_id, unnest(keys) as key from person_index where organisation_id = ${organisationId}) as k
    where key >= 0 -- name-only keys are negative (migration 0012): never pair people by a name alone
    group by key
    having count(*) between 2 and ${maxGroupSize}`.execute(trx);
  const pairs = new Map<string, true>();
  let truncated = false;
  outer: for (const { members } of groups.rows) {
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        if (pairs.size >= maxPairs) {
          truncated = true;
          break outer;
        }
        pairs.set(`${members[i]}|${members[j]}`, true);
      }
    }
  }
  return { pairs, truncated };
}

async function loadRecords(trx: Trx, ids: readonly string[]) {
  const unique = [...new Set(ids)];
  const rows = await trx
    .selectFrom('person_index as i')
    .innerJoin('people as p', 'p.id', 'i.person_id')
    .select(['i.person_id', 'i.record', 'p.external_id'])
    .where('i.person_id', 'in', unique)
    .execute();
  return new Map(
    rows.map((r) => [r.person_id, { record: { ...(r.record as unknown as Omit<MatchRecord, 'id'>), id: r.person_id }, externalId: r.external_id }]),
  );
}

/** Adds pairs to the review queue; a pending pair gets the new score, a decided one is left alone. */
async function queue(trx: Trx, organisationId: string, found: readonly DuplicatePair[]): Promise<number> {
  let queued = 0;
  for (let i = 0; i < found.length; i += 500) {
    const rows = found.slice(i, i + 500).map((p) => ({
      organisation_id: organisationId,
      person_a_id: p.personAId,
      person_b_id: p.personBId,
      weight: p.result.weight,
      probability: p.result.probability,
      decision: p.result.decision === 'match' ? ('match' as const) : ('possible' as const),
      comparisons: JSON.stringify(p.result.comparisons),
    }));
    const result = await trx
      .insertInto('duplicate_candidates')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['organisation_id', 'person_a_id', 'person_b_id']).doUpdateSet((eb) => ({
          weight: eb.ref('excluded.weight'),
          probability: eb.ref('excluded.probability'),
          decision: eb.ref('excluded.decision'),
          comparisons: eb.ref('excluded.comparisons'),
        })).where('duplicate_candidates.status', '=', 'pending'),
      )
      .executeTakeFirst();
    queued += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return queued;
}
