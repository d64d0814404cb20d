import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { timeOrderedUuid } from '../ids/time-ordered-uuid.ts';
import type { Trx } from '../../db/tenancy.ts';
import type { Actor } from '../access/actor.ts';
import { GENESIS_HASH, computeAuditHash, type AuditEntryContent } from './audit-chain.ts';
import { jsonRows } from '../../db/json-rows.ts';
import { auditRowValues } from './audit-rows.ts';

export interface AuditEntry {
  /** What happened, as noun.verb: person.viewed, person.updated, user.signed_in ... */
  readonly action: string;
  readonly recordType: string;
  readonly recordId?: string | null;
  /** The person whose record this touches, so "who viewed or changed this child's record" finds it. */
  readonly subjectPersonId?: string | null;
  /** Never personal data: ids, field names, counts. */
  readonly details?: Readonly<Record<string, string | number | boolean | null | readonly string[]>>;
}

export type AuditWho = Pick<Actor, 'organisationId' | 'requestId'> & {
  readonly userId: string | null;
  readonly role: string | null;
};

/**
 * Appends one audit row in the caller's transaction, so it commits or rolls back with the change it
 * describes. The head row's lock serialises appends within an organisation: concurrent transactions
 * queue here rather than fork the chain. Call it late in the transaction to hold the lock briefly.
 */
export async function recordAudit(trx: Trx, who: AuditWho, entry: AuditEntry): Promise<void> {
  const head = await lockChainHead(trx, who.organisationId);
  const content: AuditEntryContent = {
    id: randomUUID(),
    organisationId: who.organisationId,
    seq: head.last_seq + 1,
    occurredAt: new Date(),
    actorUserId: who.userId,
    actorRole: who.role,
    action: entry.action,
    recordType: entry.recordType,
    recordId: entry.recordId ?? null,
    subjectPersonId: entry.subjectPersonId ?? null,
    requestId: who.requestId,
    details: entry.details ?? {},
    prevHash: head.last_hash,
  };
  const hash = computeAuditHash(content);
  await trx.insertInto('audit_events').values(auditRowValues(content, hash)).execute();
  await trx
    .updateTable('audit_chain_heads')
    .set({ last_seq: content.seq, last_hash: hash })
    .where('organisation_id', '=', who.organisationId)
    .execute();
}

/**
 * Appends many audit rows at once (a bulk import): one lock of the chain head, the chain computed in
 * order, one insert of them all, one head update. The rows are the same as one-by-one appends.
 */
export async function recordAuditBatch(trx: Trx, who: AuditWho, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const head = await lockChainHead(trx, who.organisationId);
  let seq = head.last_seq;
  let prevHash = head.last_hash;
  const occurredAt = new Date();
  const rows = entries.map((entry) => {
    seq += 1;
    const content: AuditEntryContent = {
      id: timeOrderedUuid(),
      organisationId: who.organisationId,
      seq,
      occurredAt,
      actorUserId: who.userId,
      actorRole: who.role,
      action: entry.action,
      recordType: entry.recordType,
      recordId: entry.recordId ?? null,
      subjectPersonId: entry.subjectPersonId ?? null,
      requestId: who.requestId,
      details: entry.details ?? {},
      prevHash,
    };
    const hash = computeAuditHash(content);
    prevHash = hash;
    const { id, action, recordType, recordId, subjectPersonId, details } = content;
    return { id, seq, action, record_type: recordType, record_id: recordId, subject_person_id: subjectPersonId, details, prev_hash: content.prevHash, hash };
  });
  // All the rows as one JSON parameter, not a thousand rows of parameters: the same rows, a fraction of the work.
  await sql`insert into audit_events (id, organisation_id, seq, occurred_at, actor_user_id, actor_role, action, record_type, record_id, subject_person_id, request_id, details, prev_hash, hash)
    select id, ${who.organisationId}::uuid, seq, ${occurredAt}::timestamptz, ${who.userId}::uuid, ${who.role}::text, action, record_type, record_id, subject_person_id, ${who.requestId}::text, details, prev_hash, hash
    from ${jsonRows(rows, { id: 'uuid', seq: 'bigint', action: 'text', record_type: 'text', record_id: 'uuid', subject_person_id: 'uuid', details: 'jsonb', prev_hash: 'text', hash: 'text' })}`.execute(trx);
  await trx.updateTable('audit_chain_heads').set({ last_seq: seq, last_hash: prevHash }).where('organisation_id', '=', who.organisationId).execute();
}

async function lockChainHead(trx: Trx, organisationId: string) {
  const select = () =>
    trx
      .selectFrom('audit_chain_heads')
      .select(['last_seq', 'last_hash'])
      .where('organisation_id', '=', organisationId)
      .forUpdate()
      .executeTakeFirst();
  const existing = await select();
  if (existing) return existing;
  await trx
    .insertInto('audit_chain_heads')
    .values({ organisation_id: organisationId, last_seq: 0, last_hash: GENESIS_HASH })
    .onConflict((oc) => oc.column('organisation_id').doNothing())
    .execute();
  const created = await select();
  if (!created) throw new Error('The audit chain head could not be created');
  return created;
}

export function actorAsAuditWho(actor: Actor): AuditWho {
  return { organisationId: actor.organisationId, requestId: actor.requestId, userId: actor.userId, role: actor.role };
}
