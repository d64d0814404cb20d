import type { Kysely } from 'kysely';
import { APP_ROLE, runStatements, tenantPolicy } from './statements.ts';

/**
 * The front door: reports about children (online, by phone, from an agency), the children each
 * names and the grounds of concern for each, screening decisions with their second checks, drafts
 * that a reporter resumes from a private link, idempotency keys for agency systems, and an outbox
 * for the emails that tell a reporter what happened.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `create table reports (
       id uuid primary key default gen_random_uuid(),
       organisation_id uuid not null references organisations (id),
       reference text not null check (reference ~ '^[A-Z0-9-]{6,20}$'),
       channel text not null check (channel in ('online', 'phone', 'agency')),
       status text not null default 'awaiting_screening'
         check (status in ('awaiting_screening', 'awaiting_second_check', 'screened_in', 'screened_out')),
       received_at timestamptz not null,
       recorded_by uuid,
       source_agency text,
       what_happened text not null,
       when_happened text,
       child_words text,
       safe_now text not null check (safe_now in ('yes', 'no', 'not_known')),
       people_of_concern text,
       other_agencies text,
       reporter_name text,
       reporter_role text,
       reporter_organisation text,
       reporter_email text,
       reporter_phone text,
       status_token_hash text unique,
       suspected_automated boolean not null default false,
       priority text,
       due_at timestamptz,
       office_code text,
       routed_by text check (routed_by in ('postcode', 'suburb')),
       unrouted_reason text,
       outcome text,
       decided_at timestamptz,
       version integer not null default 1,
       unique (organisation_id, reference),
       unique (organisation_id, id),
       foreign key (organisation_id, recorded_by) references users (organisation_id, id),
       check ((status = 'screened_in') = (priority is not null and due_at is not null))
     )`,
    `create index reports_status on reports (organisation_id, status, received_at)`,
    `create index reports_queue on reports (organisation_id, office_code, due_at) where status = 'screened_in'`,
    ...tenantPolicy('reports'),
    `grant select, insert, update on reports to ${APP_ROLE}`,

    `create table report_children (
       id uuid primary key default gen_random_uuid(),
       organisation_id uuid not null,
       report_id uuid not null,
       position integer not null check (position >= 1),
       given_names text not null default '',
       family_name text not null default '',
       date_of_birth date,
       age_years integer check (age_years between 0 and 17),
       street text,
       suburb text,
       postcode text,
       school text,
       concerns text[] not null default '{}',
       person_id uuid,
       linked_at timestamptz,
       linked_by uuid,
       unique (report_id, position),
       foreign key (organisation_id, report_id) references reports (organisation_id, id),
       foreign key (organisation_id, person_id) references people (organisation_id, id)
     )`,
    `create index report_children_report on report_children (report_id)`,
    `create index report_children_person on report_children (organisation_id, person_id) where person_id is not null`,
    ...tenantPolicy('report_children'),
    `grant select, insert, update on report_children to ${APP_ROLE}`,

    `create table report_screenings (
       id uuid primary key default gen_random_uuid(),
       organisation_id uuid not null,
       report_id uuid not null,
       decided_by uuid not null,
       decided_at timestamptz not null,
       grounds_met text[] not null default '{}',
       risk_of_significant_harm boolean not null,
       priority text,
       outcome text,
       rationale text not null check (rationale <> ''),
       second_check_reasons text[] not null default '{}',
       checked_by uuid,
       checked_at timestamptz,
       check_agreed boolean,
       check_note text,
       check (risk_of_significant_harm = (priority is not null)),
       check (risk_of_significant_harm <> (outcome is not null)),
       check (checked_by is null or checked_by <> decided_by),
       foreign key (organisation_id, report_id) references reports (organisation_id, id),
       foreign key (organisation_id, decided_by) references users (organisation_id, id),
       foreign key (organisation_id, checked_by) references users (organisation_id, id)
     )`,
    `create index report_screenings_report on report_screenings (report_id, decided_at)`,
    ...tenantPolicy('report_screenings'),
    `grant select, insert, update on report_screenings to ${APP_ROLE}`,

    // A report in progress: what the reporter has typed so far, as the form's JSON, never lost.
    `create table report_drafts (
       id uuid primary key default gen_random_uuid(),
       organisation_id uuid not null references organisations (id),
       token_hash text not null unique,
       channel text not null check (channel in ('online', 'phone')),
       content jsonb not null default '{}',
       created_at timestamptz not null,
       updated_at timestamptz not null,
       expires_at timestamptz not null,
       created_by uuid,
       report_id uuid,
       foreign key (organisation_id, report_id) references reports (organisation_id, id)
     )`,
    `create index report_drafts_expiry on report_drafts (expires_at) where report_id is null`,
    ...tenantPolicy('report_drafts'),
    `grant select, insert, update, delete on report_drafts to ${APP_ROLE}`,

    `create table idempotency_keys (
       organisation_id uuid not null references organisations (id),
       key text not null check (length(key) between 1 and 200),
       request_hash text not null,
       report_id uuid not null,
       created_at timestamptz not null,
       primary key (organisation_id, key),
       -- Deferred: the key is taken first (so a racing retry waits for it), the report stored after.
       foreign key (organisation_id, report_id) references reports (organisation_id, id) deferrable initially deferred
     )`,
    ...tenantPolicy('idempotency_keys'),
    `grant select, insert on idempotency_keys to ${APP_ROLE}`,

    `create table outbox_emails (
       id uuid primary key default gen_random_uuid(),
       organisation_id uuid not null references organisations (id),
       to_address text not null,
       subject text not null,
       body text not null,
       created_at timestamptz not null,
       sent_at timestamptz,
       attempts integer not null default 0,
       -- The sender claims a batch for a few minutes, sends outside any transaction, then marks each one.
       next_attempt_at timestamptz not null default now(),
       claimed_until timestamptz,
       last_error text
     )`,
    `create index outbox_emails_unsent on outbox_emails (next_attempt_at) where sent_at is null`,
    ...tenantPolicy('outbox_emails'),
    `grant select, insert, update on outbox_emails to ${APP_ROLE}`,
  ]);
}
