import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { inOrganisation, type Trx } from '../../db/tenancy.ts';
import type { Actor } from '../../platform/access/actor.ts';
import type { RoleName } from '../../platform/access/roles.ts';
import { actorAsAuditWho, recordAudit } from '../../platform/audit/audit-log.ts';
import { hashPassword, verifyPassword } from '../../platform/auth/passwords.ts';
import type { SessionStore } from '../../platform/auth/session-store.ts';
import type { Clock } from '../../platform/clock.ts';
import type { NewStaff } from './schemas.ts';

export interface StaffMember {
  readonly id: string;
  readonly displayName: string;
  readonly email: string;
  readonly role: RoleName;
  readonly teamName: string | null;
  readonly mfaEnabled: boolean;
  readonly lockedUntil: Date | null;
  readonly disabled: boolean;
  readonly lastSignedInAt: Date | null;
}

export interface Team {
  readonly id: string;
  readonly name: string;
  readonly officeName: string;
}

export type StaffChange = 'unlocked' | 'mfa_reset' | 'disabled' | 'enabled';

/**
 * An administrator's work on their organisation's staff accounts. Each change is audited; a change
 * that should end someone's sessions (disabling, resetting their second factor) ends them.
 */
export class StaffService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly sessions: SessionStore,
  ) {}

  list(actor: Actor): Promise<StaffMember[]> {
    return inOrganisation(this.db, actor.organisationId, async (trx) => (await staffQuery(trx).orderBy('u.display_name').limit(1000).execute()).map(toMember));
  }

  find(actor: Actor, id: string): Promise<StaffMember | undefined> {
    return inOrganisation(this.db, actor.organisationId, async (trx) => {
      const row = await staffQuery(trx).where('u.id', '=', id).executeTakeFirst();
      return row ? toMember(row) : undefined;
    });
  }

  teams(actor: Actor): Promise<Team[]> {
    return inOrganisation(this.db, actor.organisationId, (trx) =>
      trx
        .selectFrom('teams as t')
        .innerJoin('offices as o', 'o.id', 't.office_id')
        .select(['t.id', 't.name', 'o.name as officeName'])
        .orderBy('o.name')
        .orderBy('t.name')
        .execute(),
    );
  }

  /** Creates an account with a one-off password, shown once to the administrator to pass on. */
  async create(actor: Actor, input: NewStaff): Promise<{ outcome: 'created'; member: StaffMember; password: string } | { outcome: 'email_taken' } | { outcome: 'no_such_team' }> {
    const password = randomBytes(12).toString('base64url');
    const passwordHash = await hashPassword(password);
    const taken = await this.db.selectFrom('users').select('id').where('email', '=', input.email).executeTakeFirst();
    if (taken) return { outcome: 'email_taken' };
    try {
      return await this.insert(actor, input, passwordHash, password);
    } catch (error) {
      // Two administrators adding the same email at once: the unique index decides.
      if ((error as { code?: string }).code === '23505') return { outcome: 'email_taken' };
      throw error;
    }
  }

  private insert(actor: Actor, input: NewStaff, passwordHash: string, password: string) {
    return inOrganisation(this.db, actor.organisationId, async (trx) => {
      if (input.teamId && !(await trx.selectFrom('teams').select('id').where('id', '=', input.teamId).executeTakeFirst())) {
        return { outcome: 'no_such_team' as const };
      }
      const row = await trx
        .insertInto('users')
        .values({
          organisation_id: actor.organisationId,
          email: input.email,
          display_name: input.displayName,
          role: input.role,
          team_id: input.teamId,
          password_hash: passwordHash,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, actorAsAuditWho(actor), { action: 'user.created', recordType: 'user', recordId: row.id, details: { role: input.role } });
      const member = toMember(await staffQuery(trx).where('u.id', '=', row.id).executeTakeFirstOrThrow());
      return { outcome: 'created' as const, member, password };
    });
  }

  /** Unlocks, resets the second factor of, disables or re-enables an account. */
  async change(actor: Actor, id: string, change: StaffChange): Promise<'done' | 'not_found' | 'not_yourself'> {
    if (id === actor.userId && (change === 'disabled' || change === 'mfa_reset')) return 'not_yourself';
    const outcome = await inOrganisation(this.db, actor.organisationId, async (trx) => {
      const now = this.clock.now();
      const values = {
        unlocked: { failed_sign_in_count: 0, locked_until: null },
        mfa_reset: { mfa_secret: null, mfa_enabled_at: null, mfa_last_time_step: null },
        disabled: { disabled_at: now },
        enabled: { disabled_at: null, failed_sign_in_count: 0, locked_until: null },
      }[change];
      const updated = await trx
        .updateTable('users')
        .set({ ...values, updated_at: now, version: sql`version + 1` })
        .where('id', '=', id)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) return 'not_found' as const;
      await recordAudit(trx, actorAsAuditWho(actor), { action: `user.${change}`, recordType: 'user', recordId: id });
      return 'done' as const;
    });
    if (outcome === 'done' && (change === 'disabled' || change === 'mfa_reset')) await this.sessions.destroyAllFor(id);
    return outcome;
  }

  /** The signed-in user changes their own password; every session of theirs ends (the caller starts a new one). */
  async changeOwnPassword(actor: Actor, currentPassword: string, newPassword: string): Promise<'changed' | 'wrong_password'> {
    const user = await this.db.selectFrom('users').select(['password_hash']).where('id', '=', actor.userId).executeTakeFirst();
    if (!user?.password_hash || !(await verifyPassword(user.password_hash, currentPassword))) return 'wrong_password';
    const passwordHash = await hashPassword(newPassword);
    await inOrganisation(this.db, actor.organisationId, async (trx) => {
      await trx.updateTable('users').set({ password_hash: passwordHash, updated_at: this.clock.now(), version: sql`version + 1` }).where('id', '=', actor.userId).execute();
      await recordAudit(trx, actorAsAuditWho(actor), { action: 'user.password_changed', recordType: 'user', recordId: actor.userId });
    });
    await this.sessions.destroyAllFor(actor.userId);
    return 'changed';
  }
}

function staffQuery(trx: Trx) {
  return trx
    .selectFrom('users as u')
    .leftJoin('teams as t', 't.id', 'u.team_id')
    .select([
      'u.id',
      'u.display_name',
      'u.email',
      'u.role',
      't.name as team_name',
      'u.mfa_enabled_at',
      'u.locked_until',
      'u.disabled_at',
      'u.last_signed_in_at',
    ]);
}

type StaffRow = Awaited<ReturnType<ReturnType<typeof staffQuery>['executeTakeFirstOrThrow']>>;

function toMember(row: StaffRow): StaffMember {
  return {
    id: row.id,
    displayName: row.display_name,
    email: row.email,
    role: row.role as RoleName,
    teamName: row.team_name,
    mfaEnabled: row.mfa_enabled_at !== null,
    lockedUntil: row.locked_until,
    disabled: row.disabled_at !== null,
    lastSignedInAt: row.last_signed_in_at,
  };
}
