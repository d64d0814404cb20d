import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseCivilDate, WEEKDAYS } from '../platform/calendar/civil-date.ts';
import { WorkingDays, type WorkingDayCalendar } from '../platform/calendar/working-days.ts';
import type { Timescale } from '../platform/calendar/timescales.ts';
import { isTimeZone } from '../platform/time.ts';

/**
 * A practice pack: one jurisdiction's practice as data (its grounds for a statutory response, the
 * response priorities and their timescales, the working-day calendar, the thresholds that call for
 * a second look), so that nothing about NSW or England lives in code. A pack is a JSON file,
 * `src/practice/<id>/pack.json`, checked against this schema when it is loaded: a mistake in a pack
 * stops Hearth starting, with the path to the mistake, rather than surfacing on a worker's screen.
 */
const code = z.string().regex(/^[a-z][a-z0-9-]*$/, 'a code is lower-case letters, digits and hyphens');
const year = z.number().int().min(1900).max(2200);
const civilDateText = z.string().refine((text) => parseCivilDate(text) !== null, 'a real date, YYYY-MM-DD');
const weekday = z.enum(WEEKDAYS as [string, ...string[]]).transform((d) => d as (typeof WEEKDAYS)[number]);
const years = { fromYear: year.optional(), untilYear: year.optional() };

const holidayRule = z.discriminatedUnion('kind', [
  z.object({ name: z.string().min(1), kind: z.literal('fixed'), month: z.number().int().min(1).max(12), day: z.number().int().min(1).max(31), onWeekend: z.enum(['additional', 'moved', 'none']), ...years }),
  z.object({ name: z.string().min(1), kind: z.literal('easter'), daysFromEasterSunday: z.number().int().min(-60).max(60), ...years }),
  z.object({ name: z.string().min(1), kind: z.literal('weekday-of-month'), month: z.number().int().min(1).max(12), weekday, nth: z.union([z.literal(-1), z.number().int().min(1).max(5)]), ...years }),
]);

const text = z.string().min(1).max(1000);

const reporterGuide = z.object({
  immediateDanger: z.object({ question: text, hint: text, error: text, stopTitle: text, stopText: z.array(text).min(1) }),
  /** Most urgent first: the guide recommends the most urgent outcome any answer points to. */
  outcomes: z.array(z.object({ code, title: text, reason: text, next: text })).min(2),
  questions: z
    .array(z.object({ code, text, hint: text.optional(), error: text, options: z.array(z.object({ code, label: text, outcome: code })).min(2) }))
    .min(1),
});

const postcode = z.string().regex(/^\d{4}$/, 'a postcode is four digits');

const office = z.object({
  code,
  name: text,
  /** Postcodes covered, as inclusive ranges ("2145" to "2147"); a postcode belongs to one office at most. */
  postcodes: z.array(z.object({ from: postcode, to: postcode })),
  /** Suburbs covered: used when a report gives a suburb but no postcode. */
  suburbs: z.array(text),
});

/** Names the guide's addresses and forms use: a question may not take one as its code. */
const GUIDE_WORDS = ['answer', 'danger', 'recommendation', 'call-000'];

const timescale = z.object({ amount: z.number().int().min(1).max(1000), unit: z.enum(['hours', 'days', 'working-days']) });

const packSchema = z
  .object({
    id: code,
    name: z.string().min(1),
    /** The IANA zone the pack's days and times are in. */
    timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as Australia/Sydney'),
    legislation: z.string().min(1),
    /** Where the pack's content comes from and what it leaves out, for whoever maintains it. */
    notes: z.array(z.string().min(1)),
    grounds: z
      .array(z.object({ code, title: z.string().min(1), section: z.string().min(1), description: z.string().min(1) }))
      .min(1),
    helpline: z.object({ name: text, phone: text, emergencyPhone: text }),
    /** How the jurisdiction writes a postcode: a report's postcode is checked against it. */
    address: z.object({
      postcodePattern: z.string().refine((pattern) => {
        try {
          new RegExp(pattern, 'u');
          return true;
        } catch {
          return false;
        }
      }, 'a regular expression'),
      postcodeError: text,
    }),
    reporterGuide,
    offices: z.array(office).min(1),
    /** Where a report goes when no office covers the child's address: a manager sees it. */
    unroutedQueue: z.object({ name: text, hint: text }),
    responsePriorities: z.array(z.object({ code, label: z.string().min(1), timescale, hint: text.optional() })).min(1),
    /** Screening a report out needs a second worker's check when one of these holds. */
    secondCheck: z.object({ childUnderMonths: z.number().int().min(0).max(216), reportsWithinMonths: z.number().int().min(1).max(120), reportsAtLeast: z.number().int().min(2).max(100) }),
    /** The screening decision's words: what a screened-out report may lead to, and what the reporter is told. */
    screening: z.object({
      received: text,
      /** The screening instrument's central question, as a hint under it. */
      roshQuestion: text,
      screenedIn: z.object({ label: text, reporterStatus: text }),
      screenedOutOutcomes: z.array(z.object({ code, label: text, reporterStatus: text, hint: text.optional() })).min(1),
    }),
    calendar: z.object({
      weekend: z.array(weekday).max(6),
      holidays: z.array(holidayRule),
      overrides: z.array(z.object({ date: civilDateText, change: z.enum(['add', 'remove']), name: z.string().min(1) })),
    }),
  })
  .superRefine((pack, ctx) => {
    for (const [field, list] of [['grounds', pack.grounds], ['responsePriorities', pack.responsePriorities], ['screening.screenedOutOutcomes', pack.screening.screenedOutOutcomes]] as const) {
      const seen = new Set<string>();
      list.forEach((item, i) => {
        if (seen.has(item.code)) ctx.addIssue({ code: 'custom', path: [field, i, 'code'], message: `${item.code} appears twice` });
        seen.add(item.code);
      });
    }
    const outcomes = new Set(pack.reporterGuide.outcomes.map((o) => o.code));
    const questions = new Set<string>();
    pack.reporterGuide.questions.forEach((question, q) => {
      if (GUIDE_WORDS.includes(question.code)) ctx.addIssue({ code: 'custom', path: ['reporterGuide', 'questions', q, 'code'], message: `${question.code} is a word the guide's pages use itself` });
      if (questions.has(question.code)) ctx.addIssue({ code: 'custom', path: ['reporterGuide', 'questions', q, 'code'], message: `${question.code} appears twice` });
      questions.add(question.code);
      const options = new Set<string>();
      question.options.forEach((option, o) => {
        const at = ['reporterGuide', 'questions', q, 'options', o];
        if (options.has(option.code)) ctx.addIssue({ code: 'custom', path: [...at, 'code'], message: `${option.code} appears twice` });
        options.add(option.code);
        if (!outcomes.has(option.outcome)) ctx.addIssue({ code: 'custom', path: [...at, 'outcome'], message: `${option.outcome} is not one of the guide's outcomes` });
      });
    });
    const ranges = pack.offices.flatMap((o, i) => o.postcodes.map((r, j) => ({ office: o.code, at: ['offices', i, 'postcodes', j], from: Number(r.from), to: Number(r.to) })));
    ranges.forEach((range, i) => {
      if (range.from > range.to) ctx.addIssue({ code: 'custom', path: range.at, message: `${range.from} is after ${range.to}` });
      const clash = ranges.slice(0, i).find((other) => other.from <= range.to && range.from <= other.to);
      if (clash) ctx.addIssue({ code: 'custom', path: range.at, message: `postcodes ${range.from} to ${range.to} overlap ${clash.office}'s ${clash.from} to ${clash.to}` });
    });
    if (new Set(pack.offices.map((o) => o.code)).size !== pack.offices.length) ctx.addIssue({ code: 'custom', path: ['offices'], message: 'an office code appears twice' });
    pack.calendar.holidays.forEach((rule, i) => {
      // Checked against a common year: a holiday on 29 February would be missing three years in four.
      if (rule.kind === 'fixed' && rule.day > new Date(Date.UTC(2023, rule.month, 0)).getUTCDate()) {
        ctx.addIssue({ code: 'custom', path: ['calendar', 'holidays', i, 'day'], message: `month ${rule.month} has no day ${rule.day} every year` });
      }
      if (rule.fromYear !== undefined && rule.untilYear !== undefined && rule.fromYear > rule.untilYear) {
        ctx.addIssue({ code: 'custom', path: ['calendar', 'holidays', i, 'untilYear'], message: `${rule.untilYear} is before ${rule.fromYear}` });
      }
    });
    if (new Set(pack.reporterGuide.outcomes.map((o) => o.code)).size !== pack.reporterGuide.outcomes.length) {
      ctx.addIssue({ code: 'custom', path: ['reporterGuide', 'outcomes'], message: 'an outcome code appears twice' });
    }
  });

export type PracticePackData = z.infer<typeof packSchema>;
export type ResponsePriority = PracticePackData['responsePriorities'][number];
export type Ground = PracticePackData['grounds'][number];
export type ReporterGuide = PracticePackData['reporterGuide'];
export type Office = PracticePackData['offices'][number];
export type ScreenedOutOutcome = PracticePackData['screening']['screenedOutOutcomes'][number];

/** A loaded pack: its data, and its calendar ready to count working days. */
export interface PracticePack extends PracticePackData {
  readonly workingDays: WorkingDays;
  priority(code: string): { readonly code: string; readonly label: string; readonly timescale: Timescale } | undefined;
  /** A screened-out outcome by its code. */
  outcome(code: string | null): ScreenedOutOutcome | undefined;
}

export class PracticePackError extends Error {}

const PACK_DIRECTORY = import.meta.dirname;

/** The ids of the packs that ship with Hearth (a folder with a pack.json each). */
export const PACK_IDS = ['nsw'] as const;
export type PackId = (typeof PACK_IDS)[number];

/** Checks a pack's data; throws PracticePackError naming every mistake and where it is. */
export function parsePracticePack(data: unknown, source: string): PracticePack {
  const parsed = packSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(the pack)'}: ${issue.message}`);
    throw new PracticePackError(`The practice pack ${source} has mistakes:\n${problems.join('\n')}`);
  }
  const pack = parsed.data;
  const calendar: WorkingDayCalendar = pack.calendar;
  return {
    ...pack,
    workingDays: new WorkingDays(calendar),
    priority: (wanted) => pack.responsePriorities.find((p) => p.code === wanted),
    outcome: (wanted) => pack.screening.screenedOutOutcomes.find((o) => o.code === wanted),
  };
}

const loaded = new Map<string, PracticePack>();

/** A pack that ships with Hearth, by id ('nsw'); read and checked once. */
export function practicePack(id: string): PracticePack {
  if (!(PACK_IDS as readonly string[]).includes(id)) throw new PracticePackError(`There is no practice pack "${id}". Packs: ${PACK_IDS.join(', ')}`);
  let pack = loaded.get(id);
  if (!pack) {
    const file = path.join(PACK_DIRECTORY, id, 'pack.json');
    pack = parsePracticePack(JSON.parse(readFileSync(file, 'utf8')) as unknown, file);
    loaded.set(id, pack);
  }
  return pack;
}
