import { sql, type Kysely } from 'kysely';

/** Runs DDL one statement at a time: PGlite's extended protocol takes a single statement per call. */
export async function runStatements(db: Kysely<unknown>, statements: readonly string[]): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

/** The role every request runs as; row-level security policies apply to it. */
export const APP_ROLE = 'hearth_app';

/** A policy that keeps rows of one organisation invisible to another. */
export function tenantPolicy(table: string, column = 'organisation_id'): string[] {
  const current = `nullif(current_setting('app.organisation_id', true), '')::uuid`;
  return [
    `alter table ${table} enable row level security`,
    `create policy ${table}_tenant on ${table} to ${APP_ROLE} using (${column} = ${current}) with check (${column} = ${current})`,
  ];
}
