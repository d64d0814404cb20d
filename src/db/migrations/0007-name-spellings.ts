import type { Kysely } from 'kysely';
import { runStatements } from './statements.ts';

/**
 * Trigrams over the organisation's distinct names: a search finds the known spellings close to a
 * typed name ("tomson" -> "thompson", "thomson") and looks those up too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [`create index person_name_counts_trigrams on person_name_counts using gin (name gin_trgm_ops)`]);
}
