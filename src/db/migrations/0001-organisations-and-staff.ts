import type { Kysely } from 'kysely';
import { APP_ROLE, runStatements, tenantPolicy } from './statements.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `create extension if not exists citext`,
    `create extension if not exists pg_trgm`,
    `create extension if not exists unaccent`,
    `create extension if not exists fuzzystrmatch`,
    // Roles belong to the whole PostgreSQL cluster: several databases (and parallel test runs) share it.
    `do $$ begin
       if not exists (select 1 from pg_roles where rolname = '${APP_ROLE}') then
         create role ${APP_ROLE} nologin;
       end if;
     exception when duplicate_object or unique_violation then null;
     end $$`,
    // The connecting user switches to the app role in every transaction, so it must be a member.
    `do $$ begin
       execute format('grant ${APP_ROLE} to %I', current_user);
     exception when others then null;
     end $$`,
    `grant usage on schema public to ${APP_ROLE}`,

    `create table organisations (
       id uuid primary key default gen_random_uuid(),
       slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
       name text not null,
       created_at timestamptz not null default now()
     )`,
    `alter table organisations enable row level security`,
    `create policy organisations_tenant on organisations to ${APP_ROLE}
       using (id = nullif(current_setting('app.organisation_id', true), '')::uuid)`,
    `grant select on organisations to ${APP_ROLE}`,

    `create table offices (
       id uuid primary key default gen_random_uuid(),
       organisation_id uuid not null references organisations (id),
       name text not null,
       created_at timestamptz not null default now(),
       unique (organisation_id, name),
       unique (organisation_id, id)
     )`,
    ...tenantPolicy('offices'),
    `grant select, insert, update on offices to ${APP_ROLE}`,

    `create table teams (
       id uuid primary key default gen_random_uuid(),
       organisation_id uuid not null references organisations (id),
       office_id uuid not null,
       name text not null,
       created_at timestamptz not null default now(),
       unique (organisation_id, name),
       unique (organisation_id, id),
       foreign key (organisation_id, office_id) references offices (organisation_id, id)
     )`,
    ...tenantPolicy('teams'),
    `grant select, insert, update on teams to ${APP_ROLE}`,

    `create table users (
       id uuid primary key default gen_random_uuid(),
       organisation_id uuid not null references organisations (id),
       email citext not null unique,
       display_name text not null,
       role text not null check (role in
         ('helpline_worker', 'caseworker', 'team_manager', 'partner_agency', 'administrator', 'auditor')),
       team_id uuid,
       password_hash text,
       mfa_secret text,
       mfa_enabled_at timestamptz,
       mfa_last_time_step bigint,
       failed_sign_in_count integer not null default 0,
       locked_until timestamptz,
       last_signed_in_at timestamptz,
       disabled_at timestamptz,
       created_at timestamptz not null default now(),
       updated_at timestamptz not null default now(),
       version integer not null default 1,
       unique (organisation_id, id),
       foreign key (organisation_id, team_id) references teams (organisation_id, id)
     )`,
    ...tenantPolicy('users'),
    `grant select on users to ${APP_ROLE}`,

    // Sessions, API tokens and instance secrets are read only by the sign-in code, which runs as the
    // owner; the app role has no grant on them at all.
    `create table sessions (
       id text primary key,
       user_id uuid not null references users (id) on delete cascade,
       organisation_id uuid not null references organisations (id),
       stage text not null check (stage in ('mfa_required', 'mfa_enrolment', 'active')),
       pending_mfa_secret text,
       created_at timestamptz not null,
       last_seen_at timestamptz not null,
       expires_at timestamptz not null
     )`,
    `create index sessions_user on sessions (user_id)`,
    `alter table sessions enable row level security`,

    `create table api_tokens (
       id uuid primary key default gen_random_uuid(),
       user_id uuid not null references users (id) on delete cascade,
       organisation_id uuid not null references organisations (id),
       token_hash text not null unique,
       label text not null,
       created_at timestamptz not null default now(),
       last_used_at timestamptz,
       revoked_at timestamptz
     )`,
    `alter table api_tokens enable row level security`,

    `create table instance_secrets (
       name text primary key,
       value text not null,
       created_at timestamptz not null default now()
     )`,
    `alter table instance_secrets enable row level security`,
  ]);
}
