import type { Kysely } from 'kysely';
import { APP_ROLE, runStatements, tenantPolicy } from './statements.ts';

/**
 * The person index: each person's matching fields and blocking keys (a GIN index finds every person
 * sharing a key with a search), name counts (rare names weigh more), the duplicate review queue,
 * and merges that record every reference they moved so that an unmerge can move it back.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `create extension if not exists btree_gin`,

    `alter table people add column external_id text`,
    `create unique index people_external_id on people (organisation_id, external_id) where external_id is not null`,
    `alter table people add column merged_into_id uuid`,
    `alter table people add constraint people_merged_into foreign key (organisation_id, merged_into_id) references people (organisation_id, id)`,

    `create table person_index (
       person_id uuid primary key,
       organisation_id uuid not null,
       record jsonb not null,
       keys text[] not null,
       foreign key (organisation_id, person_id) references people (organisation_id, id) on delete cascade
     )`,
    `create index person_index_keys on person_index using gin (organisation_id, keys)`,
    ...tenantPolicy('person_index'),
    `grant select, insert, update, delete on person_index to ${APP_ROLE}`,

    // kind 'given' or 'family' per normalised name; kind 'total' (name '') counts the people indexed.
    `create table person_name_counts (
       organisation_id uuid not null references organisations (id),
       kind text not null check (kind in ('given', 'family', 'total')),
       name text not null,
       people integer not null check (people >= 0),
       primary key (organisation_id, kind, name)
     )`,
    ...tenantPolicy('person_name_counts'),
    `grant select, insert, update, delete on person_name_counts to ${APP_ROLE}`,

    `create table duplicate_candidates (
       id uuid primary key default gen_random_uuid(),
       organisation_id uuid not null,
       person_a_id uuid not null,
       person_b_id uuid not null,
       weight double precision not null,
       probability double precision not null,
       decision text not null check (decision in ('match', 'possible')),
       comparisons jsonb not null,
       status text not null default 'pending' check (status in ('pending', 'merged', 'dismissed')),
       found_at timestamptz not null default now(),
       decided_at timestamptz,
       decided_by uuid,
       version integer not null default 1,
       check (person_a_id < person_b_id),
       unique (organisation_id, person_a_id, person_b_id),
       foreign key (organisation_id, person_a_id) references people (organisation_id, id),
       foreign key (organisation_id, person_b_id) references people (organisation_id, id)
     )`,
    `create index duplicate_candidates_pending on duplicate_candidates (organisation_id, status, weight desc)`,
    ...tenantPolicy('duplicate_candidates'),
    `grant select, insert, update on duplicate_candidates to ${APP_ROLE}`,

    `create table person_merges (
       id uuid primary key default gen_random_uuid(),
       organisation_id uuid not null,
       survivor_id uuid not null,
       merged_id uuid not null,
       merged_at timestamptz not null,
       merged_by uuid not null,
       reason text,
       alias_name_id uuid,
       unmerged_at timestamptz,
       unmerged_by uuid,
       foreign key (organisation_id, survivor_id) references people (organisation_id, id),
       foreign key (organisation_id, merged_id) references people (organisation_id, id)
     )`,
    `create index person_merges_people on person_merges (organisation_id, survivor_id)`,
    `create index person_merges_merged on person_merges (organisation_id, merged_id)`,
    ...tenantPolicy('person_merges'),
    `grant select, insert, update on person_merges to ${APP_ROLE}`,

    // Every reference a merge re-pointed from the merged person to the survivor: an unmerge moves
    // exactly these back, and pages show where each fact came from.
    `create table person_merge_moves (
       merge_id uuid not null references person_merges (id),
       organisation_id uuid not null,
       table_name text not null,
       column_name text not null,
       row_id uuid not null,
       primary key (merge_id, table_name, column_name, row_id)
     )`,
    `create index person_merge_moves_row on person_merge_moves (organisation_id, table_name, row_id)`,
    ...tenantPolicy('person_merge_moves'),
    `grant select, insert on person_merge_moves to ${APP_ROLE}`,
  ]);
}
