import type { IdentifierType } from '../features/people/identifiers.ts';
import type { IndigenousStatus, InterpreterNeed, NameType, Sex } from '../features/people/person-options.ts';
import type { RelationshipType } from '../features/people/relationship-types.ts';
import type { RoleName } from '../platform/access/roles.ts';

/** Every demo user's password. Demo data is synthetic: no real person's details, ever. */
export const DEMO_PASSWORD = 'hearth-demo-password';

export interface DemoPerson {
  readonly key: string;
  readonly givenNames: string;
  readonly familyName: string;
  readonly preferredName?: string;
  readonly dateOfBirth?: string;
  readonly dateOfBirthEstimated?: boolean;
  readonly sex: Sex;
  readonly indigenousStatus?: IndigenousStatus;
  readonly ethnicity?: string;
  readonly languages?: string[];
  readonly interpreterRequired?: InterpreterNeed;
  readonly addresses?: { line1: string; suburb: string; postcode: string; livedFrom: string | null }[];
  readonly otherNames?: { nameType: NameType; givenNames: string; familyName: string }[];
  readonly identifiers?: { identifierType: IdentifierType; value: string }[];
  /** "<this person> is <type> of <is>". */
  readonly relationships?: { type: RelationshipType; is: string; startedOn?: string; endedOn?: string; notes?: string }[];
}

interface DemoOrganisation {
  readonly slug: string;
  readonly name: string;
  readonly offices: readonly { name: string; teams: readonly string[] }[];
  /** Seed the front door's demo reports (the practice pack's organisation only). */
  readonly reports?: boolean;
  readonly users: readonly { email: string; displayName: string; role: RoleName; team?: string }[];
  readonly people: readonly DemoPerson[];
}

export const DEMO_ORGANISATIONS: readonly DemoOrganisation[] = [
  {
    slug: 'demo',
    name: 'Hearth Demo Department',
    reports: true,
    offices: [
      { name: 'Statewide Helpline', teams: ['Helpline Team'] },
      { name: 'Parramatta Community Services Centre', teams: ['Parramatta Child Protection'] },
      { name: 'Newcastle Community Services Centre', teams: ['Newcastle Child Protection'] },
    ],
    users: [
      { email: 'helpline@demo.hearth.example', displayName: 'Harper Lane', role: 'helpline_worker', team: 'Helpline Team' },
      { email: 'caseworker@demo.hearth.example', displayName: 'Casey Morgan', role: 'caseworker', team: 'Parramatta Child Protection' },
      { email: 'manager@demo.hearth.example', displayName: 'Morgan Reid', role: 'team_manager', team: 'Parramatta Child Protection' },
      { email: 'partner@demo.hearth.example', displayName: 'Parker Quinn', role: 'partner_agency' },
      { email: 'admin@demo.hearth.example', displayName: 'Avery Stone', role: 'administrator' },
      { email: 'auditor@demo.hearth.example', displayName: 'Aubrey Hale', role: 'auditor' },
    ],
    people: [
      {
        key: 'mia',
        givenNames: 'Mia Rose',
        familyName: 'Thompson',
        dateOfBirth: '2016-04-12',
        sex: 'female',
        indigenousStatus: 'neither',
        languages: ['English'],
        interpreterRequired: 'no',
        addresses: [
          { line1: '4 Example Lane', suburb: 'Blacktown', postcode: '2148', livedFrom: '2016-05-01' },
          { line1: '12 Sample Street', suburb: 'Parramatta', postcode: '2150', livedFrom: '2022-08-15' },
        ],
        identifiers: [{ identifierType: 'medicare', value: '2123456701' }],
      },
      {
        key: 'leo',
        givenNames: 'Leo',
        familyName: 'Thompson',
        dateOfBirth: '2019-09-03',
        sex: 'male',
        indigenousStatus: 'neither',
        addresses: [{ line1: '12 Sample Street', suburb: 'Parramatta', postcode: '2150', livedFrom: '2022-08-15' }],
        relationships: [{ type: 'sibling', is: 'mia' }],
      },
      {
        key: 'sarah',
        givenNames: 'Sarah',
        familyName: 'Thompson',
        dateOfBirth: '1990-02-20',
        sex: 'female',
        indigenousStatus: 'neither',
        addresses: [{ line1: '12 Sample Street', suburb: 'Parramatta', postcode: '2150', livedFrom: '2022-08-15' }],
        otherNames: [{ nameType: 'previous', givenNames: 'Sarah', familyName: 'Hollis' }],
        relationships: [
          { type: 'parent', is: 'mia' },
          { type: 'parent', is: 'leo' },
        ],
      },
      {
        key: 'daniel',
        givenNames: 'Daniel',
        familyName: 'Hughes',
        dateOfBirth: '1987-11-05',
        sex: 'male',
        addresses: [{ line1: '12 Sample Street', suburb: 'Parramatta', postcode: '2150', livedFrom: '2023-01-10' }],
        relationships: [
          { type: 'partner', is: 'sarah', startedOn: '2022-11-01' },
          { type: 'household_member', is: 'mia', startedOn: '2023-01-10', notes: 'Moved into the family home in January 2023' },
          { type: 'household_member', is: 'leo', startedOn: '2023-01-10' },
        ],
      },
      {
        key: 'patricia',
        givenNames: 'Patricia',
        familyName: 'Thompson',
        dateOfBirth: '1962-06-30',
        sex: 'female',
        addresses: [{ line1: '88 Placeholder Road', suburb: 'Penrith', postcode: '2750', livedFrom: '1995-03-01' }],
        relationships: [
          { type: 'grandparent', is: 'mia' },
          { type: 'grandparent', is: 'leo' },
          { type: 'parent', is: 'sarah' },
        ],
      },
      {
        key: 'jayden',
        givenNames: 'Jayden',
        familyName: 'Walker',
        preferredName: 'JJ',
        dateOfBirth: '2012-01-25',
        sex: 'male',
        indigenousStatus: 'aboriginal',
        addresses: [{ line1: '7 Specimen Avenue', suburb: 'Mayfield', postcode: '2304', livedFrom: '2021-02-01' }],
        otherNames: [{ nameType: 'known_as', givenNames: 'JJ', familyName: 'Walker' }],
      },
      {
        key: 'kylie',
        givenNames: 'Kylie',
        familyName: 'Walker',
        dateOfBirth: '1984-08-09',
        sex: 'female',
        indigenousStatus: 'aboriginal',
        addresses: [{ line1: '7 Specimen Avenue', suburb: 'Mayfield', postcode: '2304', livedFrom: '2015-06-01' }],
        relationships: [
          { type: 'aunt_or_uncle', is: 'jayden' },
          { type: 'carer', is: 'jayden', startedOn: '2021-02-01', notes: 'Kinship carer since February 2021' },
        ],
      },
      {
        key: 'aisha',
        givenNames: 'Aisha',
        familyName: 'Rahman',
        dateOfBirth: '2018-07-14',
        sex: 'female',
        indigenousStatus: 'neither',
        ethnicity: 'Afghan',
        languages: ['Dari', 'English'],
        interpreterRequired: 'no',
        addresses: [{ line1: '3 Model Crescent', suburb: 'Auburn', postcode: '2144', livedFrom: '2020-10-01' }],
      },
      {
        key: 'farida',
        givenNames: 'Farida',
        familyName: 'Rahman',
        dateOfBirth: '1993-01-01',
        dateOfBirthEstimated: true,
        sex: 'female',
        indigenousStatus: 'neither',
        ethnicity: 'Afghan',
        languages: ['Dari'],
        interpreterRequired: 'yes',
        addresses: [{ line1: '3 Model Crescent', suburb: 'Auburn', postcode: '2144', livedFrom: '2020-10-01' }],
        relationships: [{ type: 'parent', is: 'aisha' }],
      },
    ],
  },
  {
    slug: 'neighbour',
    name: 'Neighbouring Council (demo)',
    offices: [{ name: 'Civic Centre', teams: ['Children and Families'] }],
    users: [{ email: 'worker@neighbour.hearth.example', displayName: 'Noor Patel', role: 'caseworker', team: 'Children and Families' }],
    people: [
      {
        key: 'oliver',
        givenNames: 'Oliver',
        familyName: 'Thompson',
        dateOfBirth: '2015-03-03',
        sex: 'male',
        addresses: [{ line1: '1 Other Place', suburb: 'Elsewhere', postcode: '2999', livedFrom: '2015-03-03' }],
      },
    ],
  },
];
