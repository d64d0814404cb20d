import { sql, type Kysely } from 'kysely';
import type { Database, UserRow } from '../../db/schema.ts';
import { asSystem } from '../../db/tenancy.ts';
import type { Clock } from '../clock.ts';
import type { RoleName } from '../access/roles.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { verifyAgainstDummy, verifyPassword } from './passwords.ts';
import type { SessionStage } from './session-store.ts';
import { verifyTotp } from './totp.ts';
import { findUserByEmail, findUserById } from './users.ts';

export interface SignInPolicy {
  readonly mfaRequiredRoles: readonly RoleName[];
  readonly lockoutThreshold: number;
  readonly lockoutMinutes: number;
}

export type PasswordOutcome =
  | { readonly outcome: 'rejected' }
  | { readonly outcome: 'locked'; readonly until: Date }
  | { readonly outcome: 'accepted'; readonly user: UserRow; readonly next: SessionStage };

export type CodeOutcome =
  | { readonly outcome: 'rejected' }
  | { readonly outcome: 'locked'; readonly until: Date }
  | { readonly outcome: 'accepted' };

/**
 * The rules of signing in: argon2id passwords, lockout after repeated failures (of password or code),
 * TOTP as a second factor where the role requires it or the user chose it. Every outcome for a known
 * account is audited in that account's organisation.
 */
export class SignInService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly policy: SignInPolicy,
  ) {}

  mfaRequiredFor(role: RoleName): boolean {
    return this.policy.mfaRequiredRoles.includes(role);
  }

  async checkPassword(email: string, password: string, requestId: string): Promise<PasswordOutcome> {
    const user = await findUserByEmail(this.db, email);
    if (!user || !user.password_hash || user.disabled_at) {
      await verifyAgainstDummy(password);
      return { outcome: 'rejected' };
    }
    const lockedUntil = this.lockedUntil(user);
    if (lockedUntil) {
      await this.audit(user, requestId, 'user.sign_in_refused_locked');
      return { outcome: 'locked', until: lockedUntil };
    }
    if (!(await verifyPassword(user.password_hash, password))) {
      return this.recordFailure(user, requestId, 'password');
    }
    const next: SessionStage = user.mfa_enabled_at
      ? 'mfa_required'
      : this.mfaRequiredFor(user.role as RoleName)
        ? 'mfa_enrolment'
        : 'active';
    if (next === 'active') await this.recordSuccess(user, requestId);
    return { outcome: 'accepted', user, next };
  }

  /** The second step for a user who has MFA set up. */
  async checkCode(userId: string, code: string, requestId: string): Promise<CodeOutcome> {
    const user = await findUserById(this.db, userId);
    if (!user?.mfa_secret || user.disabled_at) return { outcome: 'rejected' };
    const lockedUntil = this.lockedUntil(user);
    if (lockedUntil) return { outcome: 'locked', until: lockedUntil };
    const timeStep = await verifyTotp(user.mfa_secret, code, user.mfa_last_time_step);
    if (timeStep === undefined) return this.recordFailure(user, requestId, 'code');
    // Claim the code's time step in one statement: of two requests racing with the same code, one wins.
    const claimed = await this.db
      .updateTable('users')
      .set({ mfa_last_time_step: timeStep })
      .where('id', '=', user.id)
      .where((eb) => eb.or([eb('mfa_last_time_step', 'is', null), eb('mfa_last_time_step', '<', timeStep)]))
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) return this.recordFailure(user, requestId, 'code');
    await this.recordSuccess(user, requestId);
    return { outcome: 'accepted' };
  }

  /** Confirms a new authenticator: the code must match the secret shown on the set-up page. */
  async enrolMfa(userId: string, secret: string, code: string, requestId: string): Promise<CodeOutcome> {
    const user = await findUserById(this.db, userId);
    if (!user || user.disabled_at) return { outcome: 'rejected' };
    const timeStep = await verifyTotp(secret, code, null);
    if (timeStep === undefined) return this.recordFailure(user, requestId, 'code');
    await this.db
      .updateTable('users')
      .set({ mfa_secret: secret, mfa_enabled_at: this.clock.now(), mfa_last_time_step: timeStep, updated_at: this.clock.now() })
      .where('id', '=', user.id)
      .execute();
    await this.audit(user, requestId, 'user.mfa_enrolled');
    await this.recordSuccess(user, requestId);
    return { outcome: 'accepted' };
  }

  async recordSignOut(userId: string, requestId: string): Promise<void> {
    const user = await findUserById(this.db, userId);
    if (user) await this.audit(user, requestId, 'user.signed_out');
  }

  private lockedUntil(user: UserRow): Date | undefined {
    return user.locked_until && user.locked_until.getTime() > this.clock.now().getTime() ? user.locked_until : undefined;
  }

  /**
   * Counts a failure, locking the account when it reaches the threshold. One statement does both, so
   * that attempts made in parallel each count: read-then-write would let them all write the same
   * number and never lock. An account that another attempt has just locked is left as it is.
   */
  private async recordFailure(user: UserRow, requestId: string, factor: 'password' | 'code') {
    const now = this.clock.now();
    const until = new Date(now.getTime() + this.policy.lockoutMinutes * 60_000);
    const failures = sql<number>`failed_sign_in_count + 1`;
    const reachesThreshold = sql<boolean>`${failures} >= ${this.policy.lockoutThreshold}`;
    const counted = await this.db
      .updateTable('users')
      .set({
        failed_sign_in_count: sql<number>`case when ${reachesThreshold} then 0 else ${failures} end`,
        locked_until: sql<Date | null>`case when ${reachesThreshold} then ${until}::timestamptz else locked_until end`,
      })
      .where('id', '=', user.id)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
      .returning('failed_sign_in_count')
      .executeTakeFirst();
    if (!counted) {
      const lockedUntil = (await findUserById(this.db, user.id))?.locked_until ?? until;
      await this.audit(user, requestId, 'user.sign_in_refused_locked');
      return { outcome: 'locked', until: lockedUntil } as const;
    }
    const lock = counted.failed_sign_in_count === 0; // reset to 0 only by reaching the threshold
    await this.audit(user, requestId, lock ? 'user.locked_out' : 'user.sign_in_failed', { factor });
    return lock ? ({ outcome: 'locked', until } as const) : ({ outcome: 'rejected' } as const);
  }

  private async recordSuccess(user: UserRow, requestId: string): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ failed_sign_in_count: 0, locked_until: null, last_signed_in_at: this.clock.now() })
      .where('id', '=', user.id)
      .execute();
    await this.audit(user, requestId, 'user.signed_in');
  }

  private async audit(user: UserRow, requestId: string, action: string, details: Record<string, string> = {}) {
    await asSystem(this.db, (trx) =>
      recordAudit(
        trx,
        { organisationId: user.organisation_id, requestId, userId: user.id, role: user.role },
        { action, recordType: 'user', recordId: user.id, details },
      ),
    );
  }
}
