import { parseDateParts } from './date-field.ts';
import type { z } from 'zod';

export interface ErrorSummaryItem {
  readonly text: string;
  readonly href: string;
}

/** Errors shaped for GOV.UK components: a summary list, and a message per field. */
export interface FormErrors {
  readonly summary: readonly ErrorSummaryItem[];
  readonly fields: Readonly<Record<string, { readonly text: string }>>;
}

export type FormResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: FormErrors };

/**
 * Validates a submitted form against its schema. An issue may name the element to focus (a date
 * input's day box) in `params.focus`; otherwise the field's own id, which is its name.
 */
export function validateForm<S extends z.ZodType>(schema: S, body: unknown, shape: FormShape = {}): FormResult<z.output<S>> {
  const parsed = schema.safeParse(formToInput(body, shape));
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, errors: formErrorsFrom(parsed.error.issues) };
}

export function formErrorsFrom(issues: readonly z.core.$ZodIssue[]): FormErrors {
  const summary: ErrorSummaryItem[] = [];
  const fields: Record<string, { text: string }> = {};
  for (const issue of issues) {
    const field = issue.path.map(String).join('.') || 'form';
    if (fields[field]) continue; // one message per field, the first
    const focus = (issue as { params?: { focus?: string } }).params?.focus ?? field;
    fields[field] = { text: issue.message };
    summary.push({ text: issue.message, href: `#${focus}` });
  }
  return { summary, fields };
}

export function singleError(field: string, text: string, focus = field): FormErrors {
  return { summary: [{ text, href: `#${focus}` }], fields: { [field]: { text } } };
}

/** The API's shape for the same errors: field path -> messages. */
export function apiFieldErrors(issues: readonly z.core.$ZodIssue[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of issues) {
    const field = issue.path.map(String).join('.') || '(body)';
    (out[field] ??= []).push(issue.message);
  }
  return out;
}

/** How a form's fields map onto a schema's JSON shape. */
export interface FormShape {
  /** Checkbox fields: ticked ("yes", "on", "true") is true, anything else false. */
  readonly booleans?: readonly string[];
  /** Fields typed as a comma-separated list, read as an array of strings. */
  readonly lists?: readonly string[];
}

/**
 * A submitted form as JSON-shaped input: a field sent twice (a=1&a=2) counts once, checkboxes become
 * booleans and comma-separated lists become arrays. Dates are joined by validateFormWithDates.
 */
export function formToInput(body: unknown, shape: FormShape = {}): Record<string, unknown> {
  const raw = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) input[key] = Array.isArray(value) ? value[0] : value;
  for (const name of shape.booleans ?? []) {
    const value = input[name];
    input[name] = typeof value === 'string' && ['yes', 'on', 'true'].includes(value);
  }
  for (const name of shape.lists ?? []) {
    const value = input[name];
    input[name] = typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : [];
  }
  return input;
}

export interface DateFieldRule {
  /** The field the schema reads, e.g. 'dateOfBirth'; the page has dateOfBirth-day, -month and -year. */
  readonly name: string;
  readonly label: string;
  readonly required?: boolean;
  readonly notInFuture?: boolean;
  /** Earliest allowed date, 'YYYY-MM-DD': the error then focuses the year box. */
  readonly earliest?: string;
}

/**
 * Validates a form that has GOV.UK date inputs: each date's three boxes are checked first (with the
 * Design System's messages) and joined into one 'YYYY-MM-DD' field, then the schema runs over the rest.
 * Errors come back in the order the fields appear in the body.
 */
export function validateFormWithDates<S extends z.ZodType>(
  schema: S,
  body: unknown,
  dateFields: readonly DateFieldRule[],
  today: string,
  shape: FormShape = {},
): FormResult<z.output<S>> {
  const raw = formToInput(body);
  const joined: Record<string, unknown> = formToInput(body, shape);
  const dateIssues: FormErrors = { summary: [], fields: {} };
  for (const rule of dateFields) {
    const result = parseDateParts(raw[`${rule.name}-day`], raw[`${rule.name}-month`], raw[`${rule.name}-year`], {
      label: rule.label,
      required: rule.required ?? false,
      notInFuture: rule.notInFuture ?? false,
      ...(rule.earliest ? { earliest: rule.earliest } : {}),
      today,
    });
    delete joined[`${rule.name}-day`];
    delete joined[`${rule.name}-month`];
    delete joined[`${rule.name}-year`];
    if (result.ok) {
      joined[rule.name] = result.value;
    } else {
      joined[rule.name] = null;
      (dateIssues.summary as ErrorSummaryItem[]).push({ text: result.message, href: `#${rule.name}-${result.focus}` });
      (dateIssues.fields as Record<string, { text: string }>)[rule.name] = { text: result.message };
    }
  }
  const result = schema.safeParse(joined);
  const parsed: FormResult<z.output<S>> = result.success ? { ok: true, value: result.data } : { ok: false, errors: formErrorsFrom(result.error.issues) };
  if (parsed.ok && dateIssues.summary.length === 0) return parsed;
  const schemaErrors = parsed.ok ? { summary: [], fields: {} } : parsed.errors;
  const fields = { ...schemaErrors.fields, ...dateIssues.fields };
  const summary = [...dateIssues.summary, ...schemaErrors.summary.filter((item) => !(item.href.slice(1).split('-')[0]! in dateIssues.fields))];
  const order = Object.keys(raw);
  const position = (href: string) => {
    const index = order.findIndex((key) => href.slice(1) === key || href.slice(1).startsWith(`${key}-`) || key.startsWith(`${href.slice(1)}-`));
    return index === -1 ? order.length : index;
  };
  summary.sort((a, b) => position(a.href) - position(b.href));
  return { ok: false, errors: { summary, fields } };
}
