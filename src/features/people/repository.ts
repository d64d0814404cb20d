import { sql } from 'kysely';
import type { AddressRow, IdentifierRow, PersonNameRow, PersonRow, RelationshipRow } from '../../db/schema.ts';
import type { Trx } from '../../db/tenancy.ts';
import type { AddressInput, IdentifierInput, NameInput, PersonDetails, RelationshipInput, RelationshipUpdate } from './schemas.ts';

/**
 * SQL for people, as plain functions over a transaction that is already scoped to one organisation
 * (row-level security hides every other organisation's rows, so no query here filters by it).
 */

function detailsColumns(details: PersonDetails) {
  return {
    given_names: details.givenNames,
    family_name: details.familyName,
    preferred_name: details.preferredName,
    date_of_birth: details.dateOfBirth,
    date_of_birth_estimated: details.dateOfBirthEstimated,
    sex: details.sex,
    gender: details.gender,
    indigenous_status: details.indigenousStatus,
    ethnicity: details.ethnicity,
    languages: details.languages,
    interpreter_required: details.interpreterRequired,
  };
}

export async function insertPerson(trx: Trx, organisationId: string, userId: string | null, details: PersonDetails): Promise<PersonRow> {
  return trx
    .insertInto('people')
    .values({ organisation_id: organisationId, created_by: userId, updated_by: userId, updated_at: new Date(), ...detailsColumns(details) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findPerson(trx: Trx, id: string): Promise<PersonRow | undefined> {
  return trx.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A staff member's name, to say who made a change. */
export async function userName(trx: Trx, userId: string | null): Promise<string | null> {
  if (!userId) return null;
  const row = await trx.selectFrom('users').select('display_name').where('id', '=', userId).executeTakeFirst();
  return row?.display_name ?? null;
}

export function findPeople(trx: Trx, ids: readonly string[]): Promise<PersonRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return trx.selectFrom('people').selectAll().where('id', 'in', ids).execute();
}

/** Saves only if nobody else saved since `expectedVersion`; returns undefined when they did. */
export function updatePersonIfVersion(
  trx: Trx,
  id: string,
  expectedVersion: number,
  userId: string | null,
  details: PersonDetails,
): Promise<PersonRow | undefined> {
  return trx
    .updateTable('people')
    .set({ ...detailsColumns(details), updated_by: userId, updated_at: new Date(), version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
}

/** A change to a part of the record (a name, an address) is a change to the record: its version moves on. */
export async function touchPerson(trx: Trx, id: string, userId: string | null): Promise<void> {
  await trx
    .updateTable('people')
    .set({ updated_by: userId, updated_at: new Date(), version: sql`version + 1` })
    .where('id', '=', id)
    .execute();
}

export function listNames(trx: Trx, personId: string): Promise<PersonNameRow[]> {
  return trx
    .selectFrom('person_names')
    .selectAll()
    .where('person_id', '=', personId)
    .where('removed_at', 'is', null)
    .orderBy('created_at')
    .execute();
}

export function insertName(trx: Trx, organisationId: string, personId: string, name: NameInput): Promise<PersonNameRow> {
  return trx
    .insertInto('person_names')
    .values({
      organisation_id: organisationId,
      person_id: personId,
      name_type: name.nameType,
      given_names: name.givenNames,
      family_name: name.familyName,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function removeName(trx: Trx, personId: string, nameId: string): Promise<PersonNameRow | undefined> {
  return trx
    .updateTable('person_names')
    .set({ removed_at: new Date(), version: sql`version + 1` })
    .where('id', '=', nameId)
    .where('person_id', '=', personId)
    .where('removed_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export function listAddresses(trx: Trx, personId: string): Promise<AddressRow[]> {
  return trx
    .selectFrom('person_addresses')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy(sql`lived_until is null`, 'desc')
    .orderBy(sql`coalesce(lived_until, lived_from)`, (ob) => ob.desc().nullsLast())
    .orderBy('created_at', 'desc')
    .execute();
}

function addressColumns(address: AddressInput) {
  return {
    line1: address.line1,
    line2: address.line2,
    suburb: address.suburb,
    state: address.state,
    postcode: address.postcode,
    country: address.country,
    lived_from: address.livedFrom,
    lived_until: address.livedUntil,
  };
}

export function insertAddress(trx: Trx, organisationId: string, personId: string, address: AddressInput): Promise<AddressRow> {
  return trx
    .insertInto('person_addresses')
    .values({ organisation_id: organisationId, person_id: personId, updated_at: new Date(), ...addressColumns(address) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findAddress(trx: Trx, personId: string, addressId: string): Promise<AddressRow | undefined> {
  return trx.selectFrom('person_addresses').selectAll().where('id', '=', addressId).where('person_id', '=', personId).executeTakeFirst();
}

export function updateAddressIfVersion(
  trx: Trx,
  addressId: string,
  expectedVersion: number,
  address: AddressInput,
): Promise<AddressRow | undefined> {
  return trx
    .updateTable('person_addresses')
    .set({ ...addressColumns(address), updated_at: new Date(), version: sql`version + 1` })
    .where('id', '=', addressId)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
}

/** Closes the person's other current addresses when they move: they lived there until the move. */
export function endCurrentAddresses(trx: Trx, personId: string, exceptId: string, movedOn: string): Promise<AddressRow[]> {
  return trx
    .updateTable('person_addresses')
    .set({
      lived_until: sql<string>`greatest(${movedOn}::date, coalesce(lived_from, ${movedOn}::date))`,
      updated_at: new Date(),
      version: sql`version + 1`,
    })
    .where('person_id', '=', personId)
    .where('id', '<>', exceptId)
    .where('lived_until', 'is', null)
    .returningAll()
    .execute();
}

export function listIdentifiers(trx: Trx, personId: string): Promise<IdentifierRow[]> {
  return trx
    .selectFrom('person_identifiers')
    .selectAll()
    .where('person_id', '=', personId)
    .where('removed_at', 'is', null)
    .orderBy('created_at')
    .execute();
}

export function insertIdentifier(trx: Trx, organisationId: string, personId: string, identifier: IdentifierInput): Promise<IdentifierRow> {
  return trx
    .insertInto('person_identifiers')
    .values({ organisation_id: organisationId, person_id: personId, identifier_type: identifier.identifierType, value: identifier.value })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function removeIdentifier(trx: Trx, personId: string, identifierId: string): Promise<IdentifierRow | undefined> {
  return trx
    .updateTable('person_identifiers')
    .set({ removed_at: new Date(), version: sql`version + 1` })
    .where('id', '=', identifierId)
    .where('person_id', '=', personId)
    .where('removed_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/** Every relationship the person is on either side of. */
export function listRelationships(trx: Trx, personId: string): Promise<RelationshipRow[]> {
  return trx
    .selectFrom('relationships')
    .selectAll()
    .where((eb) => eb.or([eb('person_id', '=', personId), eb('related_person_id', '=', personId)]))
    .orderBy('created_at')
    .execute();
}

export function findRelationship(trx: Trx, relationshipId: string): Promise<RelationshipRow | undefined> {
  return trx.selectFrom('relationships').selectAll().where('id', '=', relationshipId).executeTakeFirst();
}

export function insertRelationship(
  trx: Trx,
  organisationId: string,
  personId: string,
  relationship: RelationshipInput,
): Promise<RelationshipRow> {
  return trx
    .insertInto('relationships')
    .values({
      organisation_id: organisationId,
      person_id: personId,
      related_person_id: relationship.relatedPersonId,
      relationship_type: relationship.relationshipType,
      started_on: relationship.startedOn,
      ended_on: relationship.endedOn,
      notes: relationship.notes,
      updated_at: new Date(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function updateRelationshipIfVersion(
  trx: Trx,
  relationshipId: string,
  expectedVersion: number,
  update: RelationshipUpdate,
): Promise<RelationshipRow | undefined> {
  return trx
    .updateTable('relationships')
    .set({
      relationship_type: update.relationshipType,
      started_on: update.startedOn,
      ended_on: update.endedOn,
      notes: update.notes,
      updated_at: new Date(),
      version: sql`version + 1`,
    })
    .where('id', '=', relationshipId)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
}

export interface MergeLink {
  readonly mergeId: string;
  readonly personId: string;
  readonly givenNames: string;
  readonly familyName: string;
  readonly dateOfBirth: string | null;
  readonly mergedAt: Date;
  readonly mergedBy: string | null;
}

/** The merge that folded this person into another (if any), and the merges that folded others into them. */
export async function mergeLinks(trx: Trx, personId: string): Promise<{ into: MergeLink | undefined; from: MergeLink[] }> {
  const rows = await trx
    .selectFrom('person_merges as m')
    .innerJoin('people as s', 's.id', 'm.survivor_id')
    .innerJoin('people as g', 'g.id', 'm.merged_id')
    .leftJoin('users as u', 'u.id', 'm.merged_by')
    .select([
      'm.id',
      'm.survivor_id',
      'm.merged_id',
      'm.merged_at',
      'u.display_name',
      's.given_names as s_given',
      's.family_name as s_family',
      's.date_of_birth as s_dob',
      'g.given_names as g_given',
      'g.family_name as g_family',
      'g.date_of_birth as g_dob',
    ])
    .where((eb) => eb.or([eb('m.survivor_id', '=', personId), eb('m.merged_id', '=', personId)]))
    .where('m.unmerged_at', 'is', null)
    .orderBy('m.merged_at')
    .execute();
  const into = rows.find((r) => r.merged_id === personId);
  return {
    into: into && {
      mergeId: into.id,
      personId: into.survivor_id,
      givenNames: into.s_given,
      familyName: into.s_family,
      dateOfBirth: into.s_dob,
      mergedAt: into.merged_at,
      mergedBy: into.display_name,
    },
    from: rows
      .filter((r) => r.survivor_id === personId)
      .map((r) => ({
        mergeId: r.id,
        personId: r.merged_id,
        givenNames: r.g_given,
        familyName: r.g_family,
        dateOfBirth: r.g_dob,
        mergedAt: r.merged_at,
        mergedBy: r.display_name,
      })),
  };
}

/**
 * Where each fact on a record came from when it arrived by a merge: row id -> the merged person's
 * name, for the rows (names, addresses, identifiers, story events) a merge into this person moved.
 */
export async function mergedProvenance(trx: Trx, personId: string): Promise<Map<string, string>> {
  const rows = await trx
    .selectFrom('person_merge_moves as m')
    .innerJoin('person_merges as pm', 'pm.id', 'm.merge_id')
    .innerJoin('people as p', 'p.id', 'pm.merged_id')
    .select(['m.row_id', 'p.given_names', 'p.family_name'])
    .where('pm.survivor_id', '=', personId)
    .where('pm.unmerged_at', 'is', null)
    .where('m.table_name', 'in', ['person_names', 'person_addresses', 'person_identifiers', 'story_events'])
    .execute();
  return new Map(rows.map((r) => [r.row_id, [r.given_names, r.family_name].filter(Boolean).join(' ')]));
}
