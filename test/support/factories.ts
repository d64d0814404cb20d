import { randomUUID } from 'node:crypto';
import { generate } from 'otplib';
import type { HearthDatabase } from '../../src/db/connect.ts';
import { asSystem } from '../../src/db/tenancy.ts';
import type { PersonDetails } from '../../src/features/people/schemas.ts';
import type { Actor } from '../../src/platform/access/actor.ts';
import type { RoleName } from '../../src/platform/access/roles.ts';
import { newTotpSecret } from '../../src/platform/auth/totp.ts';
import { createUser } from '../../src/platform/auth/users.ts';

export const TEST_PASSWORD = 'a-long-test-password';

export async function createOrganisation(database: HearthDatabase, name = 'Test organisation'): Promise<string> {
  const slug = `org-${randomUUID().slice(0, 8)}`;
  const row = await database.db.insertInto('organisations').values({ slug, name }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export interface TestStaff {
  readonly id: string;
  readonly email: string;
  readonly organisationId: string;
  readonly role: RoleName;
  readonly password: string;
  readonly mfaSecret: string | null;
  readonly actor: Actor;
}

export async function createStaff(
  database: HearthDatabase,
  organisationId: string,
  role: RoleName,
  options: { mfa?: boolean; displayName?: string } = {},
): Promise<TestStaff> {
  const email = `${role}-${randomUUID().slice(0, 8)}@test.hearth.example`;
  const mfaSecret = options.mfa ? newTotpSecret() : null;
  const user = await asSystem(database.db, (trx) =>
    createUser(trx, { organisationId, email, displayName: options.displayName ?? `Test ${role}`, role, password: TEST_PASSWORD, mfaSecret }),
  );
  return {
    id: user.id,
    email,
    organisationId,
    role,
    password: TEST_PASSWORD,
    mfaSecret,
    actor: { userId: user.id, organisationId, role, displayName: user.display_name, requestId: `test-${randomUUID()}` },
  };
}

/** A code for the next 30-second step: accepted (one step of drift is allowed) and never a replay of one used just now. */
export function nextTotpCode(secret: string, stepsAhead = 1): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 * stepsAhead });
}

export function personDetails(overrides: Partial<PersonDetails> = {}): PersonDetails {
  return {
    givenNames: 'Test',
    familyName: 'Person',
    preferredName: null,
    dateOfBirth: '2015-06-01',
    dateOfBirthEstimated: false,
    sex: 'not_recorded',
    gender: null,
    indigenousStatus: 'not_yet_asked',
    ethnicity: null,
    languages: [],
    interpreterRequired: 'not_known',
    ...overrides,
  };
}
