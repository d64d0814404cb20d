import type { Kysely } from 'kysely';
import { APP_ROLE, runStatements } from './statements.ts';

/**
 * Blocking keys are stored as 32-bit numbers, not text: `person_key_number(key)`, PostgreSQL's own
 * `hashtext` of the key. Measured at 100,000 people, the GIN index took a third less time to write
 * (4.0 s against 6.0 s) and a quarter less room (46 MB against 62 MB), and a lookup compares
 * numbers. Two keys that happen to share a number only bring one more person to be scored: the
 * matcher, not the key, decides. Keys are still made as text by the matcher, which the benchmarks
 * and tests read; only what is stored and looked up is a number.
 *
 * Name-only keys (`n1:`) are negative and every other key is positive, so the duplicates finder
 * can leave out the name-only blocks (a whole common surname) without reading the text.
 *
 * Written by the database, not by the application, so that this migration can convert the keys
 * already stored, and a key is numbered the same way wherever it is written or looked up.
 *
 * Known spellings are also looked up by the exact names one slip away in the first letters
 * (`near`, about 190 names made by the search): a slip there leaves few trigrams in common. In the
 * same function, so that both ways are one round trip and the primary key serves the exact names:
 * on its own the planner scanned the whole table (1.1 ms at a million people), and with scans off
 * it probed the trigram index for each name (12 ms). Without bitmap scans the primary key is the
 * only index that takes a list of names: 0.6 ms.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const ofTransaction = `nullif(current_setting('app.organisation_id', true), '')::uuid`;
  await runStatements(db, [
    // Not strict, so that PostgreSQL inlines it: a strict function whose body is a CASE is called.
    `create function person_key_number(key text) returns integer
       language sql immutable parallel safe
     as $$ select case when starts_with(key, 'n1:') then -1 - (pg_catalog.hashtext(key) & 2147483647)
                       else pg_catalog.hashtext(key) & 2147483647 end $$`,
    `create function person_key_numbers(keys text[]) returns integer[]
       language sql immutable strict parallel safe
     as $$ select array(select public.person_key_number(k) from unnest(keys) as k) $$`,
    `drop index person_index_keys`,
    `alter table person_index alter column keys type integer[] using person_key_numbers(keys)`,
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
         using public.person_key_numbers(wanted), organisation, most;
     end
     $$`,

    `drop function person_name_spellings(uuid, text, text, integer)`,
    `create function person_name_spellings(organisation uuid, name_kind text, typed text, most integer, near text[])
       returns table (name text)
       language plpgsql stable security definer
       set search_path = pg_catalog, public
       set pg_trgm.similarity_threshold = 0.2
       set enable_seqscan = off
       set enable_bitmapscan = off
     as $$
     begin
       if organisation is distinct from ${ofTransaction} or name_kind not in ('given', 'family') then
         return;
       end if;
       return query execute format(
         '(select c.name from public.person_name_counts c
           where c.kind = %L and c.name operator(public.%%) $1 and c.organisation_id = $2 and c.people > 0
           order by public.similarity(c.name, $1) desc, c.name
           limit $3)
          union
          (select c.name from public.person_name_counts c
           where c.organisation_id = $2 and c.kind = %L and c.name = any($4) and c.people > 0
           order by c.people desc, c.name
           limit $3)', name_kind, name_kind)
         using typed, organisation, most, near;
     end
     $$`,
    `revoke all on function person_name_spellings(uuid, text, text, integer, text[]) from public`,
    `grant execute on function person_name_spellings(uuid, text, text, integer, text[]) to ${APP_ROLE}`,
  ]);
}
