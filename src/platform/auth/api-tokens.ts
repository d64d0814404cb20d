import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { RoleName } from '../access/roles.ts';
import { hashToken } from './session-store.ts';

const PREFIX = 'hearth_';

export interface ApiTokenOwner {
  readonly tokenId: string;
  readonly userId: string;
  readonly organisationId: string;
  readonly role: RoleName;
  readonly displayName: string;
}

/** Creates a bearer token for a (service) account. The token is shown once; only its hash is kept. */
export async function createApiToken(db: Kysely<Database>, userId: string, label: string): Promise<string> {
  const user = await db.selectFrom('users').select(['id', 'organisation_id']).where('id', '=', userId).executeTakeFirstOrThrow();
  const token = PREFIX + randomBytes(32).toString('base64url');
  await db
    .insertInto('api_tokens')
    .values({ user_id: user.id, organisation_id: user.organisation_id, token_hash: hashToken(token), label })
    .execute();
  return token;
}

export async function findApiTokenOwner(db: Kysely<Database>, token: string): Promise<ApiTokenOwner | undefined> {
  if (!token.startsWith(PREFIX) || token.length > 200) return undefined;
  const row = await db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id', 't.last_used_at', 'u.id as user_id', 'u.organisation_id', 'u.role', 'u.display_name'])
    .where('t.token_hash', '=', hashToken(token))
    .where('t.revoked_at', 'is', null)
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000) {
    await db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', row.id).execute();
  }
  return {
    tokenId: row.id,
    userId: row.user_id,
    organisationId: row.organisation_id,
    role: row.role as RoleName,
    displayName: row.display_name,
  };
}

export async function revokeApiToken(db: Kysely<Database>, tokenId: string): Promise<void> {
  await db.updateTable('api_tokens').set({ revoked_at: new Date() }).where('id', '=', tokenId).execute();
}
