import type { Kysely } from 'kysely';
import { APP_ROLE, runStatements, tenantPolicy } from './statements.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    // The child's story: everything that happened to their record, newest first on the page.
    `create table story_events (
       id uuid primary key default gen_random_uuid(),
       organisation_id uuid not null,
       person_id uuid not null,
       occurred_at timestamptz not null,
       kind text not null,
       summary text not null,
       details jsonb not null default '{}',
       actor_user_id uuid,
       created_at timestamptz not null default now(),
       foreign key (organisation_id, person_id) references people (organisation_id, id)
     )`,
    `create index story_events_person on story_events (organisation_id, person_id, occurred_at desc)`,
    ...tenantPolicy('story_events'),
    `grant select, insert on story_events to ${APP_ROLE}`,

    // The audit trail: append-only, hash-chained per organisation (seq 1, 2, 3 ... each naming the
    // hash of the one before). The head row holds the newest seq and hash, so removing the tail shows.
    `create table audit_events (
       id uuid primary key default gen_random_uuid(),
       organisation_id uuid not null references organisations (id),
       seq bigint not null,
       occurred_at timestamptz not null,
       actor_user_id uuid,
       actor_role text,
       action text not null,
       record_type text not null,
       record_id uuid,
       subject_person_id uuid,
       request_id text,
       details jsonb not null default '{}',
       prev_hash text not null,
       hash text not null,
       unique (organisation_id, seq)
     )`,
    `create index audit_events_subject on audit_events (organisation_id, subject_person_id, seq desc)`,
    ...tenantPolicy('audit_events'),
    `grant select, insert on audit_events to ${APP_ROLE}`,
    `create function audit_events_append_only() returns trigger language plpgsql as $$
       begin
         raise exception 'audit_events is append-only: % is not allowed', tg_op;
       end $$`,
    `create trigger audit_events_append_only before update or delete on audit_events
       for each row execute function audit_events_append_only()`,
    `create trigger audit_events_no_truncate before truncate on audit_events
       for each statement execute function audit_events_append_only()`,

    `create table audit_chain_heads (
       organisation_id uuid primary key references organisations (id),
       last_seq bigint not null,
       last_hash text not null
     )`,
    ...tenantPolicy('audit_chain_heads'),
    `grant select, insert, update on audit_chain_heads to ${APP_ROLE}`,
  ]);
}
