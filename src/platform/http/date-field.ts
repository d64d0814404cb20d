import { longDate } from '../time.ts';

export type DatePart = 'day' | 'month' | 'year';

export type DateParseResult =
  | { readonly ok: true; readonly value: string | null }
  | { readonly ok: false; readonly message: string; readonly focus: DatePart };

export interface DateRules {
  /** e.g. 'Date of birth': messages read "Date of birth must be a real date". */
  readonly label: string;
  readonly required?: boolean;
  readonly notInFuture?: boolean;
  /** Earliest allowed date, 'YYYY-MM-DD'. */
  readonly earliest?: string;
  /** Today, 'YYYY-MM-DD', in the organisation's time zone. */
  readonly today: string;
}

function clean(value: unknown): string {
  const first: unknown = Array.isArray(value) ? (value as unknown[])[0] : value;
  return typeof first === 'string' ? first.trim() : '';
}

/** Reads a GOV.UK date input (day, month, year boxes) with the Design System's error messages. */
export function parseDateParts(day: unknown, month: unknown, year: unknown, rules: DateRules): DateParseResult {
  const parts = { day: clean(day), month: clean(month), year: clean(year) };
  const lower = rules.label.charAt(0).toLowerCase() + rules.label.slice(1);
  const missing = (['day', 'month', 'year'] as const).filter((p) => parts[p] === '');
  if (missing.length === 3) {
    return rules.required ? { ok: false, message: `Enter ${lower}`, focus: 'day' } : { ok: true, value: null };
  }
  if (missing.length > 0) {
    return { ok: false, message: `${rules.label} must include a ${missing.join(' and ')}`, focus: missing[0]! };
  }
  if (!/^\d{1,2}$/.test(parts.day) || !/^\d{1,2}$/.test(parts.month)) {
    return { ok: false, message: `${rules.label} must be a real date`, focus: /^\d{1,2}$/.test(parts.day) ? 'month' : 'day' };
  }
  if (!/^\d{4}$/.test(parts.year)) return { ok: false, message: 'Year must include 4 numbers', focus: 'year' };
  const d = Number(parts.day);
  const m = Number(parts.month);
  const y = Number(parts.year);
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return { ok: false, message: `${rules.label} must be a real date`, focus: 'day' };
  }
  const iso = `${parts.year}-${parts.month.padStart(2, '0')}-${parts.day.padStart(2, '0')}`;
  if (rules.notInFuture && iso > rules.today) {
    return { ok: false, message: `${rules.label} must be today or in the past`, focus: 'day' };
  }
  if (rules.earliest && iso < rules.earliest) {
    return { ok: false, message: `${rules.label} must be on or after ${longDate(rules.earliest)}`, focus: 'year' };
  }
  return { ok: true, value: iso };
}

/** Splits 'YYYY-MM-DD' back into the boxes of a date input. */
export function dateParts(iso: string | null | undefined): { day: string; month: string; year: string } {
  if (!iso) return { day: '', month: '', year: '' };
  const [year = '', month = '', day = ''] = iso.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
}
