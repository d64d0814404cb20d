import { longDate } from '../../platform/time.ts';
import { displayIdentifier, IDENTIFIER_TYPE_LABELS } from '../people/identifiers.ts';
import { addressLine, fullName } from '../people/person.ts';
import type { PersonRecord } from '../people/service.ts';
import { detailText, dateOfBirthText } from '../people/view-models.ts';
import type { Comparison } from '../person-index/matching/types.ts';
import type { QueuedPair } from './service.ts';

/** How strong a match is, in words: the decision and the probability as a whole percentage. */
export function strengthText(decision: string, probability: number): string {
  const percent = probability >= 0.995 ? '>99%' : probability < 0.01 ? '<1%' : `${Math.round(probability * 100)}%`;
  return `${decision === 'match' ? 'Likely match' : decision === 'possible' ? 'Possible match' : 'Unlikely match'} (${percent})`;
}

export function pairRows(pairs: readonly QueuedPair[]) {
  return pairs.map((p) => ({
    id: p.id,
    a: { id: p.a.id, name: p.a.name, born: p.a.dateOfBirth ? longDate(p.a.dateOfBirth) : 'date of birth not known' },
    b: { id: p.b.id, name: p.b.name, born: p.b.dateOfBirth ? longDate(p.b.dateOfBirth) : 'date of birth not known' },
    strength: strengthText(p.decision, p.probability),
  }));
}

/** One row per field compared: what agreed, what disagreed, and how much it counted. */
export function comparisonRows(comparisons: readonly Comparison[]) {
  return comparisons.map((c) => ({
    explanation: c.explanation,
    effect: c.weight > 0.05 ? 'For' : c.weight < -0.05 ? 'Against' : 'Neutral',
    weight: `${c.weight > 0 ? '+' : ''}${c.weight.toFixed(1)}`,
  }));
}

/** The two records field by field, so a reviewer sees at a glance what agrees and what does not. */
export function sideBySide(a: PersonRecord, b: PersonRecord) {
  const facts = (r: PersonRecord) => ({
    name: fullName(r.person),
    otherNames: r.names.map((n) => fullName(n)).join('; ') || 'None',
    dateOfBirth: dateOfBirthText(r.person),
    sex: detailText('sex', r.person),
    address: r.addresses.filter((x) => !x.livedUntil).map(addressLine).join('; ') || 'None recorded',
    previous: r.addresses.filter((x) => x.livedUntil).map(addressLine).join('; ') || 'None recorded',
    identifiers: r.identifiers.map((i) => `${IDENTIFIER_TYPE_LABELS[i.identifierType]}: ${displayIdentifier(i.identifierType, i.value)}`).join('; ') || 'None recorded',
    network: r.network.map((m) => `${m.person.name} (${m.label.toLowerCase()})`).join('; ') || 'Nobody recorded',
    story: `${r.story.length} ${r.story.length === 1 ? 'event' : 'events'}, record created ${longDate(r.person.createdAt.toISOString().slice(0, 10))}`,
  });
  const fa = facts(a);
  const fb = facts(b);
  const labels: [keyof typeof fa, string][] = [
    ['name', 'Name'],
    ['otherNames', 'Other names'],
    ['dateOfBirth', 'Date of birth'],
    ['sex', 'Sex'],
    ['address', 'Current address'],
    ['previous', 'Previous addresses'],
    ['identifiers', 'Identifiers'],
    ['network', 'Network'],
    ['story', 'Story'],
  ];
  return labels.map(([key, label]) => ({ label, a: fa[key], b: fb[key], differs: fa[key] !== fb[key] && key !== 'story' }));
}

/** The banner on the queue after a decision, by the `?done=` key its redirect carries. */
const DONE_MESSAGES: Readonly<Record<string, string>> = {
  dismissed: 'Marked as not the same person. Both records stay as they were, and the pair has left the queue.',
};

/** Only a key Hearth set shows a banner: anyone can type ?done=constructor into the address bar. */
export function doneMessage(key: unknown): string | undefined {
  return typeof key === 'string' && Object.hasOwn(DONE_MESSAGES, key) ? DONE_MESSAGES[key] : undefined;
}
