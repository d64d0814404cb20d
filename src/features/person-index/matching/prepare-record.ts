import { parseBirthDate, prepareBirthDateQuery, type PreparedBirthDate } from './date-of-birth.ts';
import { foldText } from './fold-text.ts';
import { normaliseCode, normalisePlace, normaliseState, type NormalisedText } from './normalise-address.ts';
import { normaliseName, type NormalisedName } from './normalise-name.ts';
import type { NicknameTable } from './nicknames.ts';
import { phoneticCodes } from './phonetic-code.ts';
import type { MatchAddress, MatchQuery, MatchRecord, PreparedRecord } from './types.ts';

export interface PreparedName extends NormalisedName {
  /** Double Metaphone codes of the whole name. */
  readonly codes: readonly string[];
  /** Formal names this name can stand for (given names only; the name itself otherwise). */
  readonly formalNames: readonly string[];
  /** A single letter: an initial, which agrees with any name starting with it. */
  readonly isInitial: boolean;
}

export interface PreparedNames {
  readonly given: PreparedName | null;
  readonly family: PreparedName | null;
}

export interface PreparedAddress {
  readonly streetNumber: NormalisedText | null;
  readonly street: NormalisedText | null;
  readonly locality: NormalisedText | null;
  readonly suburb: NormalisedText | null;
  readonly postcode: NormalisedText | null;
  readonly state: NormalisedText | null;
}

export interface PreparedIdentifier {
  readonly type: string;
  readonly value: string;
  readonly display: string;
}

/** What `PreparedRecord` holds inside: only the matcher's own files look. */
export interface PreparedSubject {
  readonly id: string | null;
  readonly names: readonly PreparedNames[];
  readonly birthDate: PreparedBirthDate | null;
  readonly sex: 'female' | 'male' | null;
  readonly addresses: readonly PreparedAddress[];
  readonly identifiers: readonly PreparedIdentifier[];
}

export function toPreparedRecord(subject: PreparedSubject): PreparedRecord {
  return subject as unknown as PreparedRecord;
}

export function fromPreparedRecord(prepared: PreparedRecord): PreparedSubject {
  return prepared as unknown as PreparedSubject;
}

const MAX_NAMES = 10;
const MAX_ADDRESSES = 10;
const MAX_IDENTIFIERS = 10;

/** The formal names of the whole name and of its first part ("Mary Jane" is also Mary's). */
function formalNamesOf(name: NormalisedName, nicknames: NicknameTable): readonly string[] {
  const whole = nicknames.formalNamesOf(name.compact);
  const first = name.parts[0];
  if (first === undefined || first === name.compact) return whole;
  return [...new Set([...whole, ...nicknames.formalNamesOf(first)])];
}

function prepareName(raw: string | null | undefined, nicknames: NicknameTable | null): PreparedName | null {
  const name = normaliseName(raw);
  if (name === null) return null;
  return {
    display: name.display,
    full: name.full,
    compact: name.compact,
    parts: name.parts,
    alternative: name.alternative,
    codes: phoneticCodes(name.compact),
    formalNames: nicknames === null ? [name.compact] : formalNamesOf(name, nicknames),
    isInitial: name.compact.length === 1,
  };
}

function prepareNames(given: string | null | undefined, family: string | null | undefined, nicknames: NicknameTable): PreparedNames | null {
  const names = { given: prepareName(given, nicknames), family: prepareName(family, null) };
  return names.given === null && names.family === null ? null : names;
}

function prepareAddress(address: Partial<MatchAddress>): PreparedAddress | null {
  const prepared = {
    streetNumber: normaliseCode(address.streetNumber),
    street: normalisePlace(address.street),
    locality: normalisePlace(address.locality),
    suburb: normalisePlace(address.suburb),
    postcode: normaliseCode(address.postcode),
    state: normaliseState(address.state),
  };
  return Object.values(prepared).every((piece) => piece === null) ? null : prepared;
}

/** 'type:value' with the type folded; the value compared without spaces or case. */
function prepareIdentifier(raw: string): PreparedIdentifier | null {
  const separator = raw.indexOf(':');
  if (separator <= 0) return null;
  const type = foldText(raw.slice(0, separator)).replace(/ /g, '_');
  const value = raw
    .slice(separator + 1)
    .trim()
    .toLowerCase()
    .replace(/[\s\-./]/g, '');
  return type === '' || value === '' ? null : { type, value, display: raw.slice(separator + 1).trim() };
}

function isRecord(subject: MatchQuery | MatchRecord): subject is MatchRecord {
  return 'names' in subject && Array.isArray(subject.names);
}

function present<T>(value: T | null): value is T {
  return value !== null;
}

export function prepareSubject(subject: MatchQuery | MatchRecord, nicknames: NicknameTable): PreparedSubject {
  if (isRecord(subject)) {
    const date = parseBirthDate(subject.dateOfBirth);
    return {
      id: subject.id,
      names: subject.names.slice(0, MAX_NAMES).map((name) => prepareNames(name.given, name.family, nicknames)).filter(present),
      birthDate: date === null ? null : { kind: 'exact', date },
      sex: subject.sex,
      addresses: subject.addresses.slice(0, MAX_ADDRESSES).map(prepareAddress).filter(present),
      identifiers: subject.identifiers.slice(0, MAX_IDENTIFIERS).map(prepareIdentifier).filter(present),
    };
  }
  const names = prepareNames(subject.given, subject.family, nicknames);
  const address = subject.address === undefined ? null : prepareAddress(subject.address);
  const identifier = subject.identifier === undefined ? null : prepareIdentifier(subject.identifier);
  return {
    id: null,
    names: names === null ? [] : [names],
    birthDate: prepareBirthDateQuery(subject.dateOfBirth),
    sex: subject.sex ?? null,
    addresses: address === null ? [] : [address],
    identifiers: identifier === null ? [] : [identifier],
  };
}
