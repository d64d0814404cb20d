/**
 * Calendar dates as 'YYYY-MM-DD' text, with the few sums the working-day calendar needs. A date here
 * is a day on the calendar, not a moment: no time, no time zone, so no daylight-saving surprises.
 */
export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';

export const WEEKDAYS: readonly Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

const MS_PER_DAY = 86_400_000;

/** The years a calendar date may fall in: wide enough for any record, narrow enough to catch a typo. */
export const FIRST_YEAR = 1900;
export const LAST_YEAR = 2200;

/** The date's parts, or null when the text is not a real date (2026-02-30) in FIRST_YEAR..LAST_YEAR. */
export function parseCivilDate(text: string): { year: number; month: number; day: number } | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < FIRST_YEAR || year > LAST_YEAR || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

export function civilDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function toDayNumber(date: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

function fromDayNumber(dayNumber: number): string {
  const at = new Date(dayNumber * MS_PER_DAY);
  return civilDate(at.getUTCFullYear(), at.getUTCMonth() + 1, at.getUTCDate());
}

export function addDays(date: string, days: number): string {
  return fromDayNumber(toDayNumber(date) + days);
}

export function weekdayOf(date: string): Weekday {
  // 1970-01-01 was a Thursday (index 3 from Monday).
  return WEEKDAYS[(((toDayNumber(date) + 3) % 7) + 7) % 7]!;
}

/** The nth (1-5) given weekday of a month, or its last when nth is -1; null when there is no fifth. */
export function nthWeekdayOfMonth(year: number, month: number, weekday: Weekday, nth: number): string | null {
  if (nth === -1) {
    let date = civilDate(year, month, daysInMonth(year, month));
    while (weekdayOf(date) !== weekday) date = addDays(date, -1);
    return date;
  }
  let date = civilDate(year, month, 1);
  while (weekdayOf(date) !== weekday) date = addDays(date, 1);
  const found = addDays(date, 7 * (nth - 1));
  return Number(found.slice(5, 7)) === month ? found : null;
}

/**
 * Easter Sunday in the Gregorian calendar, by the anonymous algorithm (Meeus, Jones, Butcher),
 * so the calendar works for any year rather than a list of years.
 */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return civilDate(year, month, day);
}
