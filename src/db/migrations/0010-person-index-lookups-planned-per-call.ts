import type { Kysely } from 'kysely';
import { runStatements } from './statements.ts';

/**
 * The person search's lookups, fast at state scale. Measured with `npm run bench:search`: at
 * 20,000 people a search took 300-700 ms on PostgreSQL, nearly all of it in person_index_candidates.
 *
 * 1. A SQL function's statement is planned once, for any arguments (a generic plan). Under its
 *    `limit`, PostgreSQL guessed that a sequential scan would meet enough rows early and read every
 *    person (60 ms at 20,000; seconds at a million). PL/pgSQL's `execute ... using` plans each call
 *    for its own arguments, so the GIN index is used: under 1 ms.
 * 2. The GIN index over (organisation_id, keys) made every lookup intersect the posting list of the
 *    organisation, which holds everyone in it: 7.7 ms at 20,000 people, against 0.13 ms for an index
 *    over the keys alone, with the organisation checked on the rows found. Keys are specific (a name
 *    code with a birth year, a date of birth, an identifier), so the rows found in other
 *    organisations are few, and they are never returned.
 *
 * 3. Even planned for its own arguments, a lookup of 70 keys (a misspelt name's known spellings)
 *    was estimated at a thousand rows, and a sequential scan chosen that tests every person's keys
 *    (400 ms at 20,000). Both functions turn sequential scans off: their indexes always serve.
 * 4. New keys wait in the GIN index's pending list until a vacuum, and every search reads that list
 *    whole. PGlite has no autovacuum, so the list is kept short (256 kB); the importer cleans it
 *    when it finishes.
 *
 * Both functions keep the checks of migration 0009: they answer only for the organisation of the
 * transaction.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const ofTransaction = `nullif(current_setting('app.organisation_id', true), '')::uuid`;
  await runStatements(db, [
    `drop index person_index_keys`,
    `create index person_index_keys on person_index using gin (keys) with (gin_pending_list_limit = 256)`,

    `create or replace function person_index_candidates(organisation uuid, wanted text[], most integer)
       returns table (person_id uuid, record jsonb)
       language plpgsql stable security definer
       set search_path = pg_catalog, public
       set enable_seqscan = off
     as $$
     begin
       if organisation is distinct from ${ofTransaction} then
         return;
       end if;
       return query execute
         'select i.person_id, i.record from public.person_index i
          where i.keys && $1 and i.organisation_id = $2
          limit $3'
         using wanted, organisation, most;
     end
     $$`,

    `create or replace function person_name_spellings(organisation uuid, name_kind text, typed text, most integer)
       returns table (name text)
       language plpgsql stable security definer
       set search_path = pg_catalog, public
       set pg_trgm.similarity_threshold = 0.2
       set enable_seqscan = off
     as $$
     begin
       if organisation is distinct from ${ofTransaction} then
         return;
       end if;
       return query execute
         'select c.name from public.person_name_counts c
          where c.name % $1 and c.organisation_id = $2 and c.kind = $3 and c.people > 0
          order by similarity(c.name, $1) desc, c.name
          limit $4'
         using typed, organisation, name_kind, most;
     end
     $$`,
  ]);
}
