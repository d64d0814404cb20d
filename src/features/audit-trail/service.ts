import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { inOrganisation } from '../../db/tenancy.ts';
import type { Actor } from '../../platform/access/actor.ts';
import { actorAsAuditWho, recordAudit } from '../../platform/audit/audit-log.ts';

export interface AuditTrailEntry {
  readonly seq: number;
  readonly occurredAt: Date;
  readonly who: string;
  readonly role: string | null;
  readonly action: string;
  readonly recordType: string;
  readonly requestId: string | null;
}

/** Who viewed or changed a person's record, for auditors and administrators. Reading it is audited too. */
export class AuditTrailService {
  constructor(private readonly db: Kysely<Database>) {}

  async forPerson(actor: Actor, personId: string, limit = 500): Promise<AuditTrailEntry[]> {
    return inOrganisation(this.db, actor.organisationId, async (trx) => {
      const rows = await trx
        .selectFrom('audit_events as a')
        .leftJoin('users as u', 'u.id', 'a.actor_user_id')
        .select(['a.seq', 'a.occurred_at', 'a.actor_role', 'a.action', 'a.record_type', 'a.request_id', 'u.display_name'])
        .where('a.subject_person_id', '=', personId)
        .orderBy('a.seq', 'desc')
        .limit(limit)
        .execute();
      await recordAudit(trx, actorAsAuditWho(actor), {
        action: 'person.audit_trail_viewed',
        recordType: 'person',
        recordId: personId,
        subjectPersonId: personId,
      });
      return rows.map((r) => ({
        seq: r.seq,
        occurredAt: r.occurred_at,
        who: r.display_name ?? 'Unknown user',
        role: r.actor_role,
        action: r.action,
        recordType: r.record_type,
        requestId: r.request_id,
      }));
    });
  }
}

const ACTION_LABELS: Record<string, string> = {
  'person.viewed': 'Viewed the record',
  'person.created': 'Created the record',
  'person.updated': 'Changed details',
  'person.name_added': 'Added a name',
  'person.name_removed': 'Removed a name',
  'person.address_added': 'Added an address',
  'person.address_updated': 'Changed an address',
  'person.identifier_added': 'Added an identifier',
  'person.identifier_removed': 'Removed an identifier',
  'relationship.added': 'Added a relationship',
  'relationship.updated': 'Changed a relationship',
  'person.audit_trail_viewed': 'Viewed this audit trail',
};

export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action;
}
