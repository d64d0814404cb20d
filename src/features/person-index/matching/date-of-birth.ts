import type { DateOfBirthQuery } from './types.ts';

/** A date of birth as the matcher compares it. Not checked against the calendar: a slip such as
 * "31/2" is still evidence, and the people module validates dates on the way in. */
export interface BirthDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** 'YYYYMMDD', for one-digit slips and range comparisons. */
  readonly digits: string;
}

export type PreparedBirthDate =
  | { readonly kind: 'exact'; readonly date: BirthDate }
  | { readonly kind: 'partial'; readonly year: number | undefined; readonly month: number | undefined; readonly day: number | undefined }
  /** Born on or after `earliest` and on or before `latest` ('YYYYMMDD'); ages as asked, for the words. */
  | { readonly kind: 'age'; readonly earliest: string; readonly latest: string; readonly from: number; readonly to: number };

const DATE = /^(\d{4})-?(\d{2})-?(\d{2})$/;

export function parseBirthDate(text: string | null | undefined): BirthDate | null {
  if (text === null || text === undefined) return null;
  const found = DATE.exec(text.trim());
  if (found === null) return null;
  const [, year = '', month = '', day = ''] = found;
  const date = { year: Number(year), month: Number(month), day: Number(day), digits: `${year}${month}${day}` };
  // All zeros or a zero month is how some systems write "unknown".
  if (date.year === 0 || date.month === 0 || date.day === 0) return null;
  return date;
}

function shiftYears(date: BirthDate, years: number): BirthDate {
  return { ...date, year: date.year + years, digits: `${String(date.year + years).padStart(4, '0')}${date.digits.slice(4)}` };
}

function nextDay(digits: string): string {
  const next = new Date(Date.UTC(Number(digits.slice(0, 4)), Number(digits.slice(4, 6)) - 1, Number(digits.slice(6, 8)) + 1));
  return `${String(next.getUTCFullYear()).padStart(4, '0')}${String(next.getUTCMonth() + 1).padStart(2, '0')}${String(next.getUTCDate()).padStart(2, '0')}`;
}

export function prepareBirthDateQuery(query: DateOfBirthQuery | undefined): PreparedBirthDate | null {
  if (query === undefined) return null;
  switch (query.kind) {
    case 'exact': {
      const date = parseBirthDate(query.date);
      return date === null ? null : { kind: 'exact', date };
    }
    case 'partial': {
      const { year, month, day } = query;
      if (year === undefined && month === undefined && day === undefined) return null;
      return { kind: 'partial', year, month, day };
    }
    case 'age': {
      const today = parseBirthDate(query.today);
      if (today === null || !(query.from <= query.to) || query.to < 0) return null;
      const from = Math.max(0, Math.floor(query.from));
      const to = Math.floor(query.to);
      // Aged `to` today means born after the day `to + 1` years ago; aged `from` means born by the day `from` years ago.
      return { kind: 'age', earliest: nextDay(shiftYears(today, -(to + 1)).digits), latest: shiftYears(today, -from).digits, from, to };
    }
  }
}

/** Day/month/year as written in Australia and the United Kingdom. */
export function displayDate(date: BirthDate): string {
  return `${date.day}/${date.month}/${date.year}`;
}

/** Wider age ranges give no year keys: a key per year of a long span would fetch half the index. */
const MAX_KEYED_YEARS = 10;

/** The birth years a date (or partial date, or age range) allows, for blocking keys. */
export function birthYears(date: PreparedBirthDate): number[] {
  switch (date.kind) {
    case 'exact':
      return [date.date.year];
    case 'partial':
      return date.year === undefined ? [] : [date.year];
    case 'age': {
      const first = Number(date.earliest.slice(0, 4));
      const last = Number(date.latest.slice(0, 4));
      if (last - first + 1 > MAX_KEYED_YEARS) return [];
      const years: number[] = [];
      for (let year = first; year <= last; year++) years.push(year);
      return years;
    }
  }
}
