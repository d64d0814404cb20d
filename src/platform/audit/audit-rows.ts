import type { AuditEventRow } from '../../db/schema.ts';
import type { AuditEntryContent, ChainedAuditEntry } from './audit-chain.ts';

/** An audit entry as the columns of its row. */
export function auditRowValues(content: AuditEntryContent, hash: string) {
  return {
    id: content.id,
    organisation_id: content.organisationId,
    seq: content.seq,
    occurred_at: content.occurredAt,
    actor_user_id: content.actorUserId,
    actor_role: content.actorRole,
    action: content.action,
    record_type: content.recordType,
    record_id: content.recordId,
    subject_person_id: content.subjectPersonId,
    request_id: content.requestId,
    details: JSON.stringify(content.details),
    prev_hash: content.prevHash,
    hash,
  };
}

/** A stored row as the entry its hash covers. */
export function auditEntryFromRow(row: AuditEventRow): ChainedAuditEntry {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    seq: row.seq,
    occurredAt: row.occurred_at,
    actorUserId: row.actor_user_id,
    actorRole: row.actor_role,
    action: row.action,
    recordType: row.record_type,
    recordId: row.record_id,
    subjectPersonId: row.subject_person_id,
    requestId: row.request_id,
    details: row.details,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
