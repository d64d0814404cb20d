import { displayDate, type BirthDate, type PreparedBirthDate } from './date-of-birth.ts';
import type { NormalisedText } from './normalise-address.ts';
import type { NicknameTable } from './nicknames.ts';
import type { PreparedName } from './prepare-record.ts';

/**
 * The words a helpline worker reads beside each score: what was compared with what, and how they
 * agree. Query values first, then the candidate's.
 */

function quoted(text: string): string {
  return `"${text}"`;
}

export function explainName(label: string, level: string, query: PreparedName | null, candidate: PreparedName | null, nicknames: NicknameTable): string {
  if (query === null && candidate === null) return `${label}: not recorded`;
  if (query === null) return `${label}: not known on one side (${quoted(candidate?.display ?? '')})`;
  if (candidate === null) return `${label}: not recorded for this person`;
  const a = quoted(query.display);
  const b = quoted(candidate.display);
  switch (level) {
    case 'exact':
      return query.display === candidate.display ? `${label}: ${a} agrees` : `${label}: ${a} and ${b} are the same name`;
    case 'nickname':
      if (nicknames.formalNamesOf(candidate.compact).includes(query.compact)) return `${label}: ${b} is a short form of ${a}`;
      if (nicknames.formalNamesOf(query.compact).includes(candidate.compact)) return `${label}: ${a} is a short form of ${b}`;
      return `${label}: ${a} and ${b} are forms of the same name`;
    case 'part':
      return query.parts.length > candidate.parts.length ? `${label}: ${b} is part of ${a}` : `${label}: ${a} is part of ${b}`;
    case 'typo':
      return `${label}: ${a} looks like a misspelling of ${b}`;
    case 'phonetic':
      return `${label}: ${a} sounds like ${b}`;
    case 'similar':
      return `${label}: ${a} is a little like ${b}`;
    case 'initial':
      return query.isInitial ? `${label}: the initial ${a} fits ${b}` : `${label}: ${a} fits the initial ${b}`;
    default:
      return `${label}: ${a} differs from ${b}`;
  }
}

export function explainSwappedNames(query: string, candidate: string): string {
  return `Names: given and family names swapped (${quoted(query)} vs ${quoted(candidate)})`;
}

function dayMonth(date: BirthDate): string {
  return `${date.day}/${date.month}`;
}

function describeQueryDate(query: PreparedBirthDate): string {
  switch (query.kind) {
    case 'exact':
      return displayDate(query.date);
    case 'partial':
      return [query.day === undefined ? null : `day ${query.day}`, query.month === undefined ? null : `month ${query.month}`, query.year === undefined ? null : `year ${query.year}`]
        .filter((part) => part !== null)
        .join(', ');
    case 'age':
      return query.from === query.to ? `aged ${query.from}` : `aged ${query.from} to ${query.to}`;
  }
}

export function explainBirthDate(level: string, query: PreparedBirthDate | null, candidate: BirthDate | null): string {
  const label = 'Date of birth';
  if (query === null) return `${label}: not known on one side`;
  if (candidate === null) return `${label}: not recorded for this person`;
  const b = displayDate(candidate);
  if (query.kind !== 'exact') {
    const asked = describeQueryDate(query);
    if (level === 'partial' || level === 'age_range') return `${label}: ${b} fits ${asked}, as searched`;
    if (level === 'near_year' || level === 'near_age_range') return `${label}: ${b} is a year outside ${asked}`;
    return `${label}: ${b} does not fit ${asked}`;
  }
  const a = displayDate(query.date);
  switch (level) {
    case 'exact':
      return `${label}: ${a} agrees`;
    case 'swapped':
      return `${label}: day and month swapped (${dayMonth(query.date)} vs ${dayMonth(candidate)}, ${candidate.year})`;
    case 'typo':
      return `${label}: one digit different (${a} vs ${b})`;
    case 'component':
      return `${label}: two of day, month and year agree (${a} vs ${b})`;
    case 'year':
      return `${label}: only the year agrees (${a} vs ${b})`;
    case 'near_year':
      return `${label}: born a year apart (${a} vs ${b})`;
    default:
      return `${label}: ${a} differs from ${b}`;
  }
}

export function explainPlace(label: string, level: string, query: NormalisedText | null, candidate: NormalisedText | null, crossed = false): string {
  if (query === null && candidate === null) return `${label}: not recorded`;
  if (query === null) return `${label}: not known on one side`;
  if (candidate === null) return `${label}: not recorded for this person`;
  const a = quoted(query.display);
  const b = quoted(candidate.display);
  const where = crossed ? ', written on the other address line' : '';
  switch (level) {
    case 'exact':
      return query.display === candidate.display ? `${label}: ${a} agrees${where}` : `${label}: ${a} and ${b} are the same${where}`;
    case 'typo':
      return `${label}: ${a} looks like a misspelling of ${b}${where}`;
    case 'similar':
      return `${label}: ${a} is a little like ${b}${where}`;
    default:
      return `${label}: ${a} differs from ${b}`;
  }
}

export function explainMoved(floor: number): string {
  return `Address: nothing in the address agrees; people move, so a different address counts no more than ${floor.toFixed(1)} in all`;
}

export function explainSex(level: string, query: string | null, candidate: string | null): string {
  if (query === null || candidate === null) return 'Sex: not known on one side';
  return level === 'exact' ? `Sex: both ${query}` : `Sex: ${query} vs ${candidate}`;
}

export function explainIdentifier(level: string, type: string, query: string | null, candidate: string | null): string {
  const label = `Identifier (${type.replace(/_/g, ' ')})`;
  if (query === null) return `${label}: not known on one side`;
  if (candidate === null || level === 'missing') return `${label}: none of this kind recorded for this person`;
  switch (level) {
    case 'exact':
      return `${label}: ${query} agrees`;
    case 'typo':
      return `${label}: one character different (${query} vs ${candidate})`;
    default:
      return `${label}: ${query} differs from ${candidate}`;
  }
}

export function explainHousehold(fields: readonly string[]): string {
  const what = fields.length === 0 ? 'what agrees' : fields.length === 1 ? `the ${fields[0] ?? ''}` : `the ${fields.slice(0, -1).join(', ')} and ${fields.at(-1) ?? ''}`;
  return `Household: ${what} could as well belong to another member of the same family, so ${fields.length > 1 ? 'they count' : 'it counts'} for less`;
}
