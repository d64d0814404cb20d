import type { Trx } from '../../db/tenancy.ts';
import type { Actor } from '../access/actor.ts';

/** Kinds of story event. Later capabilities (reports, screening, visits) add their own. */
export type StoryEventKind =
  | 'person.created'
  | 'person.details_changed'
  | 'person.name_added'
  | 'person.name_removed'
  | 'person.address_added'
  | 'person.address_changed'
  | 'person.identifier_added'
  | 'person.identifier_removed'
  | 'relationship.added'
  | 'relationship.changed'
  | 'person.merged'
  | 'person.unmerged'
  | 'person.duplicate_dismissed'
  | 'person.imported'
  | 'report.linked'
  | 'report.screened';

export interface StoryEventInput {
  readonly personId: string;
  readonly kind: StoryEventKind;
  /** A line a worker reads on the child's story, e.g. "Address added: 4 Example Street, Parramatta". */
  readonly summary: string;
  readonly details?: Readonly<Record<string, unknown>>;
  /** When it happened in the child's life; defaults to now. */
  readonly occurredAt?: Date;
}

/** Writes one event on a person's story, in the caller's transaction. */
export async function recordStoryEvent(trx: Trx, actor: Actor, event: StoryEventInput): Promise<void> {
  await trx
    .insertInto('story_events')
    .values({
      organisation_id: actor.organisationId,
      person_id: event.personId,
      occurred_at: event.occurredAt ?? new Date(),
      kind: event.kind,
      summary: event.summary,
      details: JSON.stringify(event.details ?? {}),
      actor_user_id: actor.userId,
    })
    .execute();
}

export interface StoryEntry {
  readonly id: string;
  readonly occurredAt: Date;
  readonly kind: string;
  readonly summary: string;
  readonly details: Record<string, unknown>;
  readonly actorName: string | null;
}

/** A person's story, newest first. */
export async function listStory(trx: Trx, personId: string, limit = 200): Promise<StoryEntry[]> {
  const rows = await trx
    .selectFrom('story_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_user_id')
    .select(['e.id', 'e.occurred_at', 'e.kind', 'e.summary', 'e.details', 'u.display_name'])
    .where('e.person_id', '=', personId)
    .orderBy('e.occurred_at', 'desc')
    .orderBy('e.created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    occurredAt: r.occurred_at,
    kind: r.kind,
    summary: r.summary,
    details: r.details,
    actorName: r.display_name,
  }));
}
