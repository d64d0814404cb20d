import type { Trx } from '../../db/tenancy.ts';
import type { MatchAddress, MatchRecord } from './matching/types.ts';

/**
 * A person's MatchRecord, read from their record: every current name (their own, their other names,
 * and the primary names of records merged into theirs, directly or through a record merged into
 * theirs later), date of birth, sex, addresses (current first)
 * and identifiers. Undefined for a person who does not exist or was merged into someone else.
 */
export async function matchRecordFromDatabase(trx: Trx, personId: string): Promise<MatchRecord | undefined> {
  const person = await trx
    .selectFrom('people')
    .select(['id', 'given_names', 'family_name', 'preferred_name', 'date_of_birth', 'sex', 'merged_into_id'])
    .where('id', '=', personId)
    .executeTakeFirst();
  if (!person || person.merged_into_id) return undefined;
  const [names, mergedIn, addresses, identifiers] = await Promise.all([
    trx.selectFrom('person_names').select(['given_names', 'family_name']).where('person_id', '=', personId).where('removed_at', 'is', null).orderBy('created_at').execute(),
    mergedInto(trx, personId),
    trx
      .selectFrom('person_addresses')
      .select(['line1', 'line2', 'suburb', 'state', 'postcode', 'lived_until'])
      .where('person_id', '=', personId)
      .orderBy('lived_until', (ob) => ob.desc().nullsFirst())
      .orderBy('created_at', 'desc')
      .limit(10)
      .execute(),
    trx.selectFrom('person_identifiers').select(['identifier_type', 'value']).where('person_id', '=', personId).where('removed_at', 'is', null).execute(),
  ]);
  const allNames = [
    { given: person.given_names, family: person.family_name },
    ...(person.preferred_name ? [{ given: person.preferred_name, family: person.family_name }] : []),
    ...names.map((n) => ({ given: n.given_names, family: n.family_name })),
    ...mergedIn.map((n) => ({ given: n.given_names, family: n.family_name })),
  ];
  return {
    id: person.id,
    names: uniqueNames(allNames),
    dateOfBirth: person.date_of_birth,
    sex: person.sex === 'female' || person.sex === 'male' ? person.sex : null,
    addresses: addresses.map((a) => toMatchAddress(a)),
    identifiers: identifiers.map((i) => `${i.identifier_type}:${i.value}`),
  };
}

/** The primary names of everyone merged into this person, and into those, and so on. */
function mergedInto(trx: Trx, personId: string) {
  return trx
    .withRecursive('merged_in(id, given_names, family_name, created_at)', (db) =>
      db
        .selectFrom('people')
        .select(['id', 'given_names', 'family_name', 'created_at'])
        .where('merged_into_id', '=', personId)
        .unionAll((db) =>
          db.selectFrom('people as p').innerJoin('merged_in as m', 'm.id', 'p.merged_into_id').select(['p.id', 'p.given_names', 'p.family_name', 'p.created_at']),
        ),
    )
    .selectFrom('merged_in')
    .select(['given_names', 'family_name'])
    .orderBy('created_at')
    .execute();
}

function uniqueNames(names: { given: string; family: string }[]) {
  const seen = new Set<string>();
  return names.filter((n) => {
    const key = `${n.given.toLowerCase()}|${n.family.toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** "12 Sample Street" -> number "12", street "Sample Street"; "Unit 4/12 Sample Street" -> "4/12". */
export function toMatchAddress(address: { line1: string; line2: string | null; suburb: string; state: string | null; postcode: string | null }): MatchAddress {
  const match = /^\s*((?:unit|flat|apartment)?\s*[\d]+[a-z]?(?:\s*[/-]\s*\d+[a-z]?)?)\s+(.*)$/i.exec(address.line1);
  return {
    streetNumber: match?.[1]?.replace(/^(unit|flat|apartment)\s*/i, '').replace(/\s+/g, '') ?? null,
    street: (match?.[2] ?? address.line1).trim() || null,
    locality: address.line2,
    suburb: address.suburb,
    postcode: address.postcode,
    state: address.state,
  };
}
