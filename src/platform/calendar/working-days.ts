import { addDays, easterSunday, LAST_YEAR, nthWeekdayOfMonth, civilDate, weekdayOf, type Weekday } from './civil-date.ts';

/**
 * A public holiday as a rule, so that one calendar serves every year. The rules are data in a
 * practice pack (src/practice); this file only knows how to read them.
 * - `fixed`: the same day each year (Christmas Day). When it falls on a weekend, `onWeekend` says
 *   what happens: 'additional', the next weekday that is not already a holiday is one as well
 *   (rules taken in order: Christmas on a Saturday gives Monday 27th, then Boxing Day on the Sunday
 *   gives Tuesday 28th); 'moved', that weekday is the holiday instead of the weekend day (NSW's
 *   Australia Day); 'none', nothing more.
 * - `easter`: so many days from Easter Sunday (Good Friday is -2, Easter Monday 1).
 * - `weekday-of-month`: the nth weekday of a month, or the last (nth -1): the first Monday in October.
 * `fromYear` and `untilYear` bound a rule that began or ended in a given year.
 */
export type HolidayRule =
  | { readonly name: string; readonly kind: 'fixed'; readonly month: number; readonly day: number; readonly onWeekend: 'additional' | 'moved' | 'none'; readonly fromYear?: number | undefined; readonly untilYear?: number | undefined }
  | { readonly name: string; readonly kind: 'easter'; readonly daysFromEasterSunday: number; readonly fromYear?: number | undefined; readonly untilYear?: number | undefined }
  | { readonly name: string; readonly kind: 'weekday-of-month'; readonly month: number; readonly weekday: Weekday; readonly nth: number; readonly fromYear?: number | undefined; readonly untilYear?: number | undefined };

/** A one-off by proclamation: a day added (a national day of mourning) or a rule's day taken away. */
export interface HolidayOverride {
  readonly date: string;
  readonly change: 'add' | 'remove';
  readonly name: string;
}

export interface WorkingDayCalendar {
  readonly weekend: readonly Weekday[];
  readonly holidays: readonly HolidayRule[];
  readonly overrides: readonly HolidayOverride[];
}

/** The most working days one sum may count: about 40 years, far beyond any timescale. */
export const MAX_WORKING_DAYS = 10_000;

export class CalendarRangeError extends Error {}

/** Every holiday of a year, date -> name, in date order. */
export function holidaysInYear(calendar: WorkingDayCalendar, year: number): Map<string, string> {
  const found = new Map<string, string>();
  const applies = (rule: HolidayRule) => (rule.fromYear === undefined || year >= rule.fromYear) && (rule.untilYear === undefined || year <= rule.untilYear);
  const rules = calendar.holidays.filter(applies);
  for (const rule of rules) {
    const date = ruleDate(rule, year);
    if (date && !found.has(date)) found.set(date, rule.name);
  }
  const isWeekend = (date: string) => calendar.weekend.includes(weekdayOf(date));
  for (const rule of rules) {
    if (rule.kind !== 'fixed' || rule.onWeekend === 'none') continue;
    const date = civilDate(year, rule.month, rule.day);
    if (!isWeekend(date)) continue;
    let weekday = addDays(date, 1);
    while (isWeekend(weekday) || found.has(weekday)) weekday = addDays(weekday, 1);
    if (rule.onWeekend === 'moved') {
      if (found.get(date) === rule.name) found.delete(date);
      found.set(weekday, rule.name);
    } else {
      found.set(weekday, `${rule.name} (additional day)`);
    }
  }
  for (const override of calendar.overrides) {
    if (!override.date.startsWith(`${year}-`)) continue;
    if (override.change === 'add') found.set(override.date, override.name);
    else found.delete(override.date);
  }
  return new Map([...found.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

function ruleDate(rule: HolidayRule, year: number): string | null {
  switch (rule.kind) {
    case 'fixed':
      return civilDate(year, rule.month, rule.day);
    case 'easter':
      return addDays(easterSunday(year), rule.daysFromEasterSunday);
    case 'weekday-of-month':
      return nthWeekdayOfMonth(year, rule.month, rule.weekday, rule.nth);
  }
}

/** A calendar with each year's holidays worked out once. */
export class WorkingDays {
  private readonly years = new Map<number, Map<string, string>>();

  constructor(private readonly calendar: WorkingDayCalendar) {}

  /** The holiday's name on that date, or undefined. */
  holiday(date: string): string | undefined {
    const year = Number(date.slice(0, 4));
    let holidays = this.years.get(year);
    if (!holidays) {
      holidays = holidaysInYear(this.calendar, year);
      this.years.set(year, holidays);
    }
    return holidays.get(date);
  }

  isWorkingDay(date: string): boolean {
    return !this.calendar.weekend.includes(weekdayOf(date)) && this.holiday(date) === undefined;
  }

  /**
   * The date `count` working days after `date`, not counting `date` itself: from a Thursday, 1 is
   * the Friday; from a Saturday, 1 is the Monday (when neither is a holiday). 0 is the date itself.
   */
  add(date: string, count: number): string {
    if (!Number.isSafeInteger(count) || count < 0 || count > MAX_WORKING_DAYS) throw new CalendarRangeError(`The number of working days must be a whole number from 0 to ${MAX_WORKING_DAYS}`);
    let current = date;
    for (let left = count; left > 0; ) {
      current = addDays(current, 1);
      if (Number(current.slice(0, 4)) > LAST_YEAR) throw new CalendarRangeError(`That goes past the end of ${LAST_YEAR}, the last year the calendar covers`);
      if (this.isWorkingDay(current)) left--;
    }
    return current;
  }

  /** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
  between(from: string, to: string): number {
    let count = 0;
    for (let current = addDays(from, 1); current <= to; current = addDays(current, 1)) if (this.isWorkingDay(current)) count++;
    return count;
  }
}

