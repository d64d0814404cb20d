import { dateParts } from '../../platform/http/date-field.ts';
import { longDate } from '../../platform/time.ts';
import { displayIdentifier, IDENTIFIER_TYPE_LABELS } from './identifiers.ts';
import { addressLine, DETAIL_FIELD_LABELS, DETAIL_FIELDS, fullName, type Address } from './person.ts';
import {
  INDIGENOUS_STATUS_LABELS,
  INTERPRETER_LABELS,
  NAME_TYPE_LABELS,
  SEX_LABELS,
} from './person-options.ts';
import { RELATIONSHIP_TYPES, type RelationshipType } from './relationship-types.ts';
import type { PersonDetails } from './schemas.ts';
import type { NetworkMember, PersonRecord, PersonSummary } from './service.ts';

/** Shapes records into what the templates show. Templates only lay these out. */

export function dateOfBirthText(p: { dateOfBirth: string | null; dateOfBirthEstimated: boolean }, age?: number | null): string {
  if (!p.dateOfBirth) return 'Not known';
  const estimate = p.dateOfBirthEstimated ? ' (estimated)' : '';
  const ageText = age === undefined || age === null ? '' : age < 0 ? ' (not born yet)' : `, age ${age}`;
  return `${longDate(p.dateOfBirth)}${estimate}${ageText}`;
}

/** A detail's value as words: what a worker reads on the page and on the conflict page. */
export function detailText(field: keyof PersonDetails, details: PersonDetails): string {
  switch (field) {
    case 'dateOfBirth':
      return details.dateOfBirth ? longDate(details.dateOfBirth) : 'Not known';
    case 'dateOfBirthEstimated':
      return details.dateOfBirthEstimated ? 'Yes' : 'No';
    case 'sex':
      return SEX_LABELS[details.sex] ?? details.sex;
    case 'indigenousStatus':
      return INDIGENOUS_STATUS_LABELS[details.indigenousStatus] ?? details.indigenousStatus;
    case 'interpreterRequired':
      return INTERPRETER_LABELS[details.interpreterRequired] ?? details.interpreterRequired;
    case 'languages':
      return details.languages.length ? details.languages.join(', ') : 'Not recorded';
    default: {
      const value = details[field];
      return typeof value === 'string' && value !== '' ? value : 'Not recorded';
    }
  }
}

export interface ConflictRow {
  readonly label: string;
  readonly saved: string;
  readonly yours: string;
  readonly changed: boolean;
}

export function personConflictRows(saved: PersonDetails, yours: PersonDetails): ConflictRow[] {
  return DETAIL_FIELDS.map((field) => {
    const savedText = detailText(field, saved);
    const yoursText = detailText(field, yours);
    return { label: DETAIL_FIELD_LABELS[field], saved: savedText, yours: yoursText, changed: savedText !== yoursText };
  });
}

export function addressConflictRows(saved: Address, yours: Omit<Address, 'id' | 'version'>): ConflictRow[] {
  const rows: [string, string | null, string | null][] = [
    ['Address line 1', saved.line1, yours.line1],
    ['Address line 2', saved.line2, yours.line2],
    ['Suburb or town', saved.suburb, yours.suburb],
    ['State', saved.state, yours.state],
    ['Postcode', saved.postcode, yours.postcode],
    ['Country', saved.country, yours.country],
    ['Moved in', longDate(saved.livedFrom), longDate(yours.livedFrom)],
    ['Moved out', longDate(saved.livedUntil), longDate(yours.livedUntil)],
  ];
  return rows.map(([label, a, b]) => ({ label, saved: a || 'Not recorded', yours: b || 'Not recorded', changed: (a || '') !== (b || '') }));
}

export function relationshipConflictRows(
  saved: NetworkMember,
  yours: { relationshipType: RelationshipType; startedOn: string | null; endedOn: string | null; notes: string | null },
): ConflictRow[] {
  const label = (type: RelationshipType) => (saved.memberIsSubject ? RELATIONSHIP_TYPES[type].label : RELATIONSHIP_TYPES[type].inverse);
  const rows: [string, string, string][] = [
    ['Relationship', saved.label, label(yours.relationshipType)],
    ['Started', longDate(saved.startedOn), longDate(yours.startedOn)],
    ['Ended', longDate(saved.endedOn), longDate(yours.endedOn)],
    ['Notes', saved.notes ?? '', yours.notes ?? ''],
  ];
  return rows.map(([l, a, b]) => ({ label: l, saved: a || 'Not recorded', yours: b || 'Not recorded', changed: a !== b }));
}

/** The values to put back in a person form's boxes. */
export function personFormValues(details: Partial<PersonDetails> & { version?: number }): Record<string, unknown> {
  const dob = dateParts(details.dateOfBirth);
  return {
    ...details,
    languages: (details.languages ?? []).join(', '),
    'dateOfBirth-day': dob.day,
    'dateOfBirth-month': dob.month,
    'dateOfBirth-year': dob.year,
  };
}

/** The values to put back in an address form's boxes. */
export function addressFormValues(address: Partial<Address>): Record<string, unknown> {
  const from = dateParts(address.livedFrom);
  const until = dateParts(address.livedUntil);
  return {
    ...address,
    'livedFrom-day': from.day,
    'livedFrom-month': from.month,
    'livedFrom-year': from.year,
    'livedUntil-day': until.day,
    'livedUntil-month': until.month,
    'livedUntil-year': until.year,
  };
}

export function relationshipFormValues(member: Pick<NetworkMember, 'relationshipType' | 'startedOn' | 'endedOn' | 'notes' | 'version'>) {
  const start = dateParts(member.startedOn);
  const end = dateParts(member.endedOn);
  return {
    relationshipType: member.relationshipType,
    notes: member.notes ?? '',
    version: member.version,
    'startedOn-day': start.day,
    'startedOn-month': start.month,
    'startedOn-year': start.year,
    'endedOn-day': end.day,
    'endedOn-month': end.month,
    'endedOn-year': end.year,
  };
}

interface SummaryRow {
  readonly key: { readonly text: string };
  readonly value: { readonly text: string };
  readonly actions?: { readonly items: readonly { href: string; text: string; visuallyHiddenText: string }[] };
}

/** A GOV.UK summary card: a title, an optional action, and rows ("None recorded" when there are none). */
function card(title: string, rows: SummaryRow[], action?: { href: string; text: string }) {
  return {
    card: { title: { text: title }, ...(action ? { actions: { items: [{ ...action, visuallyHiddenText: '' }] } } : {}) },
    rows: rows.length ? rows : [{ key: { text: title }, value: { text: 'None recorded' } }],
  };
}

function rowAction(canWrite: boolean, href: string, text: string, hidden: string) {
  return canWrite ? { actions: { items: [{ href, text, visuallyHiddenText: hidden }] } } : {};
}

/** The child's page: who they are, their network, their story. */
export function recordPage(record: PersonRecord, summary: PersonSummary, options: { readonly canWrite: boolean; readonly canMerge?: boolean }) {
  const { person } = record;
  const base = `/people/${person.id}`;
  const { canWrite } = options;
  const current = record.addresses.filter((a) => !a.livedUntil);
  const previous = record.addresses.filter((a) => a.livedUntil);
  const detailRows = DETAIL_FIELDS.filter((f) => f !== 'dateOfBirthEstimated').map((field) => ({
    key: { text: DETAIL_FIELD_LABELS[field] },
    value: { text: field === 'dateOfBirth' ? dateOfBirthText(person, summary.age) : detailText(field, person) },
  }));
  const from = (id: string) => (record.provenance.has(id) ? ` (from the merged record of ${record.provenance.get(id)})` : '');
  const nameRows = record.names.map((n) => ({
    key: { text: NAME_TYPE_LABELS[n.nameType] },
    value: { text: `${fullName(n)}${from(n.id)}` },
    ...rowAction(canWrite, `${base}/names/${n.id}/remove`, 'Remove', fullName(n)),
  }));
  const addressRows = [
    ...current.map((a) => ({
      key: { text: 'Current address' },
      value: { text: `${addressLine(a)}${a.livedFrom ? ` (since ${longDate(a.livedFrom)})` : ''}${from(a.id)}` },
      ...rowAction(canWrite, `${base}/addresses/${a.id}/edit`, 'Change', `address ${addressLine(a)}`),
    })),
    ...previous.map((a) => ({
      key: { text: 'Previous address' },
      value: { text: `${addressLine(a)} (${[a.livedFrom ? `from ${longDate(a.livedFrom)}` : '', `until ${longDate(a.livedUntil)}`].filter(Boolean).join(' ')})${from(a.id)}` },
      ...rowAction(canWrite, `${base}/addresses/${a.id}/edit`, 'Change', `address ${addressLine(a)}`),
    })),
  ];
  const identifierRows = record.identifiers.map((i) => {
    const type = IDENTIFIER_TYPE_LABELS[i.identifierType] ?? i.identifierType;
    return { key: { text: type }, value: { text: `${displayIdentifier(i.identifierType, i.value)}${from(i.id)}` }, ...rowAction(canWrite, `${base}/identifiers/${i.id}/remove`, 'Remove', type) };
  });
  return {
    name: fullName(person),
    keyFacts: {
      dateOfBirth: dateOfBirthText(person, summary.age),
      sex: SEX_LABELS[person.sex] ?? person.sex,
      interpreterNeeded: person.interpreterRequired === 'yes',
      indigenousNotAsked: person.indigenousStatus === 'not_yet_asked',
    },
    cards: [
      { ...card('Details', detailRows, canWrite ? { href: `${base}/edit`, text: 'Change details' } : undefined), rows: detailRows },
      card('Other names', nameRows, canWrite ? { href: `${base}/names/new`, text: 'Add a name' } : undefined),
      card('Addresses', addressRows, canWrite ? { href: `${base}/addresses/new`, text: 'Add an address' } : undefined),
      card('Identifiers', identifierRows, canWrite ? { href: `${base}/identifiers/new`, text: 'Add an identifier' } : undefined),
    ],
    network: record.network.map((m) => ({
      relationshipId: m.relationshipId,
      personId: m.person.id,
      name: m.person.name,
      label: m.label,
      dateOfBirth: dateOfBirthText(m.person, m.person.age),
      period: [m.startedOn ? `since ${longDate(m.startedOn)}` : '', m.endedOn ? `ended ${longDate(m.endedOn)}` : ''].filter(Boolean).join(', '),
      current: m.current,
      notes: m.notes,
    })),
    story: record.story.map((event) => ({ ...event, fromMerged: record.provenance.get(event.id) })),
    mergedInto: record.mergedInto && {
      personId: record.mergedInto.personId,
      name: fullName({ givenNames: record.mergedInto.givenNames, familyName: record.mergedInto.familyName }),
      mergedAt: record.mergedInto.mergedAt,
      mergedBy: record.mergedInto.mergedBy,
      undoHref: options.canMerge ? `/people/merges/${record.mergedInto.mergeId}/undo` : undefined,
    },
    mergedRecords: record.mergedRecords.map((m) => ({
      personId: m.personId,
      name: fullName({ givenNames: m.givenNames, familyName: m.familyName }),
      dateOfBirth: m.dateOfBirth ? longDate(m.dateOfBirth) : 'not known',
      mergedAt: m.mergedAt,
      mergedBy: m.mergedBy,
      undoHref: options.canMerge ? `/people/merges/${m.mergeId}/undo` : undefined,
    })),
  };
}

/** The banner after a save, by the `?saved=` key its redirect carries. */
const SAVED_MESSAGES: Readonly<Record<string, string>> = {
  created: 'Record created.',
  details: 'Details saved.',
  name: 'Name added.',
  'name-removed': 'Name removed.',
  address: 'Address saved.',
  identifier: 'Identifier added.',
  'identifier-removed': 'Identifier removed.',
  relationship: 'Network updated.',
  merged: 'Records merged. Everything from both records is here; the merge can be undone below.',
  unmerged: 'Merge undone: the two records are separate again.',
};

/** Only a key Hearth set shows a banner: anyone can type ?saved=constructor into the address bar. */
export function savedMessage(key: unknown): string | undefined {
  return typeof key === 'string' && Object.hasOwn(SAVED_MESSAGES, key) ? SAVED_MESSAGES[key] : undefined;
}
