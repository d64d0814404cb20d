import type { HearthDatabase } from '../../src/db/connect.ts';
import { asSystem } from '../../src/db/tenancy.ts';

/** A whole, valid online report as its form fields: two children, a reporter who gave an email. Synthetic people only. */
export function reportFields(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    childCount: '2',
    'child1-givenNames': 'Mia',
    'child1-familyName': 'Tomlinson',
    'child1-dateOfBirth-day': '14',
    'child1-dateOfBirth-month': '3',
    'child1-dateOfBirth-year': '2017',
    'child1-ageYears': '',
    'child1-street': '4 Example Street',
    'child1-suburb': 'Parramatta',
    'child1-postcode': '2150',
    'child1-school': 'Example Public School',
    'child1-concerns': ['basic-needs', 'education'],
    'child2-givenNames': 'Leo',
    'child2-familyName': 'Tomlinson',
    'child2-dateOfBirth-day': '',
    'child2-dateOfBirth-month': '',
    'child2-dateOfBirth-year': '',
    'child2-ageYears': '4',
    'child2-street': '4 Example Street',
    'child2-suburb': 'Parramatta',
    'child2-postcode': '2150',
    'child2-school': '',
    'child2-concerns': ['basic-needs'],
    whatHappened: 'Mia has come to school hungry every day this week and says there is no food at home.',
    whenHappened: 'Every morning this week',
    childWords: 'Mum has been asleep all the time and there is nothing to eat.',
    safeNow: 'not_known',
    peopleOfConcern: '',
    otherAgencies: 'School counsellor',
    'reporter-name': 'Jo Example',
    'reporter-role': 'Teacher',
    'reporter-organisation': 'Example Public School',
    'reporter-email': 'jo.example@school.example',
    'reporter-phone': '',
    ...overrides,
  };
}

export async function reportRows(database: HearthDatabase) {
  return asSystem(database.db, (trx) => trx.selectFrom('reports').selectAll().orderBy('received_at').execute());
}

export async function outboxRows(database: HearthDatabase) {
  return asSystem(database.db, (trx) => trx.selectFrom('outbox_emails').selectAll().orderBy('created_at').execute());
}

/** A whole, valid report as an agency system sends it: two children, a reporter with an email. Synthetic people only. */
export function agencyReport(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    children: [
      {
        givenNames: 'Mia',
        familyName: 'Tomlinson',
        dateOfBirth: '2017-03-14',
        ageYears: null,
        street: '4 Example Street',
        suburb: 'Parramatta',
        postcode: '2150',
        school: 'Example Public School',
        concerns: ['basic-needs', 'education'],
      },
      { givenNames: 'Leo', familyName: 'Tomlinson', ageYears: 4, suburb: 'Parramatta', postcode: '2150', concerns: ['basic-needs'] },
    ],
    whatHappened: 'Officers attending a noise complaint found the children alone at home with no food in the house.',
    whenHappened: 'Last night, about 11pm',
    childWords: 'Mum went out and did not come back.',
    safeNow: 'not_known',
    peopleOfConcern: null,
    otherAgencies: 'None known',
    reporter: { name: 'Sam Example', role: 'Senior Constable', organisation: 'Example Police', email: 'sam.example@police.example', phone: null },
    ...overrides,
  };
}

