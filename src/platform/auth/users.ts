import type { Kysely } from 'kysely';
import type { Database, UserRow } from '../../db/schema.ts';
import type { Trx } from '../../db/tenancy.ts';
import type { RoleName } from '../access/roles.ts';
import { hashPassword } from './passwords.ts';

type Executor = Kysely<Database> | Trx;

/** Staff accounts. Read here as the owner, because signing in happens before any organisation is known. */
export function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email.trim()).executeTakeFirst();
}

export function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface NewUser {
  readonly organisationId: string;
  readonly email: string;
  readonly displayName: string;
  readonly role: RoleName;
  readonly password: string;
  readonly teamId?: string | null;
  readonly mfaSecret?: string | null;
}

export async function createUser(db: Executor, user: NewUser): Promise<UserRow> {
  return db
    .insertInto('users')
    .values({
      organisation_id: user.organisationId,
      email: user.email.trim(),
      display_name: user.displayName,
      role: user.role,
      team_id: user.teamId ?? null,
      password_hash: await hashPassword(user.password),
      mfa_secret: user.mfaSecret ?? null,
      mfa_enabled_at: user.mfaSecret ? new Date() : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
