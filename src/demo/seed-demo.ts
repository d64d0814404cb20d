import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { asSystem } from '../db/tenancy.ts';
import { createPeopleServices } from '../services.ts';
import type { PersonDetails } from '../features/people/schemas.ts';
import type { Actor } from '../platform/access/actor.ts';
import type { RoleName } from '../platform/access/roles.ts';
import { createUser } from '../platform/auth/users.ts';
import { systemClock } from '../platform/clock.ts';
import { DEMO_ORGANISATIONS, DEMO_PASSWORD, type DemoPerson } from './demo-data.ts';
import { seedDemoReports } from './seed-reports.ts';
import { practicePack, type PackId } from '../practice/pack.ts';

export class DemoRefusedError extends Error {}

/**
 * Seeds the demo organisations (offices, teams, one user per role, synthetic families with history)
 * when the database holds no organisation yet. Returns whether it seeded. Never in production.
 */
export async function seedDemoIfEmpty(db: Kysely<Database>, environment = process.env.NODE_ENV, pack: PackId = 'nsw'): Promise<boolean> {
  if (environment === 'production') throw new DemoRefusedError('Demo data is never seeded when NODE_ENV=production.');
  const existing = await db.selectFrom('organisations').select('id').limit(1).executeTakeFirst();
  if (existing) return false;
  for (const organisation of DEMO_ORGANISATIONS) {
    const { organisationId, users } = await asSystem(db, async (trx) => {
      const org = await trx
        .insertInto('organisations')
        .values({ slug: organisation.slug, name: organisation.name })
        .returning('id')
        .executeTakeFirstOrThrow();
      const teamIds = new Map<string, string>();
      for (const office of organisation.offices) {
        const officeRow = await trx
          .insertInto('offices')
          .values({ organisation_id: org.id, name: office.name })
          .returning('id')
          .executeTakeFirstOrThrow();
        for (const team of office.teams) {
          const teamRow = await trx
            .insertInto('teams')
            .values({ organisation_id: org.id, office_id: officeRow.id, name: team })
            .returning('id')
            .executeTakeFirstOrThrow();
          teamIds.set(team, teamRow.id);
        }
      }
      const created = new Map<RoleName, { id: string; displayName: string }>();
      for (const user of organisation.users) {
        const row = await createUser(trx, {
          organisationId: org.id,
          email: user.email,
          displayName: user.displayName,
          role: user.role,
          password: DEMO_PASSWORD,
          teamId: user.team ? (teamIds.get(user.team) ?? null) : null,
        });
        created.set(user.role, { id: row.id, displayName: row.display_name });
      }
      return { organisationId: org.id, users: created };
    });
    const author = users.get('caseworker') ?? users.get('helpline_worker');
    const people = author ? await seedPeople(db, { ...author, organisationId }, organisation.people) : new Map<string, string>();
    const worker = users.get('helpline_worker');
    if (worker && organisation.reports) {
      await seedDemoReports(db, practicePack(pack), { userId: worker.id, organisationId, role: 'helpline_worker', displayName: worker.displayName, requestId: 'demo-seed' }, people);
    }
  }
  return true;
}

async function seedPeople(db: Kysely<Database>, author: { id: string; displayName: string; organisationId: string }, people: readonly DemoPerson[]): Promise<Map<string, string>> {
  const service = createPeopleServices(db, systemClock, 'Australia/Sydney').people;
  const actor: Actor = {
    userId: author.id,
    organisationId: author.organisationId,
    role: 'caseworker',
    displayName: author.displayName,
    requestId: 'demo-seed',
  };
  const ids = new Map<string, string>();
  for (const person of people) {
    const details: PersonDetails = {
      givenNames: person.givenNames,
      familyName: person.familyName,
      preferredName: person.preferredName ?? null,
      dateOfBirth: person.dateOfBirth ?? null,
      dateOfBirthEstimated: person.dateOfBirthEstimated ?? false,
      sex: person.sex,
      gender: null,
      indigenousStatus: person.indigenousStatus ?? 'not_yet_asked',
      ethnicity: person.ethnicity ?? null,
      languages: person.languages ?? [],
      interpreterRequired: person.interpreterRequired ?? 'not_known',
    };
    const created = await service.create(actor, details);
    ids.set(person.key, created.id);
    for (const address of person.addresses ?? []) {
      await service.addAddress(actor, created.id, { line2: null, state: 'NSW', country: 'Australia', livedUntil: null, ...address }, true);
    }
    for (const name of person.otherNames ?? []) await service.addName(actor, created.id, name);
    for (const identifier of person.identifiers ?? []) await service.addIdentifier(actor, created.id, identifier);
  }
  for (const person of people) {
    for (const relation of person.relationships ?? []) {
      const memberId = ids.get(person.key);
      const personId = ids.get(relation.is);
      if (!memberId || !personId) continue;
      // "<member> is <type> of <person>": addRelationship adds the member to the person's network.
      await service.addRelationship(actor, personId, {
        relatedPersonId: memberId,
        relationshipType: relation.type,
        startedOn: relation.startedOn ?? null,
        endedOn: relation.endedOn ?? null,
        notes: relation.notes ?? null,
      });
    }
  }
  return ids;
}
