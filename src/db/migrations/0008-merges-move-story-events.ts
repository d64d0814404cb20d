import type { Kysely } from 'kysely';
import { APP_ROLE, runStatements } from './statements.ts';

/**
 * A merge moves the merged person's story events to the survivor, and an unmerge moves them back,
 * so the application may change whose story an event is on: that column only. What an event says
 * stays as written.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [`grant update (person_id) on story_events to ${APP_ROLE}`]);
}
