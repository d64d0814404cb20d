import type { Kysely } from 'kysely';
import type { Database, RelationshipRow } from '../../db/schema.ts';
import { inOrganisation, type Trx } from '../../db/tenancy.ts';
import type { Actor } from '../../platform/access/actor.ts';
import { actorAsAuditWho, recordAudit, type AuditEntry } from '../../platform/audit/audit-log.ts';
import type { Clock } from '../../platform/clock.ts';
import { listStory, recordStoryEvent, type StoryEntry } from '../../platform/story/story-events.ts';
import { ageInYears, isoDateIn, longDate } from '../../platform/time.ts';
import {
  addressLine,
  changedDetailFields,
  DETAIL_FIELD_LABELS,
  detailsOf,
  fullName,
  identifierLabel,
  toAddress,
  toIdentifier,
  toPerson,
  toPersonName,
  type Address,
  type Identifier,
  type Person,
  type PersonName,
} from './person.ts';
import { NAME_TYPE_LABELS } from './person-options.ts';
import { relationshipLabel, RELATIONSHIP_TYPES, type RelationshipType } from './relationship-types.ts';
import * as repo from './repository.ts';
import type { AddressInput, IdentifierInput, NameInput, PersonDetails, RelationshipInput, RelationshipUpdate } from './schemas.ts';

export interface NetworkMember {
  readonly relationshipId: string;
  readonly version: number;
  readonly person: PersonSummary;
  /** What this member is to the person whose network it is: "Parent". */
  readonly label: string;
  readonly relationshipType: RelationshipType;
  /** True when the member is the row's person (the one the type describes). */
  readonly memberIsSubject: boolean;
  readonly startedOn: string | null;
  readonly endedOn: string | null;
  readonly notes: string | null;
  readonly current: boolean;
}

export interface PersonSummary {
  readonly id: string;
  readonly name: string;
  readonly dateOfBirth: string | null;
  readonly dateOfBirthEstimated: boolean;
  readonly age: number | null;
  readonly sex: string;
}

export interface PersonRecord {
  readonly person: Person;
  readonly names: readonly PersonName[];
  readonly addresses: readonly Address[];
  readonly identifiers: readonly Identifier[];
  readonly network: readonly NetworkMember[];
  readonly story: readonly StoryEntry[];
  /** Set when this record was merged into another: the page points there. */
  readonly mergedInto: repo.MergeLink | undefined;
  /** Records merged into this one, each of which can be separated again. */
  readonly mergedRecords: readonly repo.MergeLink[];
  /** Row id -> the name of the merged record it came from, for facts that arrived by a merge. */
  readonly provenance: ReadonlyMap<string, string>;
}

export type SaveOutcome<T> =
  | { readonly outcome: 'saved'; readonly value: T }
  | { readonly outcome: 'conflict'; readonly current: T; readonly savedBy?: string | null }
  | { readonly outcome: 'not_found' };

export type PartOutcome<T> = { readonly outcome: 'saved'; readonly value: T } | { readonly outcome: 'not_found' };

export class RelationshipToSelfError extends Error {}

/** Keeps the person index in step: called in the same transaction as every change to what a search matches. */
export interface PersonIndexer {
  reindex(trx: Trx, personId: string): Promise<void>;
}

/**
 * People and their records. Each method is one transaction in the actor's organisation, and every
 * change writes its story event and audit row inside it: they commit together or not at all.
 */
export class PeopleService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly timeZone: string,
    private readonly personIndex: PersonIndexer,
  ) {}

  private within<T>(actor: Actor, work: (trx: Trx) => Promise<T>): Promise<T> {
    return inOrganisation(this.db, actor.organisationId, work);
  }

  private audit(trx: Trx, actor: Actor, entry: AuditEntry) {
    return recordAudit(trx, actorAsAuditWho(actor), entry);
  }

  /**
   * A record merged into another is read-only: its facts live on the kept record now, and a change
   * here would be invisible to searches until the merge is undone.
   */
  private async isActive(trx: Trx, personId: string): Promise<boolean> {
    const row = await trx.selectFrom('people').select('merged_into_id').where('id', '=', personId).executeTakeFirst();
    return row !== undefined && row.merged_into_id === null;
  }

  today(): string {
    return isoDateIn(this.timeZone, this.clock.now());
  }

  summarise(person: Person): PersonSummary {
    return {
      id: person.id,
      name: fullName(person),
      dateOfBirth: person.dateOfBirth,
      dateOfBirthEstimated: person.dateOfBirthEstimated,
      age: person.dateOfBirth ? ageInYears(person.dateOfBirth, this.today()) : null,
      sex: person.sex,
    };
  }

  async create(actor: Actor, details: PersonDetails): Promise<Person> {
    return this.within(actor, async (trx) => {
      const person = toPerson(await repo.insertPerson(trx, actor.organisationId, actor.userId, details));
      await this.personIndex.reindex(trx, person.id);
      await recordStoryEvent(trx, actor, { personId: person.id, kind: 'person.created', summary: 'Record created' });
      await this.audit(trx, actor, { action: 'person.created', recordType: 'person', recordId: person.id, subjectPersonId: person.id });
      return person;
    });
  }

  /** The whole record, for the child's page: who they are, their network and their story. Audited as a view. */
  async viewRecord(actor: Actor, id: string): Promise<PersonRecord | undefined> {
    return this.within(actor, async (trx) => {
      const row = await repo.findPerson(trx, id);
      if (!row) return undefined;
      const [names, addresses, identifiers, network, story, merges] = await Promise.all([
        repo.listNames(trx, id),
        repo.listAddresses(trx, id),
        repo.listIdentifiers(trx, id),
        this.network(trx, id),
        listStory(trx, id),
        repo.mergeLinks(trx, id),
      ]);
      const provenance = merges.from.length > 0 ? await repo.mergedProvenance(trx, id) : new Map<string, string>();
      await this.audit(trx, actor, { action: 'person.viewed', recordType: 'person', recordId: id, subjectPersonId: id });
      return {
        person: toPerson(row),
        names: names.map(toPersonName),
        addresses: addresses.map(toAddress),
        identifiers: identifiers.map(toIdentifier),
        network,
        story,
        mergedInto: merges.into,
        mergedRecords: merges.from,
        provenance,
      };
    });
  }

  /**
   * Just enough to name someone (name and date of birth) on a page about them, such as their audit
   * trail. Not a view of the record: the page that shows it audits its own purpose.
   */
  async identify(actor: Actor, id: string): Promise<PersonSummary | undefined> {
    return this.within(actor, async (trx) => {
      const row = await repo.findPerson(trx, id);
      return row ? this.summarise(toPerson(row)) : undefined;
    });
  }

  /** The person's details alone (for an edit form or the API), audited as a view. */
  async view(actor: Actor, id: string): Promise<Person | undefined> {
    return this.within(actor, async (trx) => {
      const row = await repo.findPerson(trx, id);
      if (!row) return undefined;
      await this.audit(trx, actor, { action: 'person.viewed', recordType: 'person', recordId: id, subjectPersonId: id });
      return toPerson(row);
    });
  }

  /**
   * The person's details for a change form, audited as a view: 'merged' when the record was merged
   * into another and is read-only until the merge is undone.
   */
  async viewToChange(actor: Actor, id: string): Promise<Person | 'merged' | undefined> {
    return this.within(actor, async (trx) => {
      const row = await repo.findPerson(trx, id);
      if (!row) return undefined;
      await this.audit(trx, actor, { action: 'person.viewed', recordType: 'person', recordId: id, subjectPersonId: id });
      return row.merged_into_id ? 'merged' : toPerson(row);
    });
  }

  /** The API's view: details with names, addresses and identifiers. */
  async viewForApi(actor: Actor, id: string) {
    return this.within(actor, async (trx) => {
      const row = await repo.findPerson(trx, id);
      if (!row) return undefined;
      const [names, addresses, identifiers] = await Promise.all([repo.listNames(trx, id), repo.listAddresses(trx, id), repo.listIdentifiers(trx, id)]);
      await this.audit(trx, actor, { action: 'person.viewed', recordType: 'person', recordId: id, subjectPersonId: id, details: { via: 'api' } });
      return { person: toPerson(row), names: names.map(toPersonName), addresses: addresses.map(toAddress), identifiers: identifiers.map(toIdentifier) };
    });
  }

  /** Saves new details only if the record is still at `expectedVersion`; otherwise returns the current record. */
  async update(actor: Actor, id: string, expectedVersion: number, details: PersonDetails): Promise<SaveOutcome<Person>> {
    return this.within(actor, async (trx) => {
      if (!(await this.isActive(trx, id))) return { outcome: 'not_found' };
      const before = await repo.findPerson(trx, id);
      if (!before) return { outcome: 'not_found' };
      if (before.version !== expectedVersion) return { outcome: 'conflict', current: toPerson(before), savedBy: await repo.userName(trx, before.updated_by) };
      const changed = changedDetailFields(detailsOf(toPerson(before)), details);
      if (changed.length === 0) return { outcome: 'saved', value: toPerson(before) };
      const after = await repo.updatePersonIfVersion(trx, id, expectedVersion, actor.userId, details);
      if (!after) {
        const current = await repo.findPerson(trx, id);
        return current ? { outcome: 'conflict', current: toPerson(current), savedBy: await repo.userName(trx, current.updated_by) } : { outcome: 'not_found' };
      }
      await this.personIndex.reindex(trx, id);
      const labels = changed.map((field) => DETAIL_FIELD_LABELS[field].toLowerCase());
      await recordStoryEvent(trx, actor, {
        personId: id,
        kind: 'person.details_changed',
        summary: `Details changed: ${labels.join(', ')}`,
        details: { fields: changed },
      });
      await this.audit(trx, actor, { action: 'person.updated', recordType: 'person', recordId: id, subjectPersonId: id, details: { fields: changed } });
      return { outcome: 'saved', value: toPerson(after) };
    });
  }

  async addName(actor: Actor, personId: string, name: NameInput): Promise<PartOutcome<PersonName>> {
    return this.within(actor, async (trx) => {
      if (!(await this.isActive(trx, personId))) return { outcome: 'not_found' };
      if (!(await repo.findPerson(trx, personId))) return { outcome: 'not_found' };
      const row = toPersonName(await repo.insertName(trx, actor.organisationId, personId, name));
      await repo.touchPerson(trx, personId, actor.userId);
      await this.personIndex.reindex(trx, personId);
      await recordStoryEvent(trx, actor, {
        personId,
        kind: 'person.name_added',
        summary: `${NAME_TYPE_LABELS[row.nameType]} added: ${fullName(row)}`,
        details: { nameId: row.id },
      });
      await this.audit(trx, actor, { action: 'person.name_added', recordType: 'person_name', recordId: row.id, subjectPersonId: personId });
      return { outcome: 'saved', value: row };
    });
  }

  async removeName(actor: Actor, personId: string, nameId: string): Promise<PartOutcome<PersonName>> {
    return this.within(actor, async (trx) => {
      if (!(await this.isActive(trx, personId))) return { outcome: 'not_found' };
      const removed = await repo.removeName(trx, personId, nameId);
      if (!removed) return { outcome: 'not_found' };
      const name = toPersonName(removed);
      await repo.touchPerson(trx, personId, actor.userId);
      await this.personIndex.reindex(trx, personId);
      await recordStoryEvent(trx, actor, {
        personId,
        kind: 'person.name_removed',
        summary: `${NAME_TYPE_LABELS[name.nameType]} removed: ${fullName(name)}`,
        details: { nameId },
      });
      await this.audit(trx, actor, { action: 'person.name_removed', recordType: 'person_name', recordId: nameId, subjectPersonId: personId });
      return { outcome: 'saved', value: name };
    });
  }

  /**
   * Adds an address. When it is current (no move-out date) and `endPrevious` is set, the person's other
   * current addresses end on the move-in date (or today): the old address stays in their history.
   */
  async addAddress(actor: Actor, personId: string, address: AddressInput, endPrevious: boolean): Promise<PartOutcome<Address>> {
    return this.within(actor, async (trx) => {
      if (!(await this.isActive(trx, personId))) return { outcome: 'not_found' };
      if (!(await repo.findPerson(trx, personId))) return { outcome: 'not_found' };
      const row = toAddress(await repo.insertAddress(trx, actor.organisationId, personId, address));
      const ended = endPrevious && !row.livedUntil ? await repo.endCurrentAddresses(trx, personId, row.id, row.livedFrom ?? this.today()) : [];
      await repo.touchPerson(trx, personId, actor.userId);
      await this.personIndex.reindex(trx, personId);
      const movedFrom = ended.length > 0 ? ` (moved from ${ended.map((a) => addressLine(toAddress(a))).join('; ')})` : '';
      await recordStoryEvent(trx, actor, {
        personId,
        kind: 'person.address_added',
        summary: `${row.livedUntil ? 'Past address' : 'Address'} added: ${addressLine(row)}${movedFrom}`,
        details: { addressId: row.id, ended: ended.map((a) => a.id) },
      });
      await this.audit(trx, actor, { action: 'person.address_added', recordType: 'person_address', recordId: row.id, subjectPersonId: personId });
      return { outcome: 'saved', value: row };
    });
  }

  async findAddress(actor: Actor, personId: string, addressId: string): Promise<Address | undefined> {
    return this.within(actor, async (trx) => {
      const row = await repo.findAddress(trx, personId, addressId);
      return row ? toAddress(row) : undefined;
    });
  }

  async updateAddress(actor: Actor, personId: string, addressId: string, expectedVersion: number, address: AddressInput): Promise<SaveOutcome<Address>> {
    return this.within(actor, async (trx) => {
      if (!(await this.isActive(trx, personId))) return { outcome: 'not_found' };
      const before = await repo.findAddress(trx, personId, addressId);
      if (!before) return { outcome: 'not_found' };
      if (before.version !== expectedVersion) return { outcome: 'conflict', current: toAddress(before) };
      const after = await repo.updateAddressIfVersion(trx, addressId, expectedVersion, address);
      if (!after) return { outcome: 'conflict', current: toAddress((await repo.findAddress(trx, personId, addressId)) ?? before) };
      await repo.touchPerson(trx, personId, actor.userId);
      await this.personIndex.reindex(trx, personId);
      await recordStoryEvent(trx, actor, {
        personId,
        kind: 'person.address_changed',
        summary: `Address changed: ${addressLine(toAddress(after))}${after.lived_until ? ` (lived there until ${longDate(after.lived_until)})` : ''}`,
        details: { addressId },
      });
      await this.audit(trx, actor, { action: 'person.address_updated', recordType: 'person_address', recordId: addressId, subjectPersonId: personId });
      return { outcome: 'saved', value: toAddress(after) };
    });
  }

  async addIdentifier(actor: Actor, personId: string, identifier: IdentifierInput): Promise<PartOutcome<Identifier>> {
    return this.within(actor, async (trx) => {
      if (!(await this.isActive(trx, personId))) return { outcome: 'not_found' };
      if (!(await repo.findPerson(trx, personId))) return { outcome: 'not_found' };
      const row = toIdentifier(await repo.insertIdentifier(trx, actor.organisationId, personId, identifier));
      await repo.touchPerson(trx, personId, actor.userId);
      await this.personIndex.reindex(trx, personId);
      await recordStoryEvent(trx, actor, {
        personId,
        kind: 'person.identifier_added',
        summary: `Identifier added: ${identifierLabel(row)}`,
        details: { identifierId: row.id },
      });
      await this.audit(trx, actor, { action: 'person.identifier_added', recordType: 'person_identifier', recordId: row.id, subjectPersonId: personId });
      return { outcome: 'saved', value: row };
    });
  }

  async removeIdentifier(actor: Actor, personId: string, identifierId: string): Promise<PartOutcome<Identifier>> {
    return this.within(actor, async (trx) => {
      if (!(await this.isActive(trx, personId))) return { outcome: 'not_found' };
      const removed = await repo.removeIdentifier(trx, personId, identifierId);
      if (!removed) return { outcome: 'not_found' };
      const identifier = toIdentifier(removed);
      await repo.touchPerson(trx, personId, actor.userId);
      await this.personIndex.reindex(trx, personId);
      await recordStoryEvent(trx, actor, {
        personId,
        kind: 'person.identifier_removed',
        summary: `Identifier removed: ${identifierLabel(identifier)}`,
        details: { identifierId },
      });
      await this.audit(trx, actor, { action: 'person.identifier_removed', recordType: 'person_identifier', recordId: identifierId, subjectPersonId: personId });
      return { outcome: 'saved', value: identifier };
    });
  }

  /**
   * Records that `input.relatedPersonId` is `input.relationshipType` of `personId` ("Sam is Alex's
   * parent"), on both people's stories.
   */
  async addRelationship(actor: Actor, personId: string, input: RelationshipInput): Promise<PartOutcome<NetworkMember>> {
    if (personId === input.relatedPersonId) throw new RelationshipToSelfError('A person cannot be related to themselves');
    return this.within(actor, async (trx) => {
      const [person, member] = await Promise.all([repo.findPerson(trx, personId), repo.findPerson(trx, input.relatedPersonId)]);
      if (!person || !member || person.merged_into_id || member.merged_into_id) return { outcome: 'not_found' };
      const row = await repo.insertRelationship(trx, actor.organisationId, input.relatedPersonId, { ...input, relatedPersonId: personId });
      await repo.touchPerson(trx, personId, actor.userId);
      await repo.touchPerson(trx, input.relatedPersonId, actor.userId);
      const words = RELATIONSHIP_TYPES[input.relationshipType];
      const personName = fullName(toPerson(person));
      const memberName = fullName(toPerson(member));
      await recordStoryEvent(trx, actor, {
        personId,
        kind: 'relationship.added',
        summary: `${memberName} added to their network as ${words.label.toLowerCase()}`,
        details: { relationshipId: row.id, otherPersonId: member.id },
      });
      await recordStoryEvent(trx, actor, {
        personId: member.id,
        kind: 'relationship.added',
        summary: `${personName} added to their network as ${words.inverse.toLowerCase()}`,
        details: { relationshipId: row.id, otherPersonId: personId },
      });
      for (const subject of [personId, member.id]) {
        await this.audit(trx, actor, { action: 'relationship.added', recordType: 'relationship', recordId: row.id, subjectPersonId: subject });
      }
      return { outcome: 'saved', value: this.networkMember(row, personId, toPerson(member)) };
    });
  }

  /** One relationship as seen from `personId`'s side, or undefined when it is not theirs. */
  async findNetworkMember(actor: Actor, personId: string, relationshipId: string): Promise<NetworkMember | undefined> {
    return this.within(actor, async (trx) => {
      const row = await repo.findRelationship(trx, relationshipId);
      if (!row || (row.person_id !== personId && row.related_person_id !== personId)) return undefined;
      const other = await repo.findPerson(trx, row.person_id === personId ? row.related_person_id : row.person_id);
      return other ? this.networkMember(row, personId, toPerson(other)) : undefined;
    });
  }

  async updateRelationship(
    actor: Actor,
    personId: string,
    relationshipId: string,
    update: RelationshipUpdate,
  ): Promise<SaveOutcome<NetworkMember>> {
    return this.within(actor, async (trx) => {
      const before = await repo.findRelationship(trx, relationshipId);
      if (!before || (before.person_id !== personId && before.related_person_id !== personId)) return { outcome: 'not_found' };
      const otherId = before.person_id === personId ? before.related_person_id : before.person_id;
      const [self, other] = await Promise.all([repo.findPerson(trx, personId), repo.findPerson(trx, otherId)]);
      if (!self || !other || self.merged_into_id || other.merged_into_id) return { outcome: 'not_found' };
      const asMember = (row: RelationshipRow) => this.networkMember(row, personId, toPerson(other));
      if (before.version !== update.version) return { outcome: 'conflict', current: asMember(before) };
      const after = await repo.updateRelationshipIfVersion(trx, relationshipId, update.version, update);
      if (!after) return { outcome: 'conflict', current: asMember((await repo.findRelationship(trx, relationshipId)) ?? before) };
      await repo.touchPerson(trx, personId, actor.userId);
      await repo.touchPerson(trx, otherId, actor.userId);
      const ended = !before.ended_on && after.ended_on;
      const names = new Map([
        [personId, fullName(toPerson(self))],
        [otherId, fullName(toPerson(other))],
      ]);
      for (const [subject, counterpart] of [
        [personId, otherId],
        [otherId, personId],
      ] as const) {
        // The words for what the counterpart is to the subject.
        const label = relationshipLabel(after.relationship_type, counterpart === after.person_id).toLowerCase();
        const who = `${names.get(counterpart)} (${label})`;
        await recordStoryEvent(trx, actor, {
          personId: subject,
          kind: 'relationship.changed',
          summary: ended ? `Relationship ended: ${who}, from ${longDate(after.ended_on)}` : `Relationship changed: ${who}`,
          details: { relationshipId },
        });
        await this.audit(trx, actor, { action: 'relationship.updated', recordType: 'relationship', recordId: relationshipId, subjectPersonId: subject });
      }
      return { outcome: 'saved', value: asMember(after) };
    });
  }

  private async network(trx: Trx, personId: string): Promise<NetworkMember[]> {
    const rows = await repo.listRelationships(trx, personId);
    const others = await repo.findPeople(trx, [...new Set(rows.map((r) => (r.person_id === personId ? r.related_person_id : r.person_id)))]);
    const byId = new Map(others.map((p) => [p.id, toPerson(p)]));
    return rows
      .map((row) => {
        const other = byId.get(row.person_id === personId ? row.related_person_id : row.person_id);
        return other ? this.networkMember(row, personId, other) : undefined;
      })
      .filter((m): m is NetworkMember => m !== undefined)
      .sort((a, b) => Number(b.current) - Number(a.current) || a.label.localeCompare(b.label));
  }

  private networkMember(row: RelationshipRow, personId: string, other: Person): NetworkMember {
    const memberIsSubject = row.person_id !== personId;
    return {
      relationshipId: row.id,
      version: row.version,
      person: this.summarise(other),
      label: relationshipLabel(row.relationship_type, memberIsSubject),
      relationshipType: row.relationship_type as RelationshipType,
      memberIsSubject,
      startedOn: row.started_on,
      endedOn: row.ended_on,
      notes: row.notes,
      current: !row.ended_on || row.ended_on > this.today(),
    };
  }
}
