import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../clock.ts';
import type { RoleName } from '../access/roles.ts';

export type SessionStage = 'mfa_required' | 'mfa_enrolment' | 'active';

export interface SessionPolicy {
  readonly idleMinutes: number;
  readonly absoluteMinutes: number;
}

export interface Session {
  readonly id: string;
  readonly stage: SessionStage;
  readonly pendingMfaSecret: string | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly user: SessionUser;
}

export interface SessionUser {
  readonly id: string;
  readonly organisationId: string;
  readonly organisationName: string;
  readonly email: string;
  readonly displayName: string;
  readonly role: RoleName;
  readonly mfaEnabled: boolean;
}

/** Sessions live in the database; the cookie holds a random token and the table only its hash. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

const TOUCH_INTERVAL_MS = 60_000;

export class SessionStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly policy: SessionPolicy,
  ) {}

  async create(userId: string, organisationId: string, stage: SessionStage): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    await this.db
      .insertInto('sessions')
      .values({
        id: hashToken(token),
        user_id: userId,
        organisation_id: organisationId,
        stage,
        pending_mfa_secret: null,
        created_at: now,
        last_seen_at: now,
        expires_at: new Date(now.getTime() + this.policy.absoluteMinutes * 60_000),
      })
      .execute();
    return token;
  }

  /** The live session for a cookie token, or undefined once idle too long, past its absolute end, or gone. */
  async find(token: string): Promise<Session | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
    const id = hashToken(token);
    const row = await this.db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .innerJoin('organisations as o', 'o.id', 'u.organisation_id')
      .select([
        's.id',
        's.stage',
        's.pending_mfa_secret',
        's.created_at',
        's.last_seen_at',
        's.expires_at',
        'u.id as user_id',
        'u.organisation_id',
        'o.name as organisation_name',
        'u.email',
        'u.display_name',
        'u.role',
        'u.mfa_enabled_at',
        'u.disabled_at',
      ])
      .where('s.id', '=', id)
      .executeTakeFirst();
    if (!row) return undefined;
    const now = this.clock.now();
    const idleUntil = row.last_seen_at.getTime() + this.policy.idleMinutes * 60_000;
    if (row.disabled_at || now.getTime() >= row.expires_at.getTime() || now.getTime() >= idleUntil) {
      await this.destroy(token);
      return undefined;
    }
    if (now.getTime() - row.last_seen_at.getTime() >= TOUCH_INTERVAL_MS) {
      await this.db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
    }
    return {
      id: row.id,
      stage: row.stage,
      pendingMfaSecret: row.pending_mfa_secret,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      user: {
        id: row.user_id,
        organisationId: row.organisation_id,
        organisationName: row.organisation_name,
        email: row.email,
        displayName: row.display_name,
        role: row.role as RoleName,
        mfaEnabled: row.mfa_enabled_at !== null,
      },
    };
  }

  async setPendingMfaSecret(sessionId: string, secret: string): Promise<void> {
    await this.db.updateTable('sessions').set({ pending_mfa_secret: secret }).where('id', '=', sessionId).execute();
  }

  /** Ends a partly signed-in session and starts a fully signed-in one under a new token (no fixation). */
  async promote(sessionId: string, userId: string, organisationId: string): Promise<string> {
    await this.db.deleteFrom('sessions').where('id', '=', sessionId).execute();
    return this.create(userId, organisationId, 'active');
  }

  async destroy(token: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id', '=', hashToken(token)).execute();
  }

  async destroyAllFor(userId: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }

  /** Removes sessions past their absolute end; called now and then, not on every request. */
  async purgeExpired(): Promise<number> {
    const now = this.clock.now();
    const idleSince = new Date(now.getTime() - this.policy.idleMinutes * 60_000);
    const result = await this.db
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', idleSince)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
