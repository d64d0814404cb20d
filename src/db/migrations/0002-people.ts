import type { Kysely } from 'kysely';
import { APP_ROLE, runStatements, tenantPolicy } from './statements.ts';

/** A person's record: who they are, their other names, addresses over time, identifiers, relationships. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `create table people (
       id uuid primary key default gen_random_uuid(),
       organisation_id uuid not null references organisations (id),
       given_names text not null default '',
       family_name text not null default '',
       preferred_name text,
       date_of_birth date,
       date_of_birth_estimated boolean not null default false,
       sex text not null default 'not_recorded'
         check (sex in ('female', 'male', 'intersex', 'not_stated', 'not_recorded')),
       gender text,
       indigenous_status text not null default 'not_yet_asked'
         check (indigenous_status in ('aboriginal', 'torres_strait_islander', 'both', 'neither', 'not_yet_asked', 'declined')),
       ethnicity text,
       languages text[] not null default '{}',
       interpreter_required text not null default 'not_known' check (interpreter_required in ('yes', 'no', 'not_known')),
       created_at timestamptz not null default now(),
       created_by uuid,
       updated_at timestamptz not null default now(),
       updated_by uuid,
       version integer not null default 1,
       check (given_names <> '' or family_name <> ''),
       unique (organisation_id, id)
     )`,
    `create index people_family_name on people (organisation_id, lower(family_name))`,
    ...tenantPolicy('people'),
    `grant select, insert, update on people to ${APP_ROLE}`,

    `create table person_names (
       id uuid primary key default gen_random_uuid(),
       organisation_id uuid not null,
       person_id uuid not null,
       name_type text not null check (name_type in ('alias', 'previous', 'birth', 'known_as')),
       given_names text not null default '',
       family_name text not null default '',
       created_at timestamptz not null default now(),
       removed_at timestamptz,
       version integer not null default 1,
       check (given_names <> '' or family_name <> ''),
       foreign key (organisation_id, person_id) references people (organisation_id, id)
     )`,
    `create index person_names_person on person_names (person_id)`,
    ...tenantPolicy('person_names'),
    `grant select, insert, update on person_names to ${APP_ROLE}`,

    `create table person_addresses (
       id uuid primary key default gen_random_uuid(),
       organisation_id uuid not null,
       person_id uuid not null,
       line1 text not null,
       line2 text,
       suburb text not null,
       state text,
       postcode text,
       country text,
       lived_from date,
       lived_until date,
       created_at timestamptz not null default now(),
       updated_at timestamptz not null default now(),
       version integer not null default 1,
       check (lived_until is null or lived_from is null or lived_until >= lived_from),
       foreign key (organisation_id, person_id) references people (organisation_id, id)
     )`,
    `create index person_addresses_person on person_addresses (person_id)`,
    ...tenantPolicy('person_addresses'),
    `grant select, insert, update on person_addresses to ${APP_ROLE}`,

    `create table person_identifiers (
       id uuid primary key default gen_random_uuid(),
       organisation_id uuid not null,
       person_id uuid not null,
       identifier_type text not null,
       value text not null,
       created_at timestamptz not null default now(),
       removed_at timestamptz,
       version integer not null default 1,
       foreign key (organisation_id, person_id) references people (organisation_id, id)
     )`,
    `create index person_identifiers_person on person_identifiers (person_id)`,
    `create index person_identifiers_value on person_identifiers (organisation_id, identifier_type, value)`,
    ...tenantPolicy('person_identifiers'),
    `grant select, insert, update on person_identifiers to ${APP_ROLE}`,

    // One row per relationship: person "is <relationship_type> of" related person
    // (a parent row reads "Sam is the parent of Alex"); pages show it from both sides.
    `create table relationships (
       id uuid primary key default gen_random_uuid(),
       organisation_id uuid not null,
       person_id uuid not null,
       related_person_id uuid not null,
       relationship_type text not null,
       started_on date,
       ended_on date,
       notes text,
       created_at timestamptz not null default now(),
       updated_at timestamptz not null default now(),
       version integer not null default 1,
       check (person_id <> related_person_id),
       check (ended_on is null or started_on is null or ended_on >= started_on),
       foreign key (organisation_id, person_id) references people (organisation_id, id),
       foreign key (organisation_id, related_person_id) references people (organisation_id, id)
     )`,
    `create index relationships_person on relationships (person_id)`,
    `create index relationships_related_person on relationships (related_person_id)`,
    ...tenantPolicy('relationships'),
    `grant select, insert, update on relationships to ${APP_ROLE}`,
  ]);
}
