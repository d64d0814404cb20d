import type { Kysely } from 'kysely';
import { APP_ROLE, runStatements } from './statements.ts';

/**
 * The person search's two index lookups, as functions, so that their indexes are used.
 *
 * Row-level security lets PostgreSQL use a condition in an index only when the condition's
 * function is "leakproof" (cannot reveal a row the policy hides through an error); array overlap
 * (`keys && ...`) and trigram similarity (`name % ...`) are not, and only a superuser may say
 * otherwise. So under the application role a search read every person of the organisation through
 * the organisation column of the GIN index and tested each one's keys: about 1 s at 100,000 people,
 * growing with the organisation. Measured by `npm run bench:search`.
 *
 * These functions run as the tables' owner (not subject to the policy) and apply the very condition
 * the policy applies as well as the caller's: the organisation asked about must be the organisation
 * of the transaction (`app.organisation_id`, set by inOrganisation), so they show nothing the policy
 * would hide. Asked about another organisation, or outside an organisation's transaction, they
 * return nothing. The application role may only execute them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const ofTransaction = `nullif(current_setting('app.organisation_id', true), '')::uuid`;
  await runStatements(db, [
    // Everyone in the organisation stored under any of the keys, at most `most` of them.
    `create function person_index_candidates(organisation uuid, wanted text[], most integer)
       returns table (person_id uuid, record jsonb)
       language sql stable security definer
       set search_path = pg_catalog, public
     as $$
       select i.person_id, i.record
       from public.person_index i
       where organisation = ${ofTransaction} and i.organisation_id = organisation and i.keys && wanted
       limit most
     $$`,
    `revoke all on function person_index_candidates(uuid, text[], integer) from public`,
    `grant execute on function person_index_candidates(uuid, text[], integer) to ${APP_ROLE}`,

    // The organisation's known spellings of a given or family name close to the one typed, closest
    // first. Two slips in a short name share few trigrams ("tomson"/"thompson": 0.23): a low
    // threshold, and the caller's edit distance decides.
    `create function person_name_spellings(organisation uuid, name_kind text, typed text, most integer)
       returns table (name text)
       language sql stable security definer
       set search_path = pg_catalog, public
       set pg_trgm.similarity_threshold = 0.2
     as $$
       select c.name
       from public.person_name_counts c
       where organisation = ${ofTransaction} and c.organisation_id = organisation and c.kind = name_kind and c.people > 0 and c.name % typed
       order by similarity(c.name, typed) desc, c.name
       limit most
     $$`,
    `revoke all on function person_name_spellings(uuid, text, text, integer) from public`,
    `grant execute on function person_name_spellings(uuid, text, text, integer) to ${APP_ROLE}`,
  ]);
}
