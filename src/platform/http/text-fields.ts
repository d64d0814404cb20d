import { z } from 'zod';

/**
 * Building blocks for the schemas that validate every form and API body. They describe JSON-shaped
 * input (strings, booleans, arrays); the form layer first turns a submitted form into that shape.
 */

// Control characters other than tab, line feed and carriage return; PostgreSQL also refuses NUL.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
const LINE_BREAKS = /[\n\r\t]/u;

function normalise(value: string, multiline: boolean): string {
  const unified = value.normalize('NFC').replace(/\r\n?/g, '\n');
  return multiline ? unified.trim() : unified.replace(/\s+/gu, ' ').trim();
}

function capitalise(label: string): string {
  return label.charAt(0).toUpperCase() + label.slice(1);
}

interface TextOptions {
  /** e.g. 'family name': used in messages ("Family name must be 100 characters or fewer"). */
  readonly label: string;
  readonly max?: number;
  readonly multiline?: boolean;
}

function text(options: TextOptions, required: string | undefined) {
  const max = options.max ?? 200;
  const multiline = options.multiline ?? false;
  const label = capitalise(options.label);
  return z
    .string({ error: required ?? `${label} must be text` })
    .max(max, `${label} must be ${max} characters or fewer`)
    .refine((v) => v.isWellFormed(), `${label} contains characters Hearth cannot store`)
    .transform((v) => normalise(v, multiline))
    .refine((v) => !CONTROL_CHARACTERS.test(v) && (multiline || !LINE_BREAKS.test(v)), {
      message: `${label} contains characters Hearth cannot store, such as control characters`,
    })
    .refine((v) => required === undefined || v.length > 0, required ?? '');
}

/** Required text: `message` is shown when it is missing or empty, in GOV.UK wording ("Enter a family name"). */
export function requiredText(options: TextOptions & { readonly message: string }) {
  return text(options, options.message);
}

/** Optional text: missing, null or empty becomes null. */
export function optionalText(options: TextOptions) {
  return text(options, undefined)
    .nullable()
    .optional()
    .transform((v) => (v === '' || v === undefined ? null : v));
}

/** One of a fixed set of values (radios, selects). */
export function choice<const T extends readonly [string, ...string[]]>(values: T, message: string) {
  return z.enum(values, { error: message });
}

/** A version number sent back by an edit form or API client, to detect a stale save. */
export const versionField = z.coerce
  .number({ error: 'Send the version of the record you started from' })
  .int('Send the version of the record you started from')
  .min(1, 'Send the version of the record you started from')
  .max(2_147_483_647, 'Send the version of the record you started from');
