import type { Kysely } from 'kysely';
import { APP_ROLE, runStatements, tenantPolicy } from './statements.ts';

/** Each organisation's matching model, learned from its own people (m by EM, u from chance). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `create table matching_models (
       organisation_id uuid primary key references organisations (id),
       model jsonb not null,
       learned_at timestamptz not null,
       records integer not null,
       candidate_pairs integer not null
     )`,
    ...tenantPolicy('matching_models'),
    `grant select, insert, update on matching_models to ${APP_ROLE}`,
  ]);
}
