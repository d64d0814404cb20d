import type { AppDependencies } from './app.ts';
import { AuditTrailService } from './features/audit-trail/service.ts';
import { PeopleService } from './features/people/service.ts';
import { StaffService } from './features/staff/service.ts';
import { findApiTokenOwner } from './platform/auth/api-tokens.ts';
import { SessionStore } from './platform/auth/session-store.ts';
import { SignInService } from './platform/auth/sign-in.ts';

/** The services behind the routes, wired by hand: what each one needs is in plain sight. */
export function createServices(deps: Pick<AppDependencies, 'config' | 'database' | 'clock'>) {
  const { db } = deps.database;
  const { auth } = deps.config;
  const sessions = new SessionStore(db, deps.clock, { idleMinutes: auth.sessionIdleMinutes, absoluteMinutes: auth.sessionAbsoluteMinutes });
  return {
    sessions,
    signIn: new SignInService(db, deps.clock, {
      mfaRequiredRoles: auth.mfaRequiredRoles,
      lockoutThreshold: auth.lockoutThreshold,
      lockoutMinutes: auth.lockoutMinutes,
    }),
    findApiTokenOwner: (token: string) => findApiTokenOwner(db, token),
    people: new PeopleService(db, deps.clock, deps.config.timeZone),
    auditTrail: new AuditTrailService(db),
    staff: new StaffService(db, deps.clock, sessions),
  };
}

export type Services = ReturnType<typeof createServices>;
