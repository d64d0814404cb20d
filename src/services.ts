import type { Kysely } from 'kysely';
import type { AppDependencies } from './app.ts';
import type { Database } from './db/schema.ts';
import { AuditTrailService } from './features/audit-trail/service.ts';
import { DuplicateFinder } from './features/duplicates/finder.ts';
import { MergeService } from './features/duplicates/merge-service.ts';
import { DuplicateQueueService } from './features/duplicates/service.ts';
import { PeopleImporter } from './features/person-index/import/import-people.ts';
import { matcherKit } from './features/person-index/matcher-kit.ts';
import { PersonIndexService } from './features/person-index/service.ts';
import { PeopleService } from './features/people/service.ts';
import { StaffService } from './features/staff/service.ts';
import { FrontDoorService } from './features/front-door/service.ts';
import { ScreeningService } from './features/front-door/screening-service.ts';
import { practicePack } from './practice/pack.ts';
import { findApiTokenOwner } from './platform/auth/api-tokens.ts';
import { SessionStore } from './platform/auth/session-store.ts';
import { SignInService } from './platform/auth/sign-in.ts';
import type { Clock } from './platform/clock.ts';

/** People and the person index, which every change to a person keeps in step. Also used by the CLI and the demo seed. */
export function createPeopleServices(db: Kysely<Database>, clock: Clock, timeZone: string) {
  const personIndex = new PersonIndexService(db, matcherKit);
  return {
    personIndex,
    people: new PeopleService(db, clock, timeZone, personIndex),
    importer: new PeopleImporter(db, matcherKit, personIndex),
    finder: new DuplicateFinder(db, matcherKit, personIndex),
    merges: new MergeService(db, clock, personIndex),
    duplicates: new DuplicateQueueService(db, clock),
  };
}

/** The services behind the routes, wired by hand: what each one needs is in plain sight. */
export function createServices(deps: Pick<AppDependencies, 'config' | 'database' | 'clock'>) {
  const { db } = deps.database;
  const { auth } = deps.config;
  const frontDoor = new FrontDoorService(db, deps.clock, practicePack(deps.config.practicePack), deps.config.frontDoor.organisationSlug, deps.config.publicUrl);
  const sessions = new SessionStore(db, deps.clock, { idleMinutes: auth.sessionIdleMinutes, absoluteMinutes: auth.sessionAbsoluteMinutes });
  return {
    sessions,
    signIn: new SignInService(db, deps.clock, {
      mfaRequiredRoles: auth.mfaRequiredRoles,
      lockoutThreshold: auth.lockoutThreshold,
      lockoutMinutes: auth.lockoutMinutes,
    }),
    findApiTokenOwner: (token: string) => findApiTokenOwner(db, token),
    ...createPeopleServices(db, deps.clock, deps.config.timeZone),
    auditTrail: new AuditTrailService(db),
    staff: new StaffService(db, deps.clock, sessions),
    frontDoor,
    screening: new ScreeningService(db, deps.clock, frontDoor),
  };
}

export type Services = ReturnType<typeof createServices>;
