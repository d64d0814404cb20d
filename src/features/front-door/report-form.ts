import { parseDateParts } from '../../platform/http/date-field.ts';
import { formErrorsFrom, type FormErrors, type FormResult } from '../../platform/http/forms.ts';
import type { PracticePack } from '../../practice/pack.ts';
import { MAX_CHILDREN, reportSchema, type Channel, type ReportInput } from './report.ts';

/**
 * The report form's fields, flat as a browser sends them ("child2-familyName", "reporter-email"),
 * and the report's JSON shape. A draft keeps the fields exactly as typed, valid or not, so nothing a
 * reporter wrote is lost; sending gathers them into the JSON shape and checks it.
 */
export type ReportFields = Readonly<Record<string, string | readonly string[]>>;

const CHILD_FIELDS = ['givenNames', 'familyName', 'dateOfBirth-day', 'dateOfBirth-month', 'dateOfBirth-year', 'ageYears', 'street', 'suburb', 'postcode', 'school'] as const;
const REPORT_FIELDS = ['whatHappened', 'whenHappened', 'childWords', 'safeNow', 'peopleOfConcern', 'otherAgencies'] as const;
const REPORTER_FIELDS = ['name', 'role', 'organisation', 'email', 'phone'] as const;

/** The longest a kept field may be: well over every limit the report checks, so a draft can hold an over-long answer to fix. */
const FIELD_LIMIT = 20_000;

/** The field names of the form, in page order, for `count` children. */
export function fieldNames(count: number): string[] {
  const names: string[] = [];
  for (let n = 1; n <= count; n += 1) {
    for (const f of CHILD_FIELDS) names.push(`child${n}-${f}`);
    names.push(`child${n}-concerns`);
  }
  names.push(...REPORT_FIELDS, ...REPORTER_FIELDS.map((f) => `reporter-${f}`));
  return names;
}

/** How many child sections the fields hold: 1 to MAX_CHILDREN. */
export function childCount(fields: ReportFields): number {
  const raw = fields.childCount;
  const n = typeof raw === 'string' && /^\d{1,2}$/.test(raw) ? Number(raw) : 1;
  return Math.min(Math.max(n, 1), MAX_CHILDREN);
}

/** The known fields of a submitted body, as typed (lists for the concern boxes), with nothing else kept. */
export function keepFields(body: unknown): Record<string, string | string[]> {
  const raw = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const count = childCount(raw as ReportFields);
  const kept: Record<string, string | string[]> = { childCount: String(count) };
  // What the database can hold: no NUL, no half of a surrogate pair (no one types either).
  const asText = (v: unknown) => (typeof v === 'string' ? v.slice(0, FIELD_LIMIT).toWellFormed().replaceAll('\u0000', '') : '');
  for (const name of fieldNames(count)) {
    const value = raw[name];
    if (name.endsWith('-concerns')) {
      const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
      kept[name] = list.map(asText).filter(Boolean).slice(0, 50);
    } else {
      kept[name] = asText(Array.isArray(value) ? value[0] : value);
    }
  }
  return kept;
}

/** The fields with one more child section, or with child `n` taken out (the others move up). */
export function withChildAdded(fields: ReportFields): Record<string, string | string[]> {
  const count = childCount(fields);
  return keepFields({ ...fields, childCount: String(Math.min(count + 1, MAX_CHILDREN)) });
}

export function withChildRemoved(fields: ReportFields, n: number): Record<string, string | string[]> {
  const count = childCount(fields);
  if (count <= 1 || n < 1 || n > count) return keepFields(fields);
  const moved: Record<string, unknown> = { ...fields, childCount: String(count - 1) };
  for (let k = n; k < count; k += 1) {
    for (const f of [...CHILD_FIELDS, 'concerns']) moved[`child${k}-${f}`] = fields[`child${k + 1}-${f}`];
  }
  return keepFields(moved);
}

const text = (fields: ReportFields, name: string): string => {
  const v = fields[name];
  return typeof v === 'string' ? v : '';
};
const list = (fields: ReportFields, name: string): string[] => {
  const v = fields[name];
  return Array.isArray(v) ? [...(v as string[])] : typeof v === 'string' && v ? [v] : [];
};

/** The page's id for an issue's path: ['children', 1, 'familyName'] is "child2-familyName". */
function fieldId(path: readonly PropertyKey[]): string {
  const [first, second, third] = path;
  if (first === 'children' && typeof second === 'number') return third === undefined ? 'child1-givenNames' : `child${second + 1}-${String(third)}`;
  if (first === 'children') return 'child1-givenNames';
  if (first === 'reporter' && second !== undefined) return `reporter-${String(second)}`;
  return String(first ?? 'form');
}

/**
 * Gathers the fields into a report and checks it. Dates of birth are read from their three boxes
 * with the Design System's messages; every error names the box to focus, in page order.
 */
export function gatherReport(pack: PracticePack, channel: Channel, fields: ReportFields, today: string): FormResult<ReportInput> {
  const count = childCount(fields);
  const errors: { id: string; focus: string; text: string }[] = [];
  const children = [];
  for (let n = 1; n <= count; n += 1) {
    const p = `child${n}-`;
    const dob = parseDateParts(text(fields, `${p}dateOfBirth-day`), text(fields, `${p}dateOfBirth-month`), text(fields, `${p}dateOfBirth-year`), {
      label: 'Date of birth',
      notInFuture: true,
      today,
    });
    if (!dob.ok) errors.push({ id: `${p}dateOfBirth`, focus: `${p}dateOfBirth-${dob.focus}`, text: dob.message });
    const age = text(fields, `${p}ageYears`).trim();
    if (age !== '' && !/^\d{1,3}$/.test(age)) errors.push({ id: `${p}ageYears`, focus: `${p}ageYears`, text: 'Age must be a number of years, like 7' });
    children.push({
      givenNames: text(fields, `${p}givenNames`),
      familyName: text(fields, `${p}familyName`),
      dateOfBirth: dob.ok ? dob.value : null,
      ageYears: /^\d{1,3}$/.test(age) ? Number(age) : null,
      street: text(fields, `${p}street`),
      suburb: text(fields, `${p}suburb`),
      postcode: text(fields, `${p}postcode`),
      school: text(fields, `${p}school`),
      concerns: list(fields, `${p}concerns`),
    });
  }
  const input = {
    children,
    ...Object.fromEntries(REPORT_FIELDS.map((f) => [f, text(fields, f)])),
    safeNow: text(fields, 'safeNow') || undefined,
    reporter: Object.fromEntries(REPORTER_FIELDS.map((f) => [f, text(fields, `reporter-${f}`)])),
  };
  const parsed = reportSchema(pack, channel, today).safeParse(input);
  if (parsed.success && errors.length === 0) return { ok: true, value: parsed.data };
  if (!parsed.success) {
    const schemaErrors = formErrorsFrom(parsed.error.issues);
    parsed.error.issues.forEach((issue) => {
      const id = fieldId(issue.path);
      if (errors.some((e) => e.id === id)) return;
      const message = schemaErrors.fields[issue.path.map(String).join('.') || 'form']?.text ?? issue.message;
      errors.push({ id, focus: id.endsWith('-dateOfBirth') ? `${id}-day` : id, text: message });
    });
  }
  const order = fieldNames(count);
  const position = (id: string) => {
    const i = order.findIndex((name) => name === id || name.startsWith(`${id}-`));
    return i === -1 ? order.length : i;
  };
  errors.sort((a, b) => position(a.id) - position(b.id));
  const formErrors: FormErrors = {
    summary: errors.map((e) => ({ text: e.text, href: `#${e.focus}` })),
    fields: Object.fromEntries(errors.map((e) => [e.id, { text: e.text }])),
  };
  return { ok: false, errors: formErrors };
}

/** A report's JSON shape back as form fields. The round trip (fields -> gatherReport -> fieldsOf) is the unit tests' proof that the field names and the schema agree. */
export function fieldsOf(report: ReportInput): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = { childCount: String(report.children.length) };
  report.children.forEach((child, i) => {
    const p = `child${i + 1}-`;
    const [year = '', month = '', day = ''] = (child.dateOfBirth ?? '').split('-');
    Object.assign(fields, {
      [`${p}givenNames`]: child.givenNames ?? '',
      [`${p}familyName`]: child.familyName ?? '',
      [`${p}dateOfBirth-day`]: day ? String(Number(day)) : '',
      [`${p}dateOfBirth-month`]: month ? String(Number(month)) : '',
      [`${p}dateOfBirth-year`]: year,
      [`${p}ageYears`]: child.ageYears === null ? '' : String(child.ageYears),
      [`${p}street`]: child.street ?? '',
      [`${p}suburb`]: child.suburb ?? '',
      [`${p}postcode`]: child.postcode ?? '',
      [`${p}school`]: child.school ?? '',
      [`${p}concerns`]: [...child.concerns],
    });
  });
  for (const f of REPORT_FIELDS) fields[f] = (report[f]) ?? '';
  for (const f of REPORTER_FIELDS) fields[`reporter-${f}`] = report.reporter[f] ?? '';
  return fields;
}
