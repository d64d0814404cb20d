import type { Kysely } from 'kysely';
import { APP_ROLE, runStatements } from './statements.ts';

/**
 * Administrators manage their own organisation's staff accounts through the app role; row-level
 * security keeps them to their organisation.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [`grant insert, update on users to ${APP_ROLE}`]);
}
