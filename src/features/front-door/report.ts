import { z } from 'zod';
import { optionalText, requiredText } from '../../platform/http/text-fields.ts';
import type { PracticePack } from '../../practice/pack.ts';

/**
 * A report about one or more children, in the one shape every way in shares: the online form (after
 * its fields are gathered), a helpline worker's phone intake, and an agency's `POST /api/v1/reports`.
 */

export const SAFE_NOW_VALUES = ['yes', 'no', 'not_known'] as const;
export type SafeNow = (typeof SAFE_NOW_VALUES)[number];
export const SAFE_NOW_LABELS: Record<SafeNow, string> = { yes: 'Yes', no: 'No', not_known: 'I do not know' };

export const MAX_CHILDREN = 10;
export type Channel = 'online' | 'phone' | 'agency';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function childSchema(groundCodes: readonly [string, ...string[]], postcode: { pattern: RegExp; error: string }, today: string) {
  return z
    .object({
      givenNames: optionalText({ label: "child's given names", max: 100 }),
      familyName: optionalText({ label: "child's family name", max: 100 }),
      dateOfBirth: z
        .string({ error: 'Date of birth must be a real date' })
        .regex(ISO_DATE, 'Date of birth must be a real date, like 2019-03-27')
        .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), 'Date of birth must be a real date')
        .refine((v) => v <= today, 'Date of birth must be today or in the past')
        .refine((v) => v >= `${Number(today.slice(0, 4)) - 18}${today.slice(4)}`, 'Date of birth must be within the last 18 years: Hearth takes reports about children')
        .nullable()
        .optional()
        .transform((v) => v ?? null),
      ageYears: z
        .number({ error: 'Age must be a number of years, from 0 to 17' })
        .int('Age must be a whole number of years')
        .min(0, 'Age must be 0 or more')
        .max(17, 'Age must be 17 or less: Hearth takes reports about children')
        .nullable()
        .optional()
        .transform((v) => v ?? null),
      street: optionalText({ label: 'street address', max: 200 }),
      suburb: optionalText({ label: 'suburb or town', max: 100 }),
      postcode: optionalText({ label: 'postcode', max: 10 }).refine((v) => v === null || postcode.pattern.test(v), postcode.error),
      school: optionalText({ label: 'school or childcare', max: 200 }),
      concerns: z
        .array(z.enum(groundCodes, { error: 'Select the concerns from the list' }), { error: 'Select at least one concern' })
        .min(1, 'Select at least one concern about this child')
        .max(groundCodes.length)
        .transform((codes) => [...new Set(codes)]),
    })
    .superRefine((child, ctx) => {
      if (!child.givenNames && !child.familyName) {
        ctx.addIssue({ code: 'custom', path: ['givenNames'], message: "Enter the child's name, or what they are known as (for an unborn child, 'Unborn child of' and the parent's name)" });
      }
    });
}

const reporterSchema = (required: boolean) =>
  z
    .object({
      name: required ? requiredText({ label: 'your name', message: 'Enter your name', max: 100 }) : optionalText({ label: 'reporter name', max: 100 }),
      role: required ? requiredText({ label: 'your role', message: 'Enter your role, like teacher or nurse', max: 100 }) : optionalText({ label: 'reporter role', max: 100 }),
      organisation: optionalText({ label: 'organisation', max: 200 }),
      email: optionalText({ label: 'email address', max: 320 }).refine(
        (v) => v === null || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v),
        'Enter an email address in the correct format, like name@example.com',
      ),
      phone: optionalText({ label: 'phone number', max: 30 }).refine((v) => v === null || /^[+()\d\s-]{6,30}$/.test(v), 'Enter a phone number, like 02 9999 0000'),
    })
    .superRefine((reporter, ctx) => {
      if (required && !reporter.email && !reporter.phone) {
        ctx.addIssue({ code: 'custom', path: ['email'], message: 'Enter an email address or a phone number, so the helpline can contact you' });
      }
    });

/** The report's schema for a channel: an online or agency reporter must say who they are and how to reach them. */
export function reportSchema(pack: PracticePack, channel: Channel, today: string) {
  const codes = pack.grounds.map((g) => g.code) as [string, ...string[]];
  return z.object({
    children: z
      .array(childSchema(codes, { pattern: new RegExp(pack.address.postcodePattern, 'u'), error: pack.address.postcodeError }, today), { error: 'Tell us about at least one child' })
      .min(1, 'Tell us about at least one child')
      .max(MAX_CHILDREN, `A report can name up to ${MAX_CHILDREN} children: make another report for the others`),
    whatHappened: requiredText({ label: 'what you saw or heard', message: 'Enter what you saw or heard', max: 10_000, multiline: true }),
    whenHappened: optionalText({ label: 'when it happened', max: 200 }),
    childWords: optionalText({ label: "the child's own words", max: 5_000, multiline: true }),
    safeNow: z.enum(SAFE_NOW_VALUES, { error: 'Select whether the child is safe right now' }),
    peopleOfConcern: optionalText({ label: 'people you are worried about', max: 2_000, multiline: true }),
    otherAgencies: optionalText({ label: 'other agencies involved', max: 2_000, multiline: true }),
    reporter: reporterSchema(channel !== 'phone'),
  });
}

export type ReportInput = z.output<ReturnType<typeof reportSchema>>;
export type ChildInput = ReportInput['children'][number];
