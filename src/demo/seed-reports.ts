import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { FrontDoorService } from '../features/front-door/service.ts';
import { ScreeningService } from '../features/front-door/screening-service.ts';
import type { ReportInput } from '../features/front-door/report.ts';
import type { Actor } from '../platform/access/actor.ts';
import { actorAsAuditWho } from '../platform/audit/audit-log.ts';
import { systemClock } from '../platform/clock.ts';
import type { PracticePack } from '../practice/pack.ts';

const child = (over: Partial<ReportInput['children'][number]>): ReportInput['children'][number] => ({
  givenNames: null,
  familyName: null,
  dateOfBirth: null,
  ageYears: null,
  street: null,
  suburb: null,
  postcode: null,
  school: null,
  concerns: [],
  ...over,
});

const report = (over: Partial<ReportInput>): ReportInput => ({
  children: [],
  whatHappened: '',
  whenHappened: null,
  childWords: null,
  safeNow: 'not_known',
  peopleOfConcern: null,
  otherAgencies: null,
  reporter: { name: null, role: null, organisation: null, email: null, phone: null },
  ...over,
});

/**
 * The demo's front door, so a newcomer sees it working: an online report waiting to be screened, a phone
 * report about Leo Thompson with Leo identified, and a report about Mia Thompson screened in and queued.
 * Synthetic people and words only.
 */
export async function seedDemoReports(db: Kysely<Database>, pack: PracticePack, worker: Actor, people: ReadonlyMap<string, string>): Promise<void> {
  const frontDoor = new FrontDoorService(db, systemClock, pack, undefined);
  const screening = new ScreeningService(db, systemClock, frontDoor);
  const who = actorAsAuditWho(worker);
  const submit = async (channel: 'online' | 'phone', input: ReportInput) => {
    const outcome = await frontDoor.submit(channel === 'online' ? { ...who, userId: null, role: 'public' } : who, { channel, report: input });
    if (outcome.outcome !== 'received') throw new Error('the demo report was not received');
    return outcome.reportId;
  };

  await submit(
    'online',
    report({
      children: [child({ givenNames: 'Isla', familyName: 'Brennan', ageYears: 6, suburb: 'Glebe', postcode: '2037', school: 'Example Public School', concerns: ['basic-needs'] })],
      whatHappened: 'Isla often arrives at school without lunch, in the same clothes as the day before, and falls asleep in class.',
      whenHappened: 'Most days for the last three weeks',
      childWords: 'Dad says there is no money for lunch.',
      reporter: { name: 'Jordan Sample', role: 'Classroom teacher', organisation: 'Example Public School', email: 'jordan.sample@school.example', phone: null },
    }),
  );

  const leo = people.get('leo');
  const mia = people.get('mia');
  if (!leo || !mia) return;
  const phone = await submit(
    'phone',
    report({
      children: [child({ givenNames: 'Leo', familyName: 'Thompson', ageYears: 7, suburb: 'Parramatta', postcode: '2150', concerns: ['psychological-harm'] })],
      whatHappened: 'A neighbour heard shouting and a child crying late at night, three nights this week.',
      safeNow: 'yes',
      reporter: { name: null, role: 'Neighbour', organisation: null, email: null, phone: null },
    }),
  );
  await screening.linkChild(worker, phone, 1, leo);

  const screened = await submit(
    'phone',
    report({
      children: [child({ givenNames: 'Mia', familyName: 'Thompson', dateOfBirth: '2016-04-12', street: '12 Sample Street', suburb: 'Parramatta', postcode: '2150', concerns: ['physical-or-sexual-abuse'] })],
      whatHappened: 'Mia told the school nurse that an adult at home hit her with a belt; she has bruises on her legs.',
      childWords: 'I got the belt because I was too loud.',
      safeNow: 'not_known',
      reporter: { name: 'Robin Example', role: 'School nurse', organisation: 'Example High School', email: null, phone: '02 9999 0000' },
    }),
  );
  await screening.linkChild(worker, screened, 1, mia);
  const { version } = (await screening.view(worker, screened))!;
  const decided = await screening.screen(worker, screened, version, {
    groundsMet: ['physical-or-sexual-abuse'],
    riskOfSignificantHarm: true,
    priority: 'within-72-hours',
    outcome: null,
    rationale: "Mia's own account of being hit with a belt, with bruising the nurse saw; no immediate danger reported today.",
  });
  if (decided !== 'screened_in') throw new Error(`the demo report about Mia was not screened in: ${decided}`);
}
