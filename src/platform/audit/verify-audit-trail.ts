import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { AuditChainVerifier, describeProblem } from './audit-chain.ts';
import { auditEntryFromRow } from './audit-rows.ts';

export interface OrganisationChainReport {
  readonly organisationId: string;
  readonly organisationSlug: string;
  readonly rowsChecked: number;
  readonly problem?: string;
  readonly firstBadRowId?: string;
}

export interface AuditVerification {
  readonly intact: boolean;
  readonly organisations: readonly OrganisationChainReport[];
}

const BATCH = 5_000;

/** Reads every organisation's chain in seq order, in batches, as the owner (across organisations). */
export async function verifyAuditTrail(db: Kysely<Database>): Promise<AuditVerification> {
  const organisations = await db.selectFrom('organisations').select(['id', 'slug']).orderBy('slug').execute();
  const reports: OrganisationChainReport[] = [];
  for (const organisation of organisations) {
    reports.push(await verifyOrganisationChain(db, organisation.id, organisation.slug));
  }
  return { intact: reports.every((r) => !r.problem), organisations: reports };
}

async function verifyOrganisationChain(db: Kysely<Database>, organisationId: string, slug: string) {
  const verifier = new AuditChainVerifier();
  // The first batch has no lower bound: a row forged with seq 0 or below must be read (and refused), not skipped.
  let afterSeq: number | undefined;
  for (;;) {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .$if(afterSeq !== undefined, (qb) => qb.where('seq', '>', afterSeq!))
      .orderBy('seq')
      .limit(BATCH)
      .execute();
    let ok = true;
    for (const row of rows) {
      ok = verifier.accept(auditEntryFromRow(row));
      if (!ok) break;
    }
    if (!ok || rows.length < BATCH) break;
    afterSeq = rows[rows.length - 1]!.seq;
  }
  const head = await db
    .selectFrom('audit_chain_heads')
    .select(['last_seq', 'last_hash'])
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  const problem = verifier.finish(head ? { lastSeq: head.last_seq, lastHash: head.last_hash } : undefined);
  return {
    organisationId,
    organisationSlug: slug,
    rowsChecked: verifier.checked,
    ...(problem
      ? {
          problem: describeProblem(problem),
          ...('entry' in problem ? { firstBadRowId: problem.entry.id } : {}),
        }
      : {}),
  };
}
