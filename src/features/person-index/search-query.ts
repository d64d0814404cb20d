import { z } from 'zod';
import { optionalText } from '../../platform/http/text-fields.ts';
import type { FormErrors } from '../../platform/http/forms.ts';
import { formErrorsFrom } from '../../platform/http/forms.ts';
import { identifierProblem, IDENTIFIER_TYPE_VALUES, normaliseIdentifier } from '../people/identifiers.ts';
import { EARLIEST_DATE, isoDate } from '../people/schemas.ts';
import { toMatchAddress } from './record-from-database.ts';
import type { DateOfBirthQuery, MatchQuery } from './matching/types.ts';

/**
 * What a person search can be asked, for pages and the API alike: names, a date of birth (exact,
 * partial, or an age range), sex, address pieces and an identifier. Every field is optional, but
 * there must be a name, a date of birth or an identifier to search by.
 */
const wholeNumber = (label: string, min: number, max: number) =>
  z
    .string({ error: `${label} must be a whole number` })
    .trim()
    .regex(/^\d{1,4}$/, `${label} must be a whole number`)
    .transform(Number)
    .pipe(z.number().min(min, `${label} must be ${min} or more`).max(max, `${label} must be ${max} or less`))
    .optional();

export const searchFieldsSchema = z
  .object({
    given: optionalText({ label: 'given name', max: 100 }),
    family: optionalText({ label: 'family name', max: 100 }),
    /** One box for a whole name (the home page's quick search): the last word is taken as the family name. */
    name: optionalText({ label: 'name', max: 200 }),
    dateOfBirth: isoDate('Date of birth').optional(),
    birthYear: wholeNumber('Year of birth', 1900, 2100),
    birthMonth: wholeNumber('Month of birth', 1, 12),
    ageFrom: wholeNumber('Age from', 0, 120),
    ageTo: wholeNumber('Age to', 0, 120),
    sex: z.enum(['female', 'male', ''], { error: 'Select female, male or either' }).optional(),
    street: optionalText({ label: 'street', max: 200 }),
    suburb: optionalText({ label: 'suburb or town', max: 100 }),
    postcode: optionalText({ label: 'postcode', max: 10 }),
    identifier: optionalText({ label: 'identifier', max: 50 }),
    limit: wholeNumber('Limit', 1, 50),
  })
  .refine((q) => q.ageFrom === undefined || q.ageTo === undefined || q.ageTo >= q.ageFrom, { message: 'Age to must be the same as or more than age from', path: ['ageTo'] })
  .refine((q) => !(q.birthMonth !== undefined && q.birthYear === undefined), { message: 'Enter the year of birth as well as the month', path: ['birthYear'] })
  // Tomorrow in UTC, as for a person's own date of birth: it may be "today" in a time zone ahead of UTC.
  .refine((q) => q.dateOfBirth === undefined || q.dateOfBirth <= latestBirthDate(), { message: 'Date of birth must be today or in the past', path: ['dateOfBirth'] })
  .refine((q) => q.birthYear === undefined || q.birthYear <= Number(latestBirthDate().slice(0, 4)), { message: 'Year of birth must be this year or in the past', path: ['birthYear'] })
  .refine((q) => q.given || q.family || q.name || q.dateOfBirth || q.birthYear !== undefined || q.ageFrom !== undefined || q.ageTo !== undefined || q.identifier, {
    message: 'Enter a name, a date of birth or an identifier',
    path: ['given'],
  });
export type SearchFields = z.output<typeof searchFieldsSchema>;

function latestBirthDate(): string {
  return new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
}

/** One box's whole name as given and family names: the last word is the family name ("Mia Rose Thompson"). */
export function splitName(name: string): { given?: string; family?: string } {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return {};
  if (words.length === 1) return { family: words[0]! };
  return { given: words.slice(0, -1).join(' '), family: words[words.length - 1]! };
}

/** The matcher's query for validated fields; `today` ('YYYY-MM-DD') anchors an age range. */
export function toMatchQuery(fields: SearchFields, today: string): MatchQuery {
  let given = fields.given ?? undefined;
  let family = fields.family ?? undefined;
  if (fields.name && !given && !family) ({ given, family } = splitName(fields.name));
  let dateOfBirth: DateOfBirthQuery | undefined;
  if (fields.dateOfBirth) dateOfBirth = { kind: 'exact', date: fields.dateOfBirth };
  else if (fields.birthYear !== undefined) dateOfBirth = { kind: 'partial', year: fields.birthYear, ...(fields.birthMonth !== undefined ? { month: fields.birthMonth } : {}) };
  else if (fields.ageFrom !== undefined || fields.ageTo !== undefined) {
    dateOfBirth = { kind: 'age', from: fields.ageFrom ?? 0, to: fields.ageTo ?? fields.ageFrom ?? 120, today };
  }
  // "12 Sample Street" is a number and a street, as a recorded address is read.
  const street = fields.street ? toMatchAddress({ line1: fields.street, line2: null, suburb: '', state: null, postcode: null }) : undefined;
  const address = {
    ...(street?.streetNumber ? { streetNumber: street.streetNumber } : {}),
    ...(street?.street ? { street: street.street } : {}),
    ...(fields.suburb ? { suburb: fields.suburb } : {}),
    ...(fields.postcode ? { postcode: fields.postcode } : {}),
  };
  return {
    ...(given ? { given } : {}),
    ...(family ? { family } : {}),
    ...(dateOfBirth ? { dateOfBirth } : {}),
    ...(fields.sex ? { sex: fields.sex } : {}),
    ...(Object.keys(address).length ? { address } : {}),
    ...(fields.identifier ? { identifier: typedIdentifier(fields.identifier) } : {}),
  };
}

/**
 * An identifier typed in a search box, as the index holds identifiers: 'type:value'. The box takes
 * the number alone, so its kind is read from its form: a valid Medicare number first (as the
 * importer reads it), then an NHS number, a Centrelink reference or a pupil number, else 'other'.
 * 'medicare:2123456701' typed in full is taken as it is.
 */
export function typedIdentifier(text: string): string {
  const compact = text.replace(/[\s-]+/g, '');
  const separator = compact.indexOf(':');
  const typed = IDENTIFIER_TYPE_VALUES.find((type) => type === compact.slice(0, separator).toLowerCase());
  if (separator > 0 && typed) return `${typed}:${compact.slice(separator + 1)}`;
  for (const type of IDENTIFIER_TYPE_VALUES) {
    if (type === 'other') continue;
    const value = normaliseIdentifier(type, compact);
    if (identifierProblem(type, value) === undefined) return `${type}:${value}`;
  }
  return `other:${compact}`;
}

/**
 * The search page's boxes as search fields. The date boxes take a whole date, a month and year, or
 * a year alone; GOV.UK messages for the rest.
 */
export function searchFieldsFromPage(query: Record<string, unknown>, today: string): { ok: true; fields: SearchFields } | { ok: false; errors: FormErrors } {
  const text = (name: string) => {
    const value = query[name];
    const first: unknown = Array.isArray(value) ? (value as unknown[])[0] : value;
    return typeof first === 'string' && first.trim() !== '' ? first.trim() : undefined;
  };
  const day = text('dateOfBirth-day');
  const month = text('dateOfBirth-month');
  const year = text('dateOfBirth-year');
  const input: Record<string, unknown> = {};
  for (const name of ['given', 'family', 'name', 'sex', 'street', 'suburb', 'postcode', 'identifier', 'ageFrom', 'ageTo']) {
    const value = text(name);
    if (value !== undefined) input[name] = value;
  }
  const dateIssue = (message: string, focus: string) => ({ ok: false as const, errors: { summary: [{ text: message, href: `#dateOfBirth-${focus}` }], fields: { dateOfBirth: { text: message } } } });
  if (day && (!month || !year)) return dateIssue(`Date of birth must include a ${[!month && 'month', !year && 'year'].filter(Boolean).join(' and ')}`, !month ? 'month' : 'year');
  if (month && !year) return dateIssue('Date of birth must include a year', 'year');
  if (year && !/^\d{4}$/.test(year)) return dateIssue('Year must include 4 numbers', 'year');
  if (month && !/^\d{1,2}$/.test(month)) return dateIssue('Date of birth must be a real date', 'month');
  if (year && !day) {
    // A year, or a month and year: the same rules as a whole date.
    if (month && (Number(month) < 1 || Number(month) > 12)) return dateIssue('Date of birth must be a real date', 'month');
    if (`${year}-${(month ?? '1').padStart(2, '0')}` > today.slice(0, 7)) return dateIssue('Date of birth must be today or in the past', month ? 'month' : 'year');
    if (year < EARLIEST_DATE.slice(0, 4)) return dateIssue('Date of birth must be on or after 1 January 1900', 'year');
  }
  if (day && month && year) {
    if (!/^\d{1,2}$/.test(day)) return dateIssue('Date of birth must be a real date', 'day');
    const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
    if (iso > today) return dateIssue('Date of birth must be today or in the past', 'day');
    if (iso < EARLIEST_DATE) return dateIssue('Date of birth must be on or after 1 January 1900', 'year');
    input.dateOfBirth = iso;
  } else if (year) {
    input.birthYear = year;
    if (month) input.birthMonth = month;
  }
  const parsed = searchFieldsSchema.safeParse(input);
  if (!parsed.success) {
    const errors = formErrorsFrom(parsed.error.issues);
    // The date parts are one question on the page: its message shows at the date boxes.
    const focus: Record<string, string> = { '#dateOfBirth': '#dateOfBirth-day', '#birthYear': '#dateOfBirth-year', '#birthMonth': '#dateOfBirth-month' };
    const { birthYear, birthMonth, dateOfBirth, ...fields } = errors.fields;
    const dateError = dateOfBirth ?? birthMonth ?? birthYear;
    return { ok: false, errors: { summary: errors.summary.map((s) => ({ ...s, href: focus[s.href] ?? s.href })), fields: { ...fields, ...(dateError ? { dateOfBirth: dateError } : {}) } } };
  }
  return { ok: true, fields: parsed.data };
}
