import { z } from 'zod';
import { choice, optionalText, requiredText, versionField } from '../../platform/http/text-fields.ts';
import { IDENTIFIER_TYPE_VALUES, identifierProblem, normaliseIdentifier } from './identifiers.ts';
import { INDIGENOUS_STATUS_VALUES, INTERPRETER_VALUES, NAME_TYPE_VALUES, SEX_VALUES } from './person-options.ts';
import { RELATIONSHIP_TYPE_VALUES } from './relationship-types.ts';

/**
 * One schema per body. Pages and the API validate with the same schemas (a page's form is first turned
 * into the same JSON shape: its day, month and year boxes joined into one date, its checkboxes into
 * booleans), and the OpenAPI document is generated from them.
 */

export const EARLIEST_DATE = '1900-01-01';

/** 'YYYY-MM-DD', a real calendar date, from 1900 on. Whether it may be in the future is the caller's rule. */
export const isoDate = (label: string) =>
  z
    .string({ error: `${label} must be a date like 2014-03-27` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${label} must be a date like 2014-03-27`)
    .refine((v) => {
      const d = new Date(`${v}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
    }, `${label} must be a real date`)
    .refine((v) => v >= EARLIEST_DATE, `${label} must be on or after 1 January 1900`);

const optionalDate = (label: string) => isoDate(label).nullable().default(null);

const language = z
  .string({ error: 'Each language must be text' })
  .max(60, 'Each language must be 60 characters or fewer')
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  .refine((s) => !/[\u0000-\u001F\u007F-\u009F]/u.test(s) && s.isWellFormed(), 'Languages contain characters Hearth cannot store')
  .transform((s) => s.trim())
  .refine((s) => s.length > 0, 'A language cannot be empty');

const personDetailsShape = {
  givenNames: optionalText({ label: 'given names', max: 100 }).transform((v) => v ?? ''),
  familyName: optionalText({ label: 'family name', max: 100 }).transform((v) => v ?? ''),
  preferredName: optionalText({ label: 'preferred name', max: 100 }),
  dateOfBirth: optionalDate('Date of birth'),
  dateOfBirthEstimated: z.boolean({ error: 'dateOfBirthEstimated must be true or false' }).default(false),
  sex: choice(SEX_VALUES, 'Select their sex, or "Not recorded yet"').default('not_recorded'),
  gender: optionalText({ label: 'gender', max: 100 }),
  indigenousStatus: choice(INDIGENOUS_STATUS_VALUES, 'Select whether they are Aboriginal or Torres Strait Islander, or "Not yet asked"').default(
    'not_yet_asked',
  ),
  ethnicity: optionalText({ label: 'ethnicity or cultural background', max: 100 }),
  languages: z.array(language, { error: 'Languages must be a list of language names' }).max(10, 'Enter 10 languages or fewer').default([]),
  interpreterRequired: choice(INTERPRETER_VALUES, 'Select whether they need an interpreter').default('not_known'),
};

interface PersonRuleFields {
  givenNames: string;
  familyName: string;
  dateOfBirth: string | null;
  dateOfBirthEstimated: boolean;
}

/** Tomorrow in UTC: a date of birth may be "today" in a time zone ahead of UTC. Pages check the organisation's own today. */
const latestBirthDate = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

function withPersonRules<T extends z.ZodType<PersonRuleFields>>(schema: T): T {
  return schema
    .refine((p) => p.givenNames !== '' || p.familyName !== '', { message: 'Enter a given name or a family name', path: ['givenNames'] })
    .refine((p) => p.dateOfBirth !== null || !p.dateOfBirthEstimated, {
      message: 'Enter the estimated date of birth, or untick "This date is an estimate"',
      path: ['dateOfBirth'],
      params: { focus: 'dateOfBirth-day' },
    })
    .refine((p) => !p.dateOfBirth || p.dateOfBirth <= latestBirthDate(), {
      message: 'Date of birth must be today or in the past',
      path: ['dateOfBirth'],
      params: { focus: 'dateOfBirth-day' },
    });
}

/** Who a person is (the form; extra form fields such as the CSRF token are ignored). */
export const personDetailsSchema = withPersonRules(z.object(personDetailsShape));
export type PersonDetails = z.output<typeof personDetailsSchema>;
export const personUpdateSchema = withPersonRules(z.object({ ...personDetailsShape, version: versionField }));

/**
 * A version in a JSON body is an integer, as the OpenAPI document says. The forms' field coerces text
 * (a form has nothing else), which would also take "1" or true as version 1.
 */
const VERSION_MESSAGE = 'Send the version of the record you started from';
const apiVersionField = z.int({ error: VERSION_MESSAGE }).min(1, VERSION_MESSAGE).max(2_147_483_647, VERSION_MESSAGE);

/** The API's bodies: the same fields and rules, and any field Hearth does not know is refused. */
export const personCreateBody = withPersonRules(z.strictObject(personDetailsShape));
export const personUpdateBody = withPersonRules(z.strictObject({ ...personDetailsShape, version: apiVersionField }));

export const nameSchema = z
  .object({
    nameType: choice(NAME_TYPE_VALUES, 'Select what kind of name this is'),
    givenNames: optionalText({ label: 'given names', max: 100 }).transform((v) => v ?? ''),
    familyName: optionalText({ label: 'family name', max: 100 }).transform((v) => v ?? ''),
  })
  .refine((n) => n.givenNames !== '' || n.familyName !== '', { message: 'Enter a given name or a family name', path: ['givenNames'] });
export type NameInput = z.output<typeof nameSchema>;

const addressShape = {
  line1: requiredText({ label: 'address line 1', message: 'Enter address line 1, typically the building and street', max: 200 }),
  line2: optionalText({ label: 'address line 2', max: 200 }),
  suburb: requiredText({ label: 'suburb or town', message: 'Enter the suburb or town', max: 100 }),
  state: optionalText({ label: 'state or county', max: 60 }),
  postcode: optionalText({ label: 'postcode', max: 10 }),
  country: optionalText({ label: 'country', max: 60 }),
  livedFrom: optionalDate('Date they moved in'),
  livedUntil: optionalDate('Date they moved out'),
};

const movedOutAfterIn = {
  message: 'Date they moved out must be the same as or after the date they moved in',
  path: ['livedUntil'],
  params: { focus: 'livedUntil-day' },
};

export const addressSchema = z
  .object(addressShape)
  .refine((a) => !a.livedFrom || !a.livedUntil || a.livedUntil >= a.livedFrom, movedOutAfterIn);
export type AddressInput = z.output<typeof addressSchema>;

export const addressUpdateSchema = z
  .object({ ...addressShape, version: versionField })
  .refine((a) => !a.livedFrom || !a.livedUntil || a.livedUntil >= a.livedFrom, movedOutAfterIn);

export const identifierSchema = z
  .object({
    identifierType: choice(IDENTIFIER_TYPE_VALUES, 'Select the kind of identifier'),
    value: requiredText({ label: 'identifier', message: 'Enter the identifier', max: 50 }),
  })
  .transform((v) => ({ ...v, value: normaliseIdentifier(v.identifierType, v.value) }))
  .superRefine((v, ctx) => {
    const problem = identifierProblem(v.identifierType, v.value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['value'] });
  });
export type IdentifierInput = z.output<typeof identifierSchema>;

const relationshipFields = {
  relationshipType: choice(RELATIONSHIP_TYPE_VALUES, 'Select how they are related'),
  startedOn: optionalDate('Start date'),
  endedOn: optionalDate('End date'),
  notes: optionalText({ label: 'notes', max: 2000, multiline: true }),
};

const endsAfterStart = (r: { startedOn: string | null; endedOn: string | null }) => !r.startedOn || !r.endedOn || r.endedOn >= r.startedOn;
const endsAfterStartIssue = { message: 'End date must be the same as or after the start date', path: ['endedOn'], params: { focus: 'endedOn-day' } };

export const relationshipSchema = z
  .object({ relatedPersonId: z.uuid({ error: 'Select the person they are related to' }), ...relationshipFields })
  .refine(endsAfterStart, endsAfterStartIssue);
export type RelationshipInput = z.output<typeof relationshipSchema>;

export const relationshipUpdateSchema = z.object({ ...relationshipFields, version: versionField }).refine(endsAfterStart, endsAfterStartIssue);
export type RelationshipUpdate = z.output<typeof relationshipUpdateSchema>;

export const personIdSchema = z.uuid();
