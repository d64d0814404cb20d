import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { APP_ROLE } from './migrations/statements.ts';

export type Trx = Transaction<Database>;

/**
 * Runs `work` in one transaction as the application role, scoped to one organisation: row-level
 * security then hides every other organisation's rows, even from a query that forgets a WHERE.
 * The role and the setting end with the transaction.
 */
export async function inOrganisation<T>(
  db: Kysely<Database>,
  organisationId: string,
  work: (trx: Trx) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    // Both in one round trip: set_config('role', ..., true) is `set local role`.
    await sql`select set_config('app.organisation_id', ${organisationId}, true), set_config('role', ${APP_ROLE}, true)`.execute(trx);
    return work(trx);
  });
}

/**
 * Runs `work` in one transaction as the database owner, outside any organisation. Only for what
 * must see across organisations: sign-in and session lookups, migrations, CLI administration and
 * audit verification. Pages and API handlers for case data never use it.
 */
export async function asSystem<T>(db: Kysely<Database>, work: (trx: Trx) => Promise<T>): Promise<T> {
  return db.transaction().execute(work);
}
