import type { AddressRow, IdentifierRow, PersonNameRow, PersonRow } from '../../db/schema.ts';
import { displayIdentifier, IDENTIFIER_TYPE_LABELS, type IdentifierType } from './identifiers.ts';
import type { IndigenousStatus, InterpreterNeed, NameType, Sex } from './person-options.ts';
import type { PersonDetails } from './schemas.ts';

/** A person as services and pages see them (camelCase, typed choices). */
export interface Person extends PersonDetails {
  readonly id: string;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface PersonName {
  readonly id: string;
  readonly nameType: NameType;
  readonly givenNames: string;
  readonly familyName: string;
}

export interface Address {
  readonly id: string;
  readonly version: number;
  readonly line1: string;
  readonly line2: string | null;
  readonly suburb: string;
  readonly state: string | null;
  readonly postcode: string | null;
  readonly country: string | null;
  readonly livedFrom: string | null;
  readonly livedUntil: string | null;
}

export interface Identifier {
  readonly id: string;
  readonly identifierType: IdentifierType;
  readonly value: string;
}

export function toPerson(row: PersonRow): Person {
  return {
    id: row.id,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    givenNames: row.given_names,
    familyName: row.family_name,
    preferredName: row.preferred_name,
    dateOfBirth: row.date_of_birth,
    dateOfBirthEstimated: row.date_of_birth_estimated,
    sex: row.sex as Sex,
    gender: row.gender,
    indigenousStatus: row.indigenous_status as IndigenousStatus,
    ethnicity: row.ethnicity,
    languages: row.languages,
    interpreterRequired: row.interpreter_required as InterpreterNeed,
  };
}

export function toPersonName(row: PersonNameRow): PersonName {
  return { id: row.id, nameType: row.name_type as NameType, givenNames: row.given_names, familyName: row.family_name };
}

export function toAddress(row: AddressRow): Address {
  return {
    id: row.id,
    version: row.version,
    line1: row.line1,
    line2: row.line2,
    suburb: row.suburb,
    state: row.state,
    postcode: row.postcode,
    country: row.country,
    livedFrom: row.lived_from,
    livedUntil: row.lived_until,
  };
}

export function toIdentifier(row: IdentifierRow): Identifier {
  return { id: row.id, identifierType: row.identifier_type as IdentifierType, value: row.value };
}

/** "Given Family", or whichever part is known. */
export function fullName(person: { givenNames: string; familyName: string }): string {
  return [person.givenNames, person.familyName].filter(Boolean).join(' ');
}

export function addressLine(address: Pick<Address, 'line1' | 'line2' | 'suburb' | 'state' | 'postcode'>): string {
  return [address.line1, address.line2, address.suburb, [address.state, address.postcode].filter(Boolean).join(' ')]
    .filter(Boolean)
    .join(', ');
}

export function identifierLabel(identifier: Identifier): string {
  return `${IDENTIFIER_TYPE_LABELS[identifier.identifierType] ?? identifier.identifierType}: ${displayIdentifier(identifier.identifierType, identifier.value)}`;
}

/** The words for each field of a person's details, in the order pages show them. */
export const DETAIL_FIELD_LABELS: Record<keyof PersonDetails, string> = {
  givenNames: 'Given names',
  familyName: 'Family name',
  preferredName: 'Preferred name',
  dateOfBirth: 'Date of birth',
  dateOfBirthEstimated: 'Date of birth is an estimate',
  sex: 'Sex',
  gender: 'Gender',
  indigenousStatus: 'Aboriginal or Torres Strait Islander',
  ethnicity: 'Ethnicity or cultural background',
  languages: 'Languages',
  interpreterRequired: 'Needs an interpreter',
};

export const DETAIL_FIELDS = Object.keys(DETAIL_FIELD_LABELS) as (keyof PersonDetails)[];

/** Which of a person's details differ between two versions. */
export function changedDetailFields(before: PersonDetails, after: PersonDetails): (keyof PersonDetails)[] {
  return DETAIL_FIELDS.filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]));
}

export function detailsOf(person: Person): PersonDetails {
  return Object.fromEntries(DETAIL_FIELDS.map((field) => [field, person[field]])) as unknown as PersonDetails;
}
